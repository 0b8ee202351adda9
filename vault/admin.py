"""Staff admin for the carrier directory and every agency's vault (help-desk work)."""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from simple_history.admin import SimpleHistoryAdmin

from vault.derived import request_derived_refresh
from vault.models import (
    Carrier,
    CarrierAgencyNote,
    Document,
    Insured,
    LossRunRequest,
    Policy,
)
from vault.rules import tracking_dates_errors
from vault.scheduling import schedule_refresh
from vault.services import carrier_promote


class DirectoryFilter(admin.SimpleListFilter):
    title = "directory"
    parameter_name = "directory"

    def lookups(self, request, model_admin):
        return [("platform", "Platform directory"), ("private", "Private to an agency")]

    def queryset(self, request, queryset):
        if self.value() == "platform":
            return queryset.filter(agency__isnull=True)
        if self.value() == "private":
            return queryset.filter(agency__isnull=False)
        return queryset


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "naic_code", "group_name", "directory", "loss_run_email", "phone"]
    list_filter = [DirectoryFilter, "agency"]
    search_fields = ["legal_name", "naic_code", "group_name"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    actions = ["promote_to_platform"]
    fieldsets = [
        (None, {"fields": ["legal_name", "naic_code", "group_name", "states"]}),
        (
            "Loss-run department",
            {
                "fields": [
                    "loss_run_email",
                    "fax",
                    "phone",
                    "portal_url",
                    "mailing_address",
                    "requirements",
                ]
            },
        ),
        ("Directory", {"fields": ["agency", "notes", "created_at"]}),
    ]

    @admin.display(description="Directory", ordering="agency__name")
    def directory(self, obj: Carrier) -> str:
        return f"Private: {obj.agency}" if obj.agency_id else "Platform"

    @admin.action(description="Promote to platform directory")
    def promote_to_platform(self, request, queryset: QuerySet[Carrier]):
        promoted = 0
        for carrier in queryset.filter(agency__isnull=False):
            carrier_promote(carrier=carrier)
            promoted += 1
        self.message_user(
            request, f"{promoted} carrier(s) moved to the platform directory.", messages.SUCCESS
        )


@admin.register(CarrierAgencyNote)
class CarrierAgencyNoteAdmin(admin.ModelAdmin):
    list_display = ["carrier", "agency", "loss_run_email", "fax", "updated_at"]
    list_filter = ["agency"]
    search_fields = ["carrier__legal_name", "agency__name"]
    list_select_related = ["carrier", "agency"]
    autocomplete_fields = ["carrier", "agency"]


@admin.register(Insured)
class InsuredAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "dba", "state", "agency", "signer_name", "created_at"]
    list_filter = ["agency", "state"]
    search_fields = ["legal_name", "dba", "fein"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]


class PolicyInline(admin.TabularInline):
    model = Policy
    extra = 0
    fields = ["policy_number", "line_of_business", "term_start", "term_end"]


class LossRunRequestAdminForm(forms.ModelForm):
    """Staff edit tracking dates too: the same rules as the builder, as field errors."""

    class Meta:
        model = LossRunRequest
        fields = [
            "agency",
            "insured",
            "carrier",
            "years_requested",
            "recipient_name",
            "recipient_email",
            "created_by",
            "first_request_on",
            "second_request_at",
            "received_on",
            "notes",
        ]

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency") or getattr(self.instance, "agency", None)
        dates = ("first_request_on", "second_request_at", "received_on")
        if agency is None or any(name in self.errors for name in dates):
            return cleaned
        errors = tracking_dates_errors(
            agency=agency,
            first_request_on=cleaned.get("first_request_on"),
            second_request_at=cleaned.get("second_request_at"),
            received_on=cleaned.get("received_on"),
            created_at=self.instance.created_at if self.instance.pk else None,
        )
        for name, messages_ in errors.items():
            for message in messages_:
                self.add_error(name, message)
        return cleaned


@admin.register(LossRunRequest)
class LossRunRequestAdmin(SimpleHistoryAdmin):
    form = LossRunRequestAdminForm
    list_display = [
        "id",
        "insured",
        "carrier",
        "agency",
        "created_at",
        "first_request_on",
        "second_request_at",
        "received_on",
        "next_due_at",
    ]
    list_filter = ["agency", ("received_on", admin.EmptyFieldListFilter)]
    search_fields = [
        "insured__legal_name",
        "insured__dba",
        "carrier__legal_name",
        "policies__policy_number",
    ]
    list_select_related = ["insured", "carrier", "agency"]
    raw_id_fields = ["insured", "carrier", "created_by"]
    autocomplete_fields = ["agency"]
    readonly_fields = [
        "created_at",
        "updated_at",
        "second_request_due_at",
        "helpdesk_due_at",
        "next_due_at",
        "statutory_due_on",
        "turnaround_business_days",
    ]
    inlines = [PolicyInline]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            if isinstance(instance, Policy) and not instance.agency_id:
                instance.agency_id = form.instance.agency_id
            instance.save()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        schedule_refresh(form.instance)
        request_derived_refresh(form.instance)


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = [
        "policy_number",
        "line_of_business",
        "term_start",
        "term_end",
        "request",
        "agency",
    ]
    list_filter = ["line_of_business", "agency"]
    search_fields = ["policy_number"]
    raw_id_fields = ["request"]
    list_select_related = ["agency", "request__insured", "request__carrier"]
    readonly_fields = ["agency"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "agency", "request", "size", "uploaded_at"]
    list_filter = ["kind", "agency"]
    search_fields = ["original_name", "sha256"]
    raw_id_fields = ["request", "insured", "uploaded_by"]
    list_select_related = ["agency", "request__insured", "request__carrier"]
    readonly_fields = ["sha256", "size", "content_type", "uploaded_at"]
