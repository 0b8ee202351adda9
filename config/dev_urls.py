"""Embedded/demo mode: read the captured e-mail in the browser (off unless CAPTURED_MAIL_PAGE)."""

from django.urls import path

from config import outbox

urlpatterns = [
    path("outbox/", outbox.outbox_list, name="dev_outbox"),
    path("outbox/<int:email_id>/", outbox.outbox_message, name="dev_outbox_message"),
]
