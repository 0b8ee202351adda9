"""Forms of accounts: field validation only; the services decide."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.models import US_STATES, US_TIME_ZONES, Agency, User, canonical_email
from accounts.services import SETTINGS_FIELDS
from accounts.time_zones import STATE_TIME_ZONES


class NewPasswordMixin(forms.Form):
    """Two password fields checked by the configured validators against the person's details."""

    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def person(self) -> User:
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords do not match.")
        elif p1:
            try:
                password_validation.validate_password(p1, self.person())
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class SignupForm(forms.Form):
    """Sign-up's first step; the password is chosen on the page the e-mailed link opens."""

    field_order = ["agency_name", "state", "time_zone", "address", "phone", "full_name", "email"]

    agency_name = forms.CharField(label="Agency name", max_length=200)
    full_name = forms.CharField(
        label="Your name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Your e-mail address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    state = forms.ChoiceField(
        label="State", choices=[("", "Choose a state")] + US_STATES,
        help_text="Its public holidays can count as non-business days.",
    )  # fmt: skip
    time_zone = forms.ChoiceField(
        label="Time zone", choices=[("", "The state's time zone")] + US_TIME_ZONES,
        required=False,
        help_text="Deadlines and notices follow this time zone. Choosing a state proposes its zone.",
    )  # fmt: skip
    address = forms.CharField(
        label="Office address", max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
        help_text="Printed at the top of every letter to carriers. You can add it later.",
    )  # fmt: skip
    phone = forms.CharField(
        label="Office phone", max_length=40, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        help_text="Printed on the letters, for carriers with a question.",
    )  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The state's zone, for static/js/signup.js to propose (the server does the same
        # when the time zone is left on "The state's time zone").
        self.fields["state"].widget.attrs["data-state-zones"] = json.dumps(STATE_TIME_ZONES)

    def clean_email(self) -> str:
        # Whether an account exists is never said here: the e-mail tells its owner.
        return canonical_email(self.cleaned_data["email"])


class SignupFinishForm(NewPasswordMixin):
    """Sign-up's second step, behind the e-mailed link: the owner's password."""

    def __init__(self, *args, email: str, full_name: str, **kwargs) -> None:
        self.email, self.full_name = email, full_name
        super().__init__(*args, **kwargs)

    def person(self) -> User:
        return User(email=self.email, full_name=self.full_name)


class InvitationAcceptForm(NewPasswordMixin):
    field_order = ["full_name", "password1", "password2"]

    full_name = forms.CharField(
        label="Your name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def person(self) -> User:
        return User(email=self.email, full_name=self.cleaned_data.get("full_name", ""))


class InviteForm(forms.Form):
    email = forms.EmailField(label="Colleague's e-mail address")
    role = forms.ChoiceField(
        label="Role",
        choices=[
            (User.Role.MEMBER, "Member: works requests"),
            (User.Role.OWNER, "Owner: also invites, removes people and changes settings"),
        ],
        initial=User.Role.MEMBER,
        required=False,  # "Send again" from the Team page posts the invitation's own role
        widget=forms.RadioSelect,
    )

    def clean_role(self) -> str:
        return self.cleaned_data.get("role") or User.Role.MEMBER

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        days = settings.INVITATION_MAX_AGE // 86400
        self.fields[
            "email"
        ].help_text = f"They get a link to choose their password. It works once, for {days} days."

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class AgencySettingsForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = list(SETTINGS_FIELDS)
        labels = {
            "name": "Agency name",
            "email": "Agency e-mail",
            "time_zone": "Time zone",
            "holiday_calendar": "Holiday calendar",
            "notify_time": "Notices go out at",
            "work_opens": "Working hours from",
            "work_closes": "Working hours until",
            "copy_addresses": "Copy deadline e-mails to",
            "valuation_max_age_days": "Loss runs count as current for",
            "large_loss_threshold_pct": "Large loss at (% of term premium)",
        }
        help_texts = {
            "holiday_calendar": "Holidays on this calendar are not business days.",
            "notify_time": "Local time of day deadline e-mails are sent.",
            "work_opens": "No deadline e-mail goes out before this time, or on a closed day.",
            "work_closes": "A deadline that falls after this time waits for the next business day.",
            "copy_addresses": "One e-mail address per line.",
            "valuation_max_age_days": "Underwriters usually want a valuation within 90 days; some markets 60.",
        }
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "copy_addresses": forms.Textarea(attrs={"rows": 3}),
            "notify_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "work_opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "work_closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "large_loss_threshold_pct": forms.NumberInput(attrs={"min": 1, "max": 100}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def clean_copy_addresses(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["copy_addresses"].splitlines()]
        bad = []
        for line in filter(None, lines):
            try:
                validate_email(line)
            except ValidationError:
                bad.append(line)
        if bad:
            raise ValidationError(
                "Not a valid e-mail address: %(bad)s. Put one address per line.",
                params={"bad": ", ".join(bad)},
            )
        return "\n".join(line.lower() for line in lines if line)

    def clean_large_loss_threshold_pct(self) -> int:
        value = self.cleaned_data["large_loss_threshold_pct"]
        if not 1 <= value <= 100:
            raise ValidationError("Enter a percentage between 1 and 100.")
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(
            "holiday_calendar"
        ) == Agency.HolidayCalendar.FEDERAL_AND_STATE and not cleaned.get("state"):
            self.add_error("state", "Choose the state whose holidays should count.")
        return cleaned


class ClosedDayForm(forms.Form):
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="Reason", max_length=120, required=False)
