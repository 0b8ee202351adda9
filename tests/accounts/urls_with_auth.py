"""The project's URLs with accounts.urls_auth in place of django.contrib.auth.urls."""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("accounts.urls_auth")),
    path("", include("accounts.urls")),
]
