from django.urls import path

from inbound import views

app_name = "inbound"

urlpatterns = [
    path(
        "vault/requests/<int:request_id>/replies/",
        views.request_replies,
        name="request_replies",
    ),
    path(
        "vault/replies/<int:message_id>/undo-received/",
        views.reply_undo_received,
        name="reply_undo_received",
    ),
    path(
        "vault/replies/<int:message_id>/acknowledge/",
        views.reply_acknowledge,
        name="reply_acknowledge",
    ),
]
