"""Request bodies are capped before they are read, except on the views that take uploads.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE counts only a form's text fields: without this, a
300 MB multipart POST to the sign-in page is streamed into a temp file before the view runs.
Upload views (marked by vault.views_documents.limit_upload_size) have their own, larger
limit, enforced while the file streams.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RequestBodyLimitMiddleware:
    """Answers 413 with a plain page when a body is larger than REQUEST_BODY_MAX_BYTES.

    It runs in process_view, before CsrfViewMiddleware reads the body, because only then is
    the view known. Without a Content-Length Django reads no body at all, so the declared
    length is the whole story.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "accepts_upload", False):
            return None
        size = _declared_length(request)
        limit = settings.REQUEST_BODY_MAX_BYTES
        if size <= limit:
            return None
        html = render_to_string(
            "413.html",
            {"size": size, "limit": limit, "upload_limit": settings.MAX_UPLOAD_BYTES},
            request=request,
        )
        response = HttpResponse(html, status=413)
        response["Connection"] = "close"  # the unread body is not drained
        return response
