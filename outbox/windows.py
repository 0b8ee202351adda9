"""When an e-mail may go out: send windows that the apps above the outbox register.

The outbox is the bottom of the dependency graph and knows no agency's calendar. An app whose
mail may leave only at some moments (the tracker's deadline notices: on a business day,
inside the agency's working hours) registers at start-up, for a prefix of its e-mail kinds,
a function answering "the first moment at or after `at` this e-mail may go out".

Delivery (`outbox.delivery`) asks it before every attempt the caller did not time itself, and
a failed attempt's backoff ends at a moment the window allows: a retry after a mail-server
failure at 17:59 goes out the next business morning, not at 18:01.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from outbox.models import Email

SendWindow = Callable[[Email, dt.datetime], dt.datetime]

_windows: dict[str, SendWindow] = {}


def window_register(*, kind_prefix: str, window: SendWindow) -> None:
    """Hold the e-mails whose kind starts with `kind_prefix` to `window` (once per prefix:
    registering the prefix again replaces its window)."""
    if not kind_prefix:
        raise ValueError("A send window needs a kind prefix.")
    _windows[kind_prefix] = window


def window_opens(email: Email, at: dt.datetime) -> dt.datetime:
    """The first moment at or after `at` the e-mail may go out: `at` itself for a kind no
    window holds. A window that answers a moment before `at` is a programming error."""
    for prefix, window in _windows.items():
        if email.kind.startswith(prefix):
            opens = window(email, at)
            if opens < at:
                raise ValueError(f"The send window of {prefix!r} answered a moment before {at}.")
            return opens
    return at
