def agency(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.agency_id:
        return {"current_agency": user.agency}
    return {"current_agency": None}
