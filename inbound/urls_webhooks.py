"""anymail's inbound webhook views, at anymail's own paths and names, for the providers we
set up (Postmark, Mailgun).

Not `include("anymail.urls")`: that mounts every provider's webhooks, and an unused
provider's endpoint is one more door to keep locked. A message with its attachments is
larger than the site's request-body cap, so these views take up to INBOUND_WEBHOOK_MAX_BYTES.
"""

from functools import wraps

from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from django.conf import settings
from django.http import HttpResponse
from django.urls import path, re_path

app_name = "anymail"


def _large_body(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        if size > settings.INBOUND_WEBHOOK_MAX_BYTES:
            return HttpResponse("Message too large.", status=413, content_type="text/plain")
        if size:
            # Read the body here, under this view's own cap: Django's form-field cap
            # (DATA_UPLOAD_MAX_MEMORY_SIZE) is sized for forms, not for a provider's JSON
            # that carries the attachments base64-encoded.
            request._body = request.read(size)
        return view(request, *args, **kwargs)

    wrapper.accepts_upload = True  # config.body_limit: this view has its own cap
    return wrapper


urlpatterns = [
    path(
        "postmark/inbound/",
        _large_body(PostmarkInboundWebhookView.as_view()),
        name="postmark_inbound_webhook",
    ),
    re_path(
        # anymail's own pattern: ".../inbound_mime/" asks Mailgun for the raw MIME message.
        r"^mailgun/inbound(_mime)?/$",
        _large_body(MailgunInboundWebhookView.as_view()),
        name="mailgun_inbound_webhook",
    ),
]
