"""The request's "Carrier replies" section and the agent's two answers to a reply."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import agency_view
from inbound import selectors, services
from vault.selectors import request_get


@require_GET
@agency_view
def request_replies(request, agency, request_id: int):
    """Loaded by htmx into the request's page (the alerts under its heading, the list below
    its e-mails); without JavaScript a page of its own, linked from the request's page."""
    req = request_get(agency=agency, request_id=request_id)
    replies = selectors.replies_for_request(agency=agency, request=req)
    if not request.htmx:
        template = "inbound/request_replies.html"
    elif request.GET.get("part") == "alerts":
        template = "inbound/_reply_alerts.html"
    else:
        template = "inbound/_replies.html"
    return render(request, template, {"req": req, "replies": replies})


def _back(message) -> str:
    return reverse("vault:request_edit", kwargs={"request_id": message.request_id}) + "#replies-h"


@require_POST
@agency_view
def reply_undo_received(request, agency, message_id: int):
    message = selectors.reply_get(agency=agency, message_id=message_id)
    try:
        services.reply_received_undo(agency=agency, message=message, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, "Undone: the request is open again and its reminders are back on."
        )
    return redirect(_back(message))


@require_POST
@agency_view
def reply_acknowledge(request, agency, message_id: int):
    message = selectors.reply_get(agency=agency, message_id=message_id)
    services.reply_acknowledge(agency=agency, message=message, user=request.user)
    messages.success(request, "Marked as handled.")
    return redirect(_back(message))
