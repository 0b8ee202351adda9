"""Forms of the claims pages: field validation only; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from claims.headers import FIELDS
from claims.models import Claim, ReportTerm
from config.dates import human_date
from vault.rules import policy_term_errors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_ATTRS = {"inputmode": "decimal", "step": "0.01"}


def _money(label: str, required: bool = False, min_value=None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        required=required,
        min_value=min_value,
        widget=forms.NumberInput(attrs=MONEY_ATTRS),
    )


class CarrierChoiceMixin:
    def set_carriers(self, carriers) -> None:
        self.fields["carrier"].queryset = carriers


class ImportUploadForm(CarrierChoiceMixin, forms.Form):
    def set_documents(self, documents) -> None:
        self.fields["document"].queryset = documents
        self.fields["document"].label_from_instance = lambda d: (
            f"{d.original_name} (uploaded {human_date(timezone.localdate(d.uploaded_at))})"
        )

    carrier = forms.ModelChoiceField(queryset=None, label="Carrier that issued the loss run")
    valuation_date = forms.DateField(
        label="Valuation date",
        widget=DATE,
        required=False,
        help_text="The 'valued as of' date printed on the report. Leave it empty when the"
        " file prints it (a 'Valued as of' line or column): it is read from the file.",
    )
    file = forms.FileField(label="Loss-run file (CSV or XLSX)", required=False)
    document = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="…or a loss run already in the vault",
        empty_label="— upload a new file instead —",
    )
    policy_number = forms.CharField(label="Policy number", max_length=60, required=False)
    term_start = forms.DateField(label="Term start", widget=DATE, required=False)
    term_end = forms.DateField(label="Term end", widget=DATE, required=False)
    line = forms.ChoiceField(label="Line of business", choices=ReportTerm.Line.choices)
    premium = _money("Subject premium", min_value=0)

    def clean(self):
        data = super().clean()
        if data.get("file") and data.get("document"):
            self.add_error("document", "Upload a file or pick one from the vault, not both.")
        elif not data.get("file") and not data.get("document") and "file" not in self.errors:
            self.add_error("file", "Choose the loss-run file (CSV or XLSX).")
        start, end = data.get("term_start"), data.get("term_end")
        if bool(start) != bool(end):
            self.add_error(
                "term_end" if start else "term_start", "Enter both term dates, or neither."
            )
        else:
            for name, messages in policy_term_errors(start, end).items():
                self.add_error(name, messages)
        return data


class MappingForm(forms.Form):
    """One select per column of the file (which claim field it holds), and the valuation
    date (the one typed on upload, else the one the file prints)."""

    valuation_date = forms.DateField(
        label="Valuation date of the report",
        widget=DATE,
        help_text="The 'valued as of' date: the age of the newest valuation comes from it.",
    )

    def __init__(self, *args, headers: list[str], initial_fields: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— ignore this column —"), *FIELDS.items()]
        self.columns = []
        for index, header in enumerate(headers):
            name = f"col_{index}"
            label = header or f"Column {index + 1} (no header)"
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                initial=initial_fields[index] if index < len(initial_fields) else "",
            )
            self.columns.append(name)

    def chosen_fields(self) -> list[str]:
        return [self.cleaned_data.get(name, "") for name in self.columns]


class ReportForm(CarrierChoiceMixin, forms.Form):
    carrier = forms.ModelChoiceField(queryset=None, label="Carrier")
    valuation_date = forms.DateField(label="Valuation date", widget=DATE)


class TermForm(forms.Form):
    policy_number = forms.CharField(label="Policy number", max_length=60, required=False)
    term_start = forms.DateField(label="Term start", widget=DATE)
    term_end = forms.DateField(label="Term end", widget=DATE)
    line = forms.ChoiceField(label="Line of business", choices=ReportTerm.Line.choices)
    subject_premium = _money("Subject premium", min_value=0)

    def clean(self):
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        for name, messages in policy_term_errors(start, end).items():
            self.add_error(name, messages)
        return data


class ClaimForm(forms.Form):
    claim_number = forms.CharField(label="Claim number", max_length=60)
    status = forms.ChoiceField(label="Status", choices=Claim.Status.choices)
    date_of_loss = forms.DateField(label="Date of loss", widget=DATE)
    date_reported = forms.DateField(label="Date reported", widget=DATE, required=False)
    cause_of_loss = forms.CharField(label="Cause of loss", max_length=120, required=False)
    claimant = forms.CharField(label="Claimant", max_length=150, required=False)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    paid_indemnity = _money("Paid indemnity")
    paid_medical = _money("Paid medical")
    paid_expense = _money("Paid expense (ALAE)")
    recoveries = _money("Recoveries")
    reserves = _money("Reserves")
    total_incurred = _money("Total incurred")

    MONEY = ("paid_indemnity", "paid_medical", "paid_expense", "recoveries", "reserves")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "total_incurred"
        ].help_text = "Paid (indemnity + medical + expense - recoveries) + reserves. Leave empty to compute it."

    def clean(self):
        data = super().clean()
        for name in self.MONEY:
            if name in data and data[name] is None:
                data[name] = 0
        if data.get("recoveries") is not None and data["recoveries"] < 0:
            data["recoveries"] = -data["recoveries"]
        return data


class AttestationForm(forms.Form):
    file = forms.FileField(label="Signed no-prior-coverage attestation (PDF)")
    term_start = forms.DateField(label="Term start", widget=DATE)
    term_end = forms.DateField(label="Term end", widget=DATE)
    line = forms.ChoiceField(label="Line of business", choices=ReportTerm.Line.choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        for name, messages in policy_term_errors(start, end).items():
            self.add_error(name, messages)
        return data


class PdfUploadForm(CarrierChoiceMixin, forms.Form):
    """A loss-run PDF (new upload or one already in the vault) and the carrier that issued it."""

    carrier = forms.ModelChoiceField(queryset=None, label="Carrier that issued the loss run")
    file = forms.FileField(label="Loss-run PDF", required=False)
    document = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="…or a received loss run already in the vault",
        empty_label="— upload a new PDF instead —",
    )

    def set_documents(self, documents) -> None:
        self.fields["document"].queryset = documents
        self.fields["document"].label_from_instance = lambda d: (
            f"{d.original_name} (uploaded {human_date(timezone.localdate(d.uploaded_at))})"
        )

    def clean(self):
        data = super().clean()
        if data.get("file") and data.get("document"):
            self.add_error("document", "Upload a PDF or pick one from the vault, not both.")
        elif not data.get("file") and not data.get("document") and "file" not in self.errors:
            self.add_error("file", "Choose the loss-run PDF.")
        return data


class PdfCommitForm(forms.Form):
    valuation_date = forms.DateField(
        label="Valuation date", widget=DATE, help_text="The 'valued as of' date of the report."
    )
