from django import forms
from django.conf import settings

from vault.documents import ACCEPTED_TYPES_TEXT, size_text
from vault.models import Document

ACCEPT_ATTR = ".pdf,.png,.jpg,.jpeg,.tif,.tiff,.csv,.xlsx"


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is it?", choices=Document.Kind.choices, initial=Document.Kind.AUTH_SIGNED
    )
    file = forms.FileField(
        label="File",
        help_text=f"{ACCEPTED_TYPES_TEXT}; up to {size_text(settings.MAX_UPLOAD_BYTES)}.",
        error_messages={"required": "Choose a file to upload."},
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTR}),
    )

    def __init__(self, *args, prefix_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # Several requests' panels can be on one page: keep every input id unique.
        if prefix_id:
            self.auto_id = f"id_{prefix_id}_%s"
        self.fields["file"].widget.attrs["data-max-bytes"] = str(settings.MAX_UPLOAD_BYTES)
        self.fields[
            "file"
        ].help_text = f"{ACCEPTED_TYPES_TEXT}; up to {size_text(settings.MAX_UPLOAD_BYTES)}."


class BulkUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="One row per policy (or several policy numbers separated by ;). UTF-8 or Excel CSV.",
        error_messages={"required": "Choose the CSV file to import."},
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["data-max-bytes"] = str(settings.MAX_UPLOAD_BYTES)
