from django import forms
from django.utils import timezone

from dispatch.models import CarrierSend
from vault.forms import AgencyDateTimeField, DateTimeLocalInput


class ManualSendForm(forms.Form):
    """ "I sent it": how and when the agency sent the request itself."""

    kind = forms.ChoiceField(choices=CarrierSend.Kind.choices, widget=forms.HiddenInput)
    method = forms.ChoiceField(
        label="How did you send it?",
        choices=[(v, label) for v, label in CarrierSend.Method.choices if v != "email"],
    )
    to = forms.CharField(
        label="Sent to (fax number, portal, address)", max_length=300, required=False
    )
    note = forms.CharField(label="Note", max_length=300, required=False)

    def __init__(self, *args, tz=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_at"] = AgencyDateTimeField(
            label="Sent at", tz=tz, widget=DateTimeLocalInput(), initial=timezone.now
        )
