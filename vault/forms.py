"""Request Builder forms. Field parsing here; the domain rules come from vault.rules."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone

from accounts.models import US_STATES, Agency, User
from accounts.tenancy import scoped
from vault.models import Carrier, Insured, LossRunRequest, Policy
from vault.rules import (
    PolicyData,
    duplicate_open_request_errors,
    policies_errors,
    policy_term_errors,
    tracking_dates_errors,
)
from vault.selectors import carriers_visible, open_requests_for
from vault.status import Status

DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
TRACKING_DATES = ("first_request_on", "second_request_at", "received_on")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL_FORMAT)


class AgencyDateTimeField(forms.DateTimeField):
    """A datetime typed on the agency's wall clock (never the server's or the browser's)."""

    input_formats = [DATETIME_LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M"]

    def __init__(self, *, tz: zoneinfo.ZoneInfo | None = None, **kwargs):
        self.tz = tz
        kwargs.setdefault("widget", DateTimeLocalInput)
        super().__init__(**kwargs)

    def to_python(self, value):
        """The typed wall time in the agency's zone, also on the days the clocks change.

        A time in the spring-forward gap (02:30, which the clocks skip) is read on the
        clock as it was before the change, i.e. 03:30 daylight time; a time that occurs
        twice when the clocks fall back (01:30) is its first occurrence. Django's own
        parsing refuses both, which would leave the agency no way to enter them.
        """
        if self.tz is None:
            return super().to_python(value)
        with timezone.override(dt.UTC):  # parse the wall time where every time exists
            parsed = super().to_python(value)
        if parsed is None:
            return None
        wall = parsed.astimezone(dt.UTC).replace(tzinfo=None)
        try:
            return wall.replace(tzinfo=self.tz, fold=0).astimezone(dt.UTC)
        except OverflowError:  # year 1 or 9999 moved across the zone's offset
            raise forms.ValidationError(
                "Enter a real date and time: check the year.", code="invalid"
            ) from None

    def prepare_value(self, value):
        if self.tz is None or not isinstance(value, dt.datetime):
            return super().prepare_value(value)
        with timezone.override(self.tz):
            return super().prepare_value(value)


class PartyChoiceField(forms.ModelChoiceField):
    """An insured or carrier picked by typeahead: a hidden id, resolved through the agency."""

    widget = forms.HiddenInput


class RequestForm(forms.Form):
    insured = PartyChoiceField(
        queryset=Insured.objects.none(),
        error_messages={
            "required": "Choose an insured from the list, or add a new one.",
            "invalid_choice": "Choose an insured from the list, or add a new one.",
        },
    )
    carrier = PartyChoiceField(
        queryset=Carrier.objects.none(),
        error_messages={
            "required": "Choose a carrier from the list, or add a new one.",
            "invalid_choice": "Choose a carrier from the list, or add a new one.",
        },
    )
    years_requested = forms.IntegerField(
        label="Years of loss history",
        min_value=1,
        max_value=20,
        required=False,
        help_text="Leave empty for the years the terms cover. Carriers usually want 3 to 5.",
    )
    recipient_name = forms.CharField(label="Send the loss runs to (name)", max_length=150)
    recipient_email = forms.EmailField(label="Send the loss runs to (e-mail)")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    first_request_on = forms.DateField(
        label="1st Request",
        required=False,
        widget=DateInput,
        help_text="The day the signed 1st request went to the carrier.",
    )
    second_request_at = AgencyDateTimeField(
        label="2nd Request",
        required=False,
        help_text="Date and time the 2nd request was sent (your agency's time).",
    )
    received_on = forms.DateField(
        label="Received",
        required=False,
        widget=DateInput,
        help_text="The day the loss runs arrived. Stops every reminder.",
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        required=False,
        empty_label="—",
        help_text="The agent who works this request (their Today, their digest, the Help "
        "Desk's e-mails). Left empty: you on a new request, unchanged on a saved one.",
    )
    confirm_duplicate = forms.BooleanField(
        label="Yes, create another open request for this insured and carrier",
        required=False,
    )

    governing_state = forms.ChoiceField(
        label="Governing state",
        required=False,
        choices=[("", "Same as the insured's state"), *US_STATES],
        help_text="The state whose loss-run statute sets the carrier's deadline.",
    )
    statute_condition_met = forms.BooleanField(
        label="The state's rule applies to this request",
        required=False,
        help_text="Only for a rule that runs in some situations (e.g. cancellation, nonrenewal).",
    )

    def __init__(
        self,
        *args,
        agency: Agency,
        current: LossRunRequest | None = None,
        with_dates: bool = True,
        **kwargs,
    ):
        """`with_dates=False`: the edit page's details form, whose tracking dates are saved
        on their own (vault.forms_tracking.TrackingDatesForm, the next-step card)."""
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.current = current
        self.fields["insured"].queryset = scoped(Insured, agency)
        self.fields["carrier"].queryset = carriers_visible(agency=agency)
        self.fields["owner"].queryset = scoped(User, agency).filter(is_active=True)
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name()
        if not with_dates:
            for name in TRACKING_DATES:
                del self.fields[name]
            return
        self.fields["second_request_at"].tz = agency.tz
        for name in TRACKING_DATES:
            self.fields[name].widget.attrs["max"] = self._max_for(name)

    def _max_for(self, name: str) -> str:
        now_local = timezone.now().astimezone(self.agency.tz)
        if name == "second_request_at":
            return now_local.strftime(DATETIME_LOCAL_FORMAT)
        return now_local.date().isoformat()

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in TRACKING_DATES):
            return cleaned
        errors = tracking_dates_errors(
            agency=self.agency,
            first_request_on=cleaned.get("first_request_on"),
            second_request_at=cleaned.get("second_request_at"),
            received_on=cleaned.get("received_on"),
            created_at=self.current.created_at if self.current else None,
        )
        insured, carrier = cleaned.get("insured"), cleaned.get("carrier")
        if self.current is None and not cleaned.get("confirm_duplicate") and insured and carrier:
            existing = open_requests_for(agency=self.agency, insured=insured, carrier=carrier)
            errors.update(
                duplicate_open_request_errors(
                    agency=self.agency, insured=insured, carrier=carrier, existing=existing
                )
            )
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name, message)
        return cleaned

    def clean_second_request_at(self):
        """Keep the stored instant when its wall time comes back unchanged.

        01:30 on the night the clocks fall back occurs twice; re-saving the edit form must
        not move a stored second occurrence to the first one.
        """
        value = self.cleaned_data.get("second_request_at")
        stored = self.current.second_request_at if self.current else None
        if value and stored:
            wall = self.fields["second_request_at"].to_python
            if wall(stored.astimezone(self.agency.tz).strftime(DATETIME_LOCAL_FORMAT)) == value:
                return stored
        return value


class PolicyForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    policy_number = forms.CharField(label="Policy number", max_length=60)
    line_of_business = forms.ChoiceField(
        label="Line", choices=Policy.Line.choices, initial=Policy.Line.GL
    )
    term_start = forms.DateField(label="Term start", widget=DateInput)
    term_end = forms.DateField(label="Term end", widget=DateInput)

    def clean_policy_number(self):
        return self.cleaned_data["policy_number"].strip()

    def clean(self):
        cleaned = super().clean()
        for name, messages in policy_term_errors(
            cleaned.get("term_start"), cleaned.get("term_end")
        ).items():
            for message in messages:
                self.add_error(name, message)
        return cleaned


class BasePolicyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        errors = policies_errors(self.policy_data())
        if errors:
            raise forms.ValidationError(errors["policies"])

    def policy_data(self) -> list[PolicyData]:
        out = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or (self.can_delete and self._should_delete_form(form)):
                continue
            out.append(
                PolicyData(
                    id=data.get("id"),
                    policy_number=data["policy_number"],
                    line_of_business=data["line_of_business"],
                    term_start=data["term_start"],
                    term_end=data["term_end"],
                )
            )
        return out


PolicyFormSet = forms.formset_factory(
    PolicyForm, formset=BasePolicyFormSet, extra=0, can_delete=True, max_num=50, validate_max=True
)


class InsuredInlineForm(forms.Form):
    """The small "new insured" form inside the builder (prefix `ni`)."""

    legal_name = forms.CharField(label="Legal name", max_length=200)
    dba = forms.CharField(label="DBA", max_length=200, required=False)
    state = forms.ChoiceField(label="State", choices=[("", "—")] + US_STATES, required=False)
    mailing_address = forms.CharField(
        label="Mailing address", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    signer_name = forms.CharField(label="Authorized signer", max_length=150, required=False)
    signer_title = forms.CharField(label="Signer's title", max_length=100, required=False)
    signer_email = forms.EmailField(label="Signer's e-mail", required=False)


class CarrierInlineForm(forms.Form):
    """The small "new private carrier" form inside the builder (prefix `nc`)."""

    legal_name = forms.CharField(label="Carrier legal name", max_length=200)
    naic_code = forms.CharField(label="NAIC code", max_length=10, required=False)
    loss_run_email = forms.EmailField(label="Loss-run department e-mail", required=False)
    fax = forms.CharField(label="Fax", max_length=40, required=False)
    phone = forms.CharField(label="Phone", max_length=40, required=False)


class VaultFilterForm(forms.Form):
    """The vault's search box and status filter (GET)."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": "Insured, carrier or policy number"}),
    )
    status = forms.ChoiceField(label="Status", required=False)
    owner = forms.ChoiceField(label="Owner", required=False)

    MINE = "me"

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "All statuses"), *Status.FILTERS.items()]
        self.members = {str(m.pk): m for m in members}
        self.fields["owner"].choices = [
            ("", "Anyone"),
            (self.MINE, "My requests"),
            *((pk, m.get_full_name()) for pk, m in self.members.items()),
        ]

    def owner_for(self, user):
        """The chosen owner: the signed-in user for "My requests", a member, or None."""
        value = self.cleaned_data.get("owner", "")
        if value == self.MINE:
            return user
        return self.members.get(value)
