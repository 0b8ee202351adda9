from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from ops.views import metrics

admin.site.site_header = "Loss Run Help Desk"
admin.site.site_title = "Loss Run Help Desk"
admin.site.index_title = "Help desk and platform administration"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls_auth")),
    # The accounts namespace, with the settings page whose views are the tracker's.
    path("", include("tracker.urls_settings")),
    path("", include("vault.urls")),
    path("", include("esign.urls")),
    path("", include("dispatch.urls")),
    path("", include("inbound.urls")),
    path("anymail/", include("inbound.urls_webhooks")),
    path("tracker/", include("tracker.urls")),
    path("", include("escalation.urls")),
    path("helpdesk/", include("helpdesk.urls")),
    path("claims/", include("claims.urls")),
    path("dev/", include("config.dev_urls")),  # each view answers 404 unless CAPTURED_MAIL_PAGE
]
