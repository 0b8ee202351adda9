"""Sign-in backend: Django's ModelBackend, reading the user's agency with the user.

Every agency page needs both (the agency is the tenant, accounts.middleware), so one query
a request instead of two."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("agency").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
