"""The help desk's triage queue: every received message, read-only, with two writes (both
through inbound.services.triage): attach to a request (the proposed one, or another chosen
on the change form) and dismiss."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from config.dates import human_datetime
from inbound.models import InboundMessage
from inbound.services import attach_errors, triage_attach, triage_dismiss
from vault.models import LossRunRequest

Status = InboundMessage.Status


class TriageForm(forms.ModelForm):
    attach_to = forms.ModelChoiceField(
        queryset=LossRunRequest.objects.select_related("insured", "carrier"),  # tenancy: staff
        required=False,
        label="Attach to request",
        help_text="The request this message belongs to (its id; the magnifier searches). "
        "Saving attaches it, files its attachments and tells the agency.",
    )

    class Meta:
        model = InboundMessage
        fields: list[str] = []

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        rel = InboundMessage._meta.get_field("request").remote_field
        self.fields["attach_to"].widget = ForeignKeyRawIdWidget(rel, admin_site)
        if self.instance.proposed_request_id and not self.is_bound:
            self.initial["attach_to"] = self.instance.proposed_request_id

    def clean(self):
        data = super().clean()
        target = data.get("attach_to")
        if target is not None:
            for error in attach_errors(message=self.instance, request=target):
                self.add_error("attach_to", error)
        return data


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    # Four columns that wrap (a line and a quieter second line), so the triage queue fits
    # 1366 px with the admin's navigation and the filters open.
    list_display = ["message", "status_kind", "belongs_to", "received"]
    list_display_links = ["message"]
    list_filter = ["status", "kind", "esp"]
    search_fields = ["from_address", "subject", "message_id", "to_addresses"]
    list_select_related = [
        "agency",
        "request__insured",
        "request__carrier",
        "proposed_request__insured",
        "proposed_request__carrier",
        "proposed_request__agency",
    ]
    actions = ["attach_to_proposed", "dismiss"]
    form = TriageForm
    readonly_fields = [
        "status",
        "kind",
        "agency",
        "request",
        "routed_by",
        "proposed",
        "proposal_reason",
        "from_address",
        "to_addresses",
        "subject",
        "sent_at",
        "received_at",
        "esp",
        "message_id",
        "text",
        "done",
        "not_filed",
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        site = self.admin_site

        class Bound(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, admin_site=site, **kw)

        return Bound

    def get_fieldsets(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.status in (Status.TRIAGE, Status.UNMATCHED, Status.DISMISSED):
            fields = ["attach_to", *fields]
        return [(None, {"fields": fields})]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="subject · from")
    def message(self, obj):
        return format_html(
            '{}<span class="hd-line2">{}</span>', obj.subject or "(no subject)", obj.from_address
        )

    @admin.display(description="status · kind", ordering="status")
    def status_kind(self, obj):
        return format_html(
            '{}<span class="hd-line2">{}</span>', obj.get_status_display(), obj.get_kind_display()
        )

    @admin.display(description="request · agency")
    def belongs_to(self, obj):
        if obj.request_id:
            return format_html('{}<span class="hd-line2">{}</span>', obj.request, obj.agency or "—")
        if obj.proposed_request_id:
            return format_html(
                'Proposed: {}<span class="hd-line2">{}</span>',
                obj.proposed_request,
                obj.proposed_request.agency,
            )
        return "—"

    @admin.display(description="received", ordering="received_at")
    def received(self, obj):
        local = timezone.localtime(obj.received_at)
        return f"{human_datetime(local, local.tzinfo)} {local.tzname()}"

    @admin.display(description="proposed request")
    def proposed(self, obj):
        return obj.proposed_request or "—"

    @admin.display(description="what was done")
    def done(self, obj):
        return format_html_join("\n", "<div>{}</div>", ((a,) for a in obj.actions)) or "—"

    @admin.display(description="attachments not filed")
    def not_filed(self, obj):
        rows = ((s.get("name", ""), s.get("reason", "")) for s in obj.skipped)
        return format_html_join("\n", "<div>{}: {}</div>", rows) or "—"

    def save_model(self, request, obj, form, change):
        target = form.cleaned_data.get("attach_to")
        if target is None:
            return
        try:
            triage_attach(message=obj, request=target, staff=request.user)
        except ValidationError as exc:  # raced by another staff member since the form checked
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, format_html("Attached to request {}.", target.pk))

    @admin.action(description="Attach to the proposed request")
    def attach_to_proposed(self, request, queryset):
        done = 0
        for row in queryset.select_related("proposed_request"):
            try:
                triage_attach(message=row, request=row.proposed_request, staff=request.user)
            except ValidationError as exc:
                messages.error(request, f"{row}: {' '.join(exc.messages)}")
            else:
                done += 1
        if done:
            messages.success(request, f"Attached {done} message(s) to their proposed requests.")

    @admin.action(description="Dismiss (not for any request)")
    def dismiss(self, request, queryset):
        for row in queryset:
            try:
                triage_dismiss(message=row, staff=request.user)
            except ValidationError as exc:
                messages.error(request, f"{row}: {' '.join(exc.messages)}")
