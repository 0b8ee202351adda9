"""Committing a previewed bulk file: every request of the file, or none."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from accounts.models import Agency, User
from accounts.tenancy import scoped
from vault.bulk.files import bulk_plan
from vault.bulk.plan import BulkInvalid
from vault.models import Document, LossRunRequest
from vault.services import DraftsInvalid, RequestDraft, requests_create_many


class BulkAlreadyImported(Exception):
    """The kept file is gone: another commit of the same upload imported it first."""

    def __init__(self, original_name: str) -> None:
        super().__init__(
            f"{original_name} was already imported (a second click or a colleague got there "
            "first); nothing was created twice."
        )


@transaction.atomic
def bulk_commit(*, agency: Agency, user: User | None, document: Document) -> list[LossRunRequest]:
    """Create every request of the file, or none.

    Raises BulkInvalid when any row is wrong, BulkAlreadyImported when a concurrent commit of
    the same file won: the row lock makes the second wait, then find the kept file gone.
    """
    try:
        locked = scoped(Document, agency).select_for_update().get(pk=document.pk)
    except Document.DoesNotExist as exc:
        raise BulkAlreadyImported(document.original_name) from exc
    plan = bulk_plan(agency=agency, document=locked)
    if not plan.ok:
        raise BulkInvalid(plan)
    drafts = [
        RequestDraft(
            insured=group.insured,
            insured_name=group.insured_name,
            carrier=group.carrier,
            policies=group.policies,
            years_requested=group.years_requested,
        )
        for group in plan.groups
    ]
    try:
        created = requests_create_many(
            agency=agency,
            user=user,
            drafts=drafts,
            recipient_name=user.get_full_name() if user else "",
            recipient_email=user.email if user else "",
        )
    except DraftsInvalid as exc:
        for index, messages in exc.by_draft.items():
            plan.file_errors.extend(
                f"{_rows(plan.groups[index].row_numbers)}: {m}" for m in messages
            )
        raise BulkInvalid(plan) from exc
    except ValidationError as exc:
        plan.file_errors.extend(exc.messages)
        raise BulkInvalid(plan) from exc
    stored_path = locked.file.name
    locked.delete()
    transaction.on_commit(lambda: default_storage.delete(stored_path))
    return created


def _rows(numbers: list[int]) -> str:
    return f"row{'s' if len(numbers) > 1 else ''} {', '.join(str(n) for n in numbers)}"
