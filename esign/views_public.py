"""The signing page: no account, the token is the signer's credential. Rate-limited."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from config.forms import add_service_errors
from esign import services
from esign.documents import letter_body_html
from esign.forms import SignForm
from esign.images import signature_png_from_data_url
from esign.selectors import LinkState, link_from_token

# The page for each state of a link that cannot be signed, and its HTTP status.
CLOSED_PAGES = {
    LinkState.INVALID: 404,
    LinkState.GONE: 404,
    LinkState.REVOKED: 410,
    LinkState.EXPIRED: 410,
    LinkState.SIGNED: 200,
    LinkState.DECLINED: 200,
}


def rate_limited(request):
    """Too many requests from one address (django-ratelimit marks request.limited)."""
    return render(request, "esign/rate_limited.html", status=429)


def _closed(request, link):
    return render(
        request,
        "esign/closed.html",
        {"state": link.state, "signature": link.signature},
        status=CLOSED_PAGES[link.state],
    )


def _client(request) -> tuple[str | None, str]:
    return request.META.get("REMOTE_ADDR") or None, request.META.get("HTTP_USER_AGENT", "")


def _page(request, signature, form, *, status: int = 200):
    kept = form.data.get("signature_data", "") if form.is_bound else ""
    return render(
        request,
        "esign/sign.html",
        {
            "signature": signature,
            "req": signature.request,
            "agency": signature.agency,
            "letter_body": letter_body_html(signature.letter_html, signature.unsigned_block_html),
            "form": form,
            "kept_signature": kept if "signature" not in form.errors else "",
            "token": request.resolver_match.kwargs["signing_token"],
        },
        status=status,
    )


def _sign(request, signature, form: SignForm):
    data = form.cleaned_data
    if not data["signature_data"] and data["typed_signature"].strip():
        data["method"] = "typed"  # the page without JavaScript offers the typed name only
    png = None
    try:
        if data["method"] != "typed":
            png = signature_png_from_data_url(data["signature_data"])
        ip, agent = _client(request)
        return services.signature_sign(
            signature=signature,
            name=data["signer_name"],
            title=data["signer_title"],
            consented=data["consent"],
            png=png,
            typed=data["typed_signature"] if data["method"] == "typed" else "",
            ip=ip,
            user_agent=agent,
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) in ("used", "expired"):
            raise
        if not hasattr(exc, "error_dict"):
            exc = ValidationError({"signature": exc.messages})
        add_service_errors(form, exc)
        return None


@never_cache
@ratelimit(
    key="ip", rate=lambda group, request: settings.ESIGN_RATE, method=ratelimit.ALL, block=False
)
@require_http_methods(["GET", "POST"])
def sign(request, signing_token: str):
    if request.limited:
        return rate_limited(request)
    link = link_from_token(signing_token)
    if link.state != LinkState.OK:
        return _closed(request, link)
    signature = link.signature
    if request.method == "GET":
        services.signature_open(signature=signature)
        form = SignForm(
            initial={"signer_name": signature.signer_name, "signer_title": signature.signer_title}
        )
        return _page(request, signature, form)
    form = SignForm(request.POST)
    if not form.is_valid():
        return _page(request, signature, form, status=400)
    action = request.POST.get("action")
    try:
        if action == "decline":
            ip, agent = _client(request)
            services.signature_decline(
                signature=signature,
                reason=form.cleaned_data["decline_reason"],
                ip=ip,
                user_agent=agent,
            )
            return _closed(request, link_from_token(signing_token))
        if action == "sign" and _sign(request, signature, form) is not None:
            return _closed(request, link_from_token(signing_token))
    except ValidationError as exc:
        if getattr(exc, "code", None) not in ("used", "expired"):
            add_service_errors(form, exc)
            return _page(request, signature, form, status=400)
        return _closed(request, link_from_token(signing_token, timezone.now()))
    if action not in ("sign", "decline"):
        form.add_error(None, "Choose Sign or Decline.")
    return _page(request, signature, form, status=400)


@never_cache
@ratelimit(
    key="ip", rate=lambda group, request: settings.ESIGN_RATE, method=ratelimit.ALL, block=False
)
@require_GET
def sign_letter(request, signing_token: str):
    """The letter as a PDF, exactly the file whose SHA-256 the certificate names."""
    if request.limited:
        return rate_limited(request)
    link = link_from_token(signing_token)
    if link.state != LinkState.OK:
        raise Http404("This link cannot be used.")
    signature = link.signature
    return FileResponse(
        signature.shown_pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"authorization-{signature.request_id}.pdf",
    )
