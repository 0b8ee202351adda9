"""Limits on the forms that send e-mail (password reset, sign-up, invitations).

Each attempt counts twice, under the e-mail address it would write to and under the client
that sent it (accounts.throttle.client_ip); either count over its rate in settings.RATE_LIMITS
refuses the attempt with a message that says when to try again. The counters live in the
default cache through django-ratelimit: in-process memory in embedded mode (one web process),
Redis in production, where every web worker must see the same counts.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from accounts.models import canonical_email
from accounts.throttle import client_ip

WHAT = {
    "password_reset": "password-reset e-mails",
    "signup": "sign-ups",
    "invitation": "invitations",
}


class RateLimited(Exception):
    """Refused for now; `str(exc)` is the message for the person."""


def _wait_text(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = -(-minutes // 60)
    return f"{hours} hour{'s' if hours != 1 else ''}"


def check(request: HttpRequest, *, action: str, address: str) -> None:
    """Count one attempt of `action` to `address` from this client; RateLimited when over."""
    keys = {"address": canonical_email(address), "client": client_ip(request)}
    for scope, value in keys.items():
        usage = get_usage(
            request,
            group=f"{action}:{scope}",
            key=lambda _group, _request, value=value: value,
            rate=settings.RATE_LIMITS[action][scope],
            increment=True,
        )
        if usage is not None and usage["should_limit"]:
            whom = "this e-mail address" if scope == "address" else "your network"
            raise RateLimited(
                f"Too many {WHAT[action]} for {whom} just now. Nothing was sent. "
                f"Please try again in {_wait_text(usage['time_left'])}."
            )


class PasswordResetLimitMixin:
    """For Django's PasswordResetView: the reset form's attempts are limited as above.

    The answer to a refused attempt names no account: the address counts whether or not it
    has one, as the form's own "we sent you an e-mail if ..." answer does.
    """

    def form_valid(self, form):
        try:
            check(self.request, action="password_reset", address=form.cleaned_data["email"])
        except RateLimited as exc:
            form.add_error(None, str(exc))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class PasswordChangeLimitMixin:
    """For Django's PasswordChangeView: wrong current passwords count per account.

    Axes counts sign-in failures only; without this, whoever holds a session could guess
    the current password here without end. After RATE_LIMITS["password_change"]["account"]
    wrong guesses the form is refused, the right password included, until the window ends.
    """

    def _usage(self, *, increment: bool) -> dict | None:
        return get_usage(
            self.request,
            group="password_change:account",
            key=lambda _group, request: str(request.user.pk),
            rate=settings.RATE_LIMITS["password_change"]["account"],
            increment=increment,
        )

    def post(self, request, *args, **kwargs):
        usage = self._usage(increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            messages.error(
                request,
                "Too many wrong current passwords just now. Nothing was changed. "
                f"Please try again in {_wait_text(usage['time_left'])}.",
            )
            form = self.get_form_class()(user=request.user)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if "old_password" in form.errors:
            self._usage(increment=True)
        return super().form_invalid(form)
