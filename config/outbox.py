"""A page over the file-based e-mail backend's folder, for the embedded/demo mode."""

import email
import email.policy
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.shortcuts import render


def _messages_dir() -> Path:
    return Path(settings.EMAIL_FILE_PATH)


def _parse(path: Path) -> list[email.message.EmailMessage]:
    """The file-based backend appends messages separated by a line of 79 dashes."""
    chunks = path.read_bytes().split(b"\n" + b"-" * 79 + b"\n")
    return [
        email.message_from_bytes(c.lstrip(b"\n"), policy=email.policy.default)
        for c in chunks
        if c.strip()
    ]


def outbox_list(request):
    folder = _messages_dir()
    rows = []
    if folder.exists():
        for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)[
            :200
        ]:
            for i, msg in enumerate(_parse(path)):
                rows.append(
                    {
                        "name": f"{path.name}:{i}",
                        "subject": msg["subject"],
                        "to": msg["to"],
                        "date": msg["date"],
                    }
                )
    return render(request, "dev/outbox.html", {"rows": rows})


def outbox_message(request, name: str):
    file_name, _, index = name.partition(":")
    path = _messages_dir() / Path(file_name).name
    if not path.exists() or not index.isdigit():
        raise Http404
    messages = _parse(path)
    if int(index) >= len(messages):
        raise Http404
    msg = messages[int(index)]
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    return render(
        request,
        "dev/outbox_message.html",
        {
            "msg": msg,
            "text": text.get_content() if text else "",
            "html": html.get_content() if html else "",
        },
    )
