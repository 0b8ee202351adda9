"""Staff: the signature records, read-only (they are evidence)."""

from django.contrib import admin

from esign.models import SignatureRequest


@admin.register(SignatureRequest)
class SignatureRequestAdmin(admin.ModelAdmin):
    list_display = ["request", "agency", "signer_email", "status", "sent_at", "signed_at"]
    list_filter = ["status", "agency"]
    search_fields = ["signer_email", "signer_name", "request__insured__legal_name"]
    list_select_related = ["agency", "request__insured", "request__carrier"]
    exclude = ["nonce", "letter_html", "unsigned_block_html", "signature_png"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
