"""The `accounts` URL namespace: accounts' own routes plus the agency settings routes.

The settings views are the tracker's (a settings change re-times requests, and accounts
imports no other app), but the page keeps its accounts:settings names; removing a member
is the vault's (their open requests change hands first), under accounts:member_remove.
config/urls.py includes this module in place of accounts.urls.
"""

from django.urls import path

from accounts import urls as accounts_urls
from tracker import views_settings
from vault import views_team

app_name = accounts_urls.app_name

urlpatterns = [
    *accounts_urls.urlpatterns,
    path(
        "agency/team/members/<int:user_id>/remove/",
        views_team.member_remove,
        name="member_remove",
    ),
    path("agency/settings/", views_settings.agency_settings, name="settings"),
    path("agency/settings/closed-days/", views_settings.closed_day_add, name="closed_day_add"),
    path(
        "agency/settings/closed-days/<int:closed_day_id>/remove/",
        views_settings.closed_day_remove,
        name="closed_day_remove",
    ),
]
