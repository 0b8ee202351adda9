"""The captured-mail page of the embedded/demo mode: the outbox rows, read in the browser.

Staff see every e-mail; an agency user only their own agency's (platform mail such as
password resets and help-desk notes has no agency, so only staff see it); a signed-out
visitor is sent to the sign-in page. Off unless CAPTURED_MAIL_PAGE (default: DEBUG).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render

from outbox.models import Email


def _visible(request) -> QuerySet[Email] | None:
    """None for staff (everything), else the agency user's own queryset; 404 otherwise."""
    if not settings.CAPTURED_MAIL_PAGE:
        raise Http404("The captured-mail page is off.")
    if request.user.is_staff:
        return None
    if not request.agency:
        raise Http404("No agency.")
    # tenancy: the outbox sits below accounts (no TenantQuerySet); the agency is the user's
    return Email.objects.filter(agency=request.agency)


@login_required
def outbox_list(request):
    mine = _visible(request)
    qs = Email.objects.all() if mine is None else mine
    rows = list(qs.select_related("agency").order_by("-created_at", "-id")[:200])
    return render(request, "dev/outbox.html", {"rows": rows, "everything": mine is None})


@login_required
def outbox_message(request, email_id: int):
    mine = _visible(request)
    qs = Email.objects.all() if mine is None else mine
    try:
        email = qs.get(pk=email_id)
    except Email.DoesNotExist as exc:  # another agency's e-mail looks the same as a missing one
        raise Http404("No such e-mail.") from exc
    return render(request, "dev/outbox_message.html", {"msg": email})
