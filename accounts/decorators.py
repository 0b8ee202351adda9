from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils import timezone


def agency_member_required(view):
    """Signed-in agency users only. Platform staff (no agency) are sent to a clear 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.agency_id is None:
            raise PermissionDenied("This page is for agency users. Staff work in the admin.")
        return view(request, *args, **kwargs)

    return wrapper


def agency_owner_required(view):
    @agency_member_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_agency_owner:
            raise PermissionDenied("Only the agency's owner can do this.")
        return view(request, *args, **kwargs)

    return wrapper


def agency_view(view):
    """Agency members only; the view gets the agency as its second argument and renders on
    the agency's clock (its time zone is active for the request)."""

    @agency_member_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        agency = request.user.agency
        with timezone.override(agency.tz):
            return view(request, agency, *args, **kwargs)

    return wrapper
