from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Agency, AgencyClosedDay, Invitation, User


class AgencyClosedDayInline(admin.TabularInline):
    model = AgencyClosedDay
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "state", "time_zone", "holiday_calendar", "created_at"]
    search_fields = ["name", "slug"]
    list_filter = ["state", "holiday_calendar"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AgencyClosedDayInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "agency", "role", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "role", "agency"]
    search_fields = ["email", "full_name", "agency__name"]
    list_select_related = ["agency"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "agency", "role")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def save_model(self, request, obj, form, change):
        """Staff moving, deactivating or re-roling someone ends their sessions, as the team page does."""
        if change and {"agency", "role", "is_active"} & set(form.changed_data):
            obj.session_generation += 1
        super().save_model(request, obj, form, change)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "agency", "invited_by", "created_at", "accepted_at", "revoked_at"]
    list_filter = ["agency"]
    search_fields = ["email"]
