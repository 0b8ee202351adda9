"""Staff: what each agency sent to carriers, read-only (the help desk checks it)."""

from django.contrib import admin

from dispatch.models import CarrierSend


@admin.register(CarrierSend)
class CarrierSendAdmin(admin.ModelAdmin):
    list_display = ["request", "agency", "kind", "method", "to", "sent_at"]
    list_filter = ["kind", "method", "agency"]
    search_fields = ["to", "subject", "request__insured__legal_name"]
    list_select_related = ["agency", "request__insured", "request__carrier"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
