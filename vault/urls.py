from django.urls import include, path  # noqa: F401

app_name = "vault"

urlpatterns: list = [
    path("", include("vault.urls_documents")),
]
