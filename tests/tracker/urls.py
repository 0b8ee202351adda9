"""Stand-in URL patterns for the e-mail links while the vault and help-desk views are built.

Same names, same `request_id` argument and the same sign-in requirement as the contract
(notes/contracts.md); used only when the real names do not resolve yet.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


@login_required
def _form(request, request_id):
    return HttpResponse(f"form {request_id}")


vault = (
    [
        path("requests/<int:request_id>/edit/", _form, name="request_edit"),
        path(
            "requests/<int:request_id>/second-request-letter.pdf",
            _form,
            name="second_request_letter",
        ),
    ],
    "vault",
)
helpdesk = ([path("submit/<int:request_id>/", _form, name="submit")], "helpdesk")

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include(vault)),
    path("helpdesk/", include(helpdesk)),
]
