"""Team and sign-up routes. The settings routes (same namespace) are tracker.urls_settings."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("signup/finish/<str:token>/", views.signup_finish, name="signup_finish"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("agency/team/", views.team, name="team"),
    path("agency/team/invite/", views.invite, name="invite"),
    path("agency/team/digest/", views.digest_preference, name="digest_preference"),
    path(
        "agency/team/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("agency/team/members/<int:user_id>/role/", views.member_role, name="member_role"),
    path("agency/team/members/<int:user_id>/restore/", views.member_restore, name="member_restore"),
]
