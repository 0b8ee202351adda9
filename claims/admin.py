"""Claims data in the platform admin: read-mostly views for staff support."""

from django.contrib import admin

from claims.models import CarrierHeaderMapping, Claim, ImportJob, LossRunReport, ReportTerm


class ReportTermInline(admin.TabularInline):
    model = ReportTerm
    extra = 0
    fields = ("policy_number", "term_start", "term_end", "line", "subject_premium")
    show_change_link = True


@admin.register(LossRunReport)
class LossRunReportAdmin(admin.ModelAdmin):
    list_display = ("insured", "carrier", "valuation_date", "agency", "created_at")
    list_filter = ("agency",)
    search_fields = ("insured__legal_name", "carrier__legal_name")
    raw_id_fields = ("insured", "carrier", "document", "created_by")
    date_hierarchy = "valuation_date"
    inlines = [ReportTermInline]


@admin.register(ReportTerm)
class ReportTermAdmin(admin.ModelAdmin):
    list_display = (
        "insured",
        "policy_number",
        "term_start",
        "term_end",
        "line",
        "subject_premium",
        "no_prior_coverage",
    )
    list_filter = ("agency", "line", "no_prior_coverage")
    search_fields = ("policy_number", "insured__legal_name")
    raw_id_fields = ("insured", "report", "attestation")


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = (
        "claim_number",
        "insured",
        "date_of_loss",
        "status",
        "reserves",
        "total_incurred",
    )
    list_filter = ("agency", "status")
    search_fields = ("claim_number", "claim_key", "insured__legal_name")
    raw_id_fields = ("insured", "report", "term", "carrier")
    list_select_related = ("insured",)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "insured",
        "carrier",
        "status",
        "progress",
        "total_rows",
        "bad_rows",
        "created_at",
    )
    list_filter = ("agency", "status")
    raw_id_fields = ("insured", "carrier", "document", "report", "created_by")
    list_select_related = ("insured", "carrier")

    @admin.display(description="progress")
    def percent(self, job: ImportJob) -> str:
        return f"{job.percent}%"


@admin.register(CarrierHeaderMapping)
class CarrierHeaderMappingAdmin(admin.ModelAdmin):
    list_display = ("agency", "carrier", "updated_at")
    list_filter = ("agency",)
    raw_id_fields = ("carrier",)
