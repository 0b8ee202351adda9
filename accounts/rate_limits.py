"""Limits on the forms that send e-mail (password reset, sign-up, invitations).

Each attempt counts twice, under the e-mail address it would write to and under the client
that sent it (accounts.throttle.client_ip); either count over its rate in settings.RATE_LIMITS
refuses the attempt with a message that says when to try again. The counters live in the
default cache through django-ratelimit: in-process memory in embedded mode (one web process),
Redis in production, where every web worker must see the same counts.

When the counters' store does not answer (Redis down or unreachable), these forms fail
closed: the attempt is refused with HTTP 503 and "try again shortly", the form keeps what
was typed, nothing is sent, and a warning is logged. Each of them either writes to an
address the visitor types (a flood would land in a stranger's inbox and on the product's
sending reputation) or lets a session guess a password; without the count the app cannot
tell one attempt from a flood. The signing page, whose link is itself the credential, fails
open instead (esign.views_public).
"""

from __future__ import annotations

import contextlib
import logging

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

from accounts.models import canonical_email
from accounts.throttle import client_ip

WHAT = {
    "password_reset": "password-reset e-mails",
    "signup": "sign-ups",
    "invitation": "invitations",
}


logger = logging.getLogger(__name__)

# What a cache backend raises when its server does not answer: redis-py's errors, and the
# socket errors of the others (refused, reset, timed out).
COUNTER_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)

UNAVAILABLE = (
    "We cannot take this request just now: a service this form relies on is not "
    "answering. Nothing was sent. Please try again shortly."
)


class RateLimited(Exception):
    """Refused for now; `str(exc)` is the message for the person, `status` the answer's."""

    status = 429


class CountersUnavailable(RateLimited):
    """The attempt could not be counted, so it is refused (fail closed)."""

    status = 503

    def __init__(self) -> None:
        super().__init__(UNAVAILABLE)


def usage(request: HttpRequest, **kwargs) -> dict | None:
    """django-ratelimit's get_usage; CountersUnavailable when the cache does not answer."""
    try:
        return get_usage(request, **kwargs)
    except COUNTER_ERRORS as exc:
        logger.warning(
            "rate-limit counters unavailable (%s: %s); %s refused",
            type(exc).__name__,
            exc,
            kwargs.get("group"),
        )
        raise CountersUnavailable from exc


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
        counted = usage(
            request,
            group=f"{action}:{scope}",
            key=lambda _group, _request, value=value: value,
            rate=settings.RATE_LIMITS[action][scope],
            increment=True,
        )
        if counted is not None and counted["should_limit"]:
            whom = "this e-mail address" if scope == "address" else "your network"
            raise RateLimited(
                f"Too many {WHAT[action]} for {whom} just now. Nothing was sent. "
                f"Please try again in {_wait_text(counted['time_left'])}."
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
            response.status_code = exc.status
            return response
        return super().form_valid(form)


class PasswordChangeLimitMixin:
    """For Django's PasswordChangeView: wrong current passwords count per account.

    Axes counts sign-in failures only; without this, whoever holds a session could guess
    the current password here without end. After RATE_LIMITS["password_change"]["account"]
    wrong guesses the form is refused, the right password included, until the window ends.
    """

    def _usage(self, *, increment: bool) -> dict | None:
        return usage(
            self.request,
            group="password_change:account",
            key=lambda _group, request: str(request.user.pk),
            rate=settings.RATE_LIMITS["password_change"]["account"],
            increment=increment,
        )

    def _refuse(self, request, text: str, status: int):
        messages.error(request, text)
        form = self.get_form_class()(user=request.user)
        return self.render_to_response(self.get_context_data(form=form), status=status)

    def post(self, request, *args, **kwargs):
        try:
            counted = self._usage(increment=False)
        except CountersUnavailable as exc:
            return self._refuse(
                request, str(exc).replace("Nothing was sent", "Nothing was changed"), exc.status
            )
        if counted is not None and counted["count"] >= counted["limit"]:
            return self._refuse(
                request,
                "Too many wrong current passwords just now. Nothing was changed. "
                f"Please try again in {_wait_text(counted['time_left'])}.",
                429,
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if "old_password" in form.errors:
            # Uncounted when the store stops answering (usage() logs it): the next attempt
            # is refused by post() while it stays down.
            with contextlib.suppress(CountersUnavailable):
                self._usage(increment=True)
        return super().form_invalid(form)
