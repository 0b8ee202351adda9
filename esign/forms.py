"""The signing page's form and the agent's "send for signature" form."""

from django import forms


class SignForm(forms.Form):
    signer_name = forms.CharField(label="Your name", max_length=150, required=False)
    signer_title = forms.CharField(label="Your title", max_length=100, required=False)
    consent = forms.BooleanField(
        label="I agree to sign this authorization electronically.", required=False
    )
    method = forms.ChoiceField(
        choices=[("drawn", "Draw"), ("typed", "Type")],
        initial="drawn",
        widget=forms.RadioSelect,
        required=False,
    )
    signature_data = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2_000_000)
    typed_signature = forms.CharField(
        label="Type your full name as your signature", max_length=150, required=False
    )
    decline_reason = forms.CharField(
        label="Why do you decline?",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SendForSignatureForm(forms.Form):
    signer_name = forms.CharField(label="Authorized signer", max_length=150)
    signer_title = forms.CharField(label="Signer's title", max_length=100, required=False)
    signer_email = forms.EmailField(label="Signer's e-mail")
