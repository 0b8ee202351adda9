from django.urls import path

from tracker import views_unsubscribe

app_name = "tracker"

urlpatterns = [
    path(
        "digest/unsubscribe/<str:unsubscribe_token>/",
        views_unsubscribe.digest_unsubscribe_view,
        name="digest_unsubscribe",
    ),
]
