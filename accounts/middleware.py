from django.utils.functional import SimpleLazyObject


def _agency_of(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user.agency


class AgencyMiddleware:
    """Puts the signed-in user's agency on `request.agency`: the only source of the tenant."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.agency = SimpleLazyObject(lambda: _agency_of(request))
        return self.get_response(request)
