from django.conf import settings
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
    path("", include("accounts.urls")),
    path("", include("vault.urls")),
    path("tracker/", include("tracker.urls")),
    path("helpdesk/", include("helpdesk.urls")),
    path("claims/", include("claims.urls")),
]

if settings.DEBUG:
    urlpatterns += [path("dev/", include("config.dev_urls"))]
