"""The weekly digest's unsubscribe link: no sign-in, the signed token is the credential."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tracker.unsubscribe import digest_from_token, digest_unsubscribe, unsubscribe_state


# csrf_exempt: the RFC 8058 one-click POST comes from the recipient's mail provider, with
# no session and no CSRF cookie. What a forged POST could do is what the token already
# allows (turn one agent's digest off), and the token is unguessable (signed with the
# SECRET_KEY); a GET never changes anything, so link scanners cannot unsubscribe.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def digest_unsubscribe_view(request: HttpRequest, unsubscribe_token: str) -> HttpResponse:
    digest = digest_from_token(unsubscribe_token)
    if digest is None:
        return render(request, "tracker/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        state = digest_unsubscribe(digest=digest, now=timezone.now())
        done = True
    else:
        state = unsubscribe_state(digest)
        done = False
    with timezone.override(digest.agency.tz):
        return render(
            request,
            "tracker/unsubscribe.html",
            {"digest": digest, "agent": digest.user, "state": state, "done": done},
        )
