"""The one way agency-facing code reaches tenant data.

Every agency-owned model uses `TenantQuerySet` as its manager. Selectors call
`scoped(Model, agency)` or `get_for_agency(Model, agency=..., pk=...)`; the agency always
comes from the signed-in user (`request.agency`, set by `AgencyMiddleware`), never from
the URL or a form. A missing row and another agency's row both raise Http404, so the two
cannot be told apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from accounts.models import Agency

M = TypeVar("M", bound=models.Model)


class TenantQuerySet(models.QuerySet):
    def for_agency(self, agency: Agency) -> TenantQuerySet:
        if agency is None or agency.pk is None:
            raise ValueError("A tenant query needs a saved agency.")
        return self.filter(agency=agency)


def scoped(model_or_qs: type[M] | models.QuerySet, agency: Agency) -> models.QuerySet:
    """All rows of an agency-owned model (or queryset) that belong to `agency`."""
    qs = (
        model_or_qs
        if isinstance(model_or_qs, models.QuerySet)
        else model_or_qs._default_manager.all()
    )
    return qs.for_agency(agency)


def get_for_agency(model_or_qs: type[M] | models.QuerySet, *, agency: Agency, **lookups: Any) -> M:
    """One row of `agency`, or Http404 whether it is missing or another agency's."""
    try:
        return scoped(model_or_qs, agency).get(**lookups)
    except (models.ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such record.") from exc
