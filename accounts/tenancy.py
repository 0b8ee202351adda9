"""The one way agency-facing code reaches tenant data.

Every agency-owned model uses `TenantQuerySet` as its manager. Selectors call
`scoped(Model, agency)` or `get_for_agency(Model, agency=..., pk=...)`; the agency always
comes from the signed-in user (`request.agency`, set by `AgencyMiddleware`), never from
the URL or a form. A missing row and another agency's row both raise Http404, so the two
cannot be told apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
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
    if not isinstance(qs, TenantQuerySet):
        raise TypeError(f"{qs.model.__name__} is not an agency-owned model (no TenantQuerySet).")
    return qs.for_agency(agency)


def get_for_agency(model_or_qs: type[M] | models.QuerySet, *, agency: Agency, **lookups: Any) -> M:
    """One row of `agency`, or Http404 whether it is missing or another agency's.

    A lookup value that does not parse as its field (an id typed as "abc" in a query string)
    is a 404 too: it names no row. Anything else wrong (no agency, a lookup the model does not
    have) is a programming error and raises as it is.
    """
    qs = scoped(model_or_qs, agency)
    parsed = {}
    for name, value in lookups.items():
        field = qs.model._meta.pk if name == "pk" else _plain_field(qs.model, name)
        if field is not None:
            try:
                value = field.to_python(value)
            except ValidationError as exc:
                raise Http404("No such record.") from exc
        parsed[name] = value
    try:
        return qs.get(**parsed)
    except models.ObjectDoesNotExist as exc:
        raise Http404("No such record.") from exc


def _plain_field(model: type[models.Model], name: str) -> models.Field | None:
    """The concrete field `name` names (`id`, `insured_id`, `slug`), or None for a lookup
    with `__` or a relation name (left to the ORM)."""
    if "__" in name:
        return None
    for field in model._meta.concrete_fields:
        if name in (field.attname, field.name) and not field.is_relation:
            return field
        if name == field.attname and isinstance(field, models.ForeignKey):
            return field.target_field
    return None
