"""A request's links for pages that list many requests, without one reverse() per link.

Today shows up to 150 requests and the vault 50, each with an edit link, a "+" row link and
its next action's page: three reverse() calls a row were a sixth of the page's CPU. Each URL
name is reversed once, for a marker id, and each row's link is that URL with its id in
place of the marker. The links are what reverse() gives (tests/vault/test_links.py).
"""

from __future__ import annotations

from django.urls import reverse

# Not an id any request will have, and digits only, as the <int:request_id> converter needs.
_MARKER = 987_654_321_987_654_321


class RequestLinks:
    """URLs taking `request_id`, by URL name, for the rows of one page (one request)."""

    def __init__(self) -> None:
        self._parts: dict[str, tuple[str, str]] = {}

    def url(self, name: str, request_id: int) -> str:
        parts = self._parts.get(name)
        if parts is None:
            before, marker, after = reverse(name, kwargs={"request_id": _MARKER}).partition(
                str(_MARKER)
            )
            if not marker:
                raise ValueError(f"{name!r} does not put request_id in its path")
            parts = self._parts[name] = (before, after)
        return f"{parts[0]}{int(request_id)}{parts[1]}"
