"""The form of the member-removal page: who takes over the leaving member's open requests."""

from __future__ import annotations

from django import forms


class HandoverForm(forms.Form):
    successor = forms.ModelChoiceField(
        label="Who takes over their open requests?",
        queryset=None,
        required=False,
        empty_label="Choose a colleague",
        error_messages={"invalid_choice": "Choose an active colleague from the list."},
    )

    def __init__(self, *args, successors, needed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.needed = needed
        field = self.fields["successor"]
        field.queryset = successors
        field.label_from_instance = lambda u: f"{u.get_full_name()} ({u.email})"
        if not needed:
            field.widget = forms.HiddenInput()

    def clean_successor(self):
        successor = self.cleaned_data.get("successor")
        if self.needed and successor is None:
            raise forms.ValidationError("Choose who takes over the open requests.")
        return successor
