"""Carrier directory forms: the agency's own notes/overrides, and its private carriers."""

from django import forms

from vault.models import Carrier, CarrierAgencyNote


class CarrierNoteForm(forms.ModelForm):
    class Meta:
        model = CarrierAgencyNote
        fields = ["loss_run_email", "fax", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "loss_run_email": "Used instead of the directory's address, for your agency only.",
            "notes": "Only your agency sees these notes.",
        }


class PrivateCarrierForm(forms.ModelForm):
    portal_url = forms.URLField(
        label="Loss-run portal", max_length=300, required=False, assume_scheme="https"
    )

    class Meta:
        model = Carrier
        fields = [
            "legal_name",
            "naic_code",
            "loss_run_email",
            "fax",
            "phone",
            "portal_url",
            "mailing_address",
            "requirements",
        ]
        widgets = {
            "mailing_address": forms.Textarea(attrs={"rows": 3}),
            "requirements": forms.Textarea(attrs={"rows": 3}),
        }
