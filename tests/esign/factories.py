"""A signature request made the way the product makes one (so its letter is frozen)."""

from esign.services import signature_send
from tests.factories import InsuredFactory, LossRunRequestFactory


def SignatureRequestFactory(*, agency, request=None, **kwargs):  # noqa: N802 - factory-style name
    request = request or LossRunRequestFactory(
        agency=agency, insured=InsuredFactory(agency=agency, signer_email="signer@insured.test")
    )
    return signature_send(
        agency=agency,
        request=request,
        user=request.created_by,
        signer_name=kwargs.get("signer_name", request.insured.signer_name or "Pat Rivera"),
        signer_title=kwargs.get("signer_title", "President"),
        signer_email=kwargs.get("signer_email", "signer@insured.test"),
    )
