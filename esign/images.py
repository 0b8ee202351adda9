"""The drawn signature: a PNG data URL from the signing page, checked before it is stored."""

from __future__ import annotations

import base64
import binascii
import io

from django.conf import settings
from django.core.exceptions import ValidationError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DATA_URL_PREFIX = "data:image/png;base64,"
MAX_SIDE = 4000


def signature_png_from_data_url(value: str) -> bytes:
    """The PNG bytes of a drawn signature, or ValidationError with the reason to show."""
    from PIL import Image, UnidentifiedImageError

    limit = settings.ESIGN_SIGNATURE_MAX_BYTES
    value = (value or "").strip()
    if not value:
        raise ValidationError("Draw your signature in the box, or type it instead.", code="empty")
    if not value.startswith(DATA_URL_PREFIX):
        raise ValidationError("The signature must be a PNG image.", code="not_png")
    encoded = value[len(DATA_URL_PREFIX) :]
    if len(encoded) > limit * 4 // 3 + 4:
        raise ValidationError(
            f"The signature image is too large (the limit is {limit // 1000} KB). Clear it and "
            "draw it again.",
            code="too_large",
        )
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError("The signature must be a PNG image.", code="not_png") from exc
    if not data.startswith(PNG_MAGIC):
        raise ValidationError("The signature must be a PNG image.", code="not_png")
    if len(data) > limit:
        raise ValidationError(
            f"The signature image is too large (the limit is {limit // 1000} KB).",
            code="too_large",
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise ValidationError("The signature must be a PNG image.", code="not_png")
            if max(image.size) > MAX_SIDE:
                raise ValidationError("The signature image is too large.", code="too_large")
            image.load()
            alpha = image.convert("RGBA").getchannel("A")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError("The signature must be a PNG image.", code="not_png") from exc
    if alpha.getbbox() is None:
        raise ValidationError("Draw your signature in the box, or type it instead.", code="empty")
    return data
