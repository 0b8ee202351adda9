from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


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
