"""django.contrib.auth's URLs (same paths and names), with the password-reset e-mail in
plain text plus HTML, its link built from settings.SITE_URL, queued in the outbox.

Meant to replace `include("django.contrib.auth.urls")` in config/urls.py.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator
from django.urls import path

from accounts.emails import queue_password_reset
from accounts.models import canonical_email
from accounts.rate_limits import PasswordChangeLimitMixin, PasswordResetLimitMixin


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with the e-mail's length enforced before any look-up."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.label = "E-mail"
        field.validators.append(MaxLengthValidator(field.max_length))

    def clean_username(self) -> str:
        return canonical_email(self.cleaned_data["username"])


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form; its e-mail becomes an outbox row instead of an SMTP call in the
    request (templates emails/accounts/password_reset*)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        queue_password_reset(user=context["user"], to_email=to_email, context=context)


class PasswordResetView(PasswordResetLimitMixin, auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordChangeView(PasswordChangeLimitMixin, auth_views.PasswordChangeView):
    pass


urlpatterns = [
    path("login/", auth_views.LoginView.as_view(form_class=SignInForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
