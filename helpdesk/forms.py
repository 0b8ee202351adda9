"""Help-desk forms: field validation; the domain rules come from helpdesk.rules."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils import timezone

from config.dates import human_date
from helpdesk import rules
from helpdesk.models import CommonMistake, Ticket
from vault.models import Document

NEW_PROOF_SLOTS = 3
PROOF_KIND_CHOICES = [(k.value, k.label) for k in Document.PROOF_OF_CARRIER_KINDS]
REPLY_KIND_CHOICES = [
    (Document.Kind.AUTH_SIGNED.value, Document.Kind.AUTH_SIGNED.label),
    *PROOF_KIND_CHOICES,
    (Document.Kind.LOSS_RUN.value, Document.Kind.LOSS_RUN.label),
    (Document.Kind.OTHER.value, Document.Kind.OTHER.label),
]


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Document) -> str:
        return f"{obj.original_name} ({obj.get_kind_display()}, uploaded {human_date(timezone.localdate(obj.uploaded_at))})"


class TicketSubmitForm(forms.Form):
    """The hand-over form. Built for one request: its documents and its policy numbers."""

    signed_first_request = DocumentChoiceField(
        queryset=Document.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
        label="Signed first request from the vault",
    )
    signed_file = forms.FileField(
        required=False,
        label="Or upload the signed first request",
        help_text="PDF, PNG, JPEG or TIFF, up to 50 MB.",
    )
    message = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Message to the help desk",
        help_text="Anything the help desk should know: calls made, who you spoke to, deadlines.",
    )
    confirm_common_mistakes = forms.BooleanField(
        label="I reviewed the Common Mistakes list and this request avoids them",
        error_messages={"required": rules.CONFIRM_MISTAKES},
    )

    def __init__(
        self, *args, signed_docs, proof_docs, policy_numbers: list[str], fresh_ids=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.policy_numbers = policy_numbers
        self.fresh_ids = set(fresh_ids)  # proofs uploaded in this very submission
        self.fields["signed_first_request"].queryset = signed_docs
        choices = [(n, n) for n in policy_numbers]
        self.proof_docs = list(proof_docs)
        self.existing_proof_fields = []
        for doc in self.proof_docs:
            name = f"proof_{doc.pk}"
            self.fields[name] = forms.MultipleChoiceField(
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=f"{doc.original_name} ({doc.get_kind_display()})",
            )
            self.existing_proof_fields.append((doc, name))
        self.slots = []
        for i in range(NEW_PROOF_SLOTS):
            slot = f"new{i}"
            self.fields[f"{slot}_file"] = forms.FileField(required=False, label="File")
            self.fields[f"{slot}_kind"] = forms.ChoiceField(
                choices=PROOF_KIND_CHOICES, label="What it is", required=False
            )
            self.fields[f"{slot}_policies"] = forms.MultipleChoiceField(
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label="Policy numbers it covers",
            )
            self.slots.append(slot)

    # Template helpers: bound fields grouped per new-upload slot.
    def slot_fields(self):
        return [
            (i + 1, self[f"{s}_file"], self[f"{s}_kind"], self[f"{s}_policies"])
            for i, s in enumerate(self.slots)
        ]

    def extra_slots_used(self) -> bool:
        """Whether an upload slot after the first has input or errors (keep it open)."""
        if not self.is_bound:
            return False
        for slot in self.slots[1:]:
            names = [f"{slot}_file", f"{slot}_policies"]
            if any(self.errors.get(n) or self.data.get(n) or self.files.get(n) for n in names):
                return True
        return False

    def existing_proofs(self):
        return [(doc, self[name]) for doc, name in self.existing_proof_fields]

    def uploads(self):
        """(signed file, [(slot, file, kind)]) among the files that passed field validation."""
        data = getattr(self, "cleaned_data", {})
        proofs = []
        for slot in self.slots:
            upload = data.get(f"{slot}_file")
            if upload:
                kind = data.get(f"{slot}_kind") or Document.Kind.PROOF_DEC_PAGE
                proofs.append((slot, upload, kind))
        return data.get("signed_file"), proofs

    def proof_choices(self) -> list[tuple[Document, list[str]]]:
        data = self.cleaned_data
        return [
            (doc, data.get(name) or [])
            for doc, name in self.existing_proof_fields
            if data.get(name)
        ]

    @staticmethod
    def rebound_data(data: QueryDict, *, signed: Document | None, stored: dict) -> QueryDict:
        """The submitted data, with stored uploads turned into choices of vault documents."""
        data = data.copy()
        if signed is not None:
            data["signed_first_request"] = str(signed.pk)
        for slot, doc in stored.items():
            data.setlist(f"proof_{doc.pk}", data.getlist(f"{slot}_policies"))
            for suffix in ("_file", "_kind", "_policies"):
                data.pop(f"{slot}{suffix}", None)
        return data

    def clean(self):
        data = super().clean()
        if not ({"signed_first_request", "signed_file"} & set(self.errors)):
            self._add_rule_errors(
                rules.signed_first_request_errors(
                    document=data.get("signed_first_request"),
                    uploading=bool(data.get("signed_file")),
                )
            )
        covered: set[str] = set()
        any_proof = False
        for doc, name in self.existing_proof_fields:
            if data.get(name):
                any_proof = True
                covered.update(data[name])
            elif doc.pk in self.fresh_ids:
                any_proof = True
                self.add_error(name, "Tick the policy numbers this document covers.")
        for slot in self.slots:
            has_file = bool(data.get(f"{slot}_file")) or f"{slot}_file" in self.errors
            policies = data.get(f"{slot}_policies") or []
            if has_file and not policies:
                self.add_error(f"{slot}_policies", "Tick the policy numbers this document covers.")
            elif policies and not has_file:
                self.add_error(f"{slot}_file", "Choose the file that covers these policy numbers.")
            if has_file:
                any_proof = True
                covered.update(policies)
        self._add_rule_errors(
            rules.proof_coverage_errors(
                policy_numbers=self.policy_numbers, covered=covered, has_proof=any_proof
            )
        )
        return data

    def _add_rule_errors(self, errors: rules.Errors) -> None:
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReplyForm(forms.Form):
    body = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label="Your reply"
    )
    files = MultipleFileField(required=False, label="Attach documents")
    kind = forms.ChoiceField(
        choices=REPLY_KIND_CHOICES,
        initial=Document.Kind.OTHER,
        label="The attached documents are",
    )

    def clean(self):
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("files") and not self.errors:
            self.add_error("body", "Write a reply or attach a document.")
        return data


class ReturnToAgencyForm(forms.Form):
    reasons = forms.ModelMultipleChoiceField(
        queryset=CommonMistake.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        label="Reasons (Common Mistakes)",
        error_messages={"required": "Choose at least one Common Mistake as the reason."},
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        label="Note to the agency (e-mailed with the reasons)",
    )


class TicketAdminForm(forms.ModelForm):
    received_on = forms.DateField(
        required=False,
        label="Loss runs received on",
        help_text="Needed when resolving as received; it is recorded on the request and stops its tracker.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    loss_run_file = forms.FileField(
        required=False,
        label="The loss runs obtained",
        help_text=(
            "When resolving as received: attach the loss runs (PDF, CSV or XLSX). They are "
            "kept on the request, whose page opens the claims import for them. Leave empty "
            "if the carrier sent them to the agency directly."
        ),
    )
    status_note = forms.CharField(
        required=False,
        label="Note to the agency about this change",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )

    # Set by TicketAdmin when the services refused the change: shown, nothing saved.
    staff_action_errors: tuple[str, ...] = ()

    class Meta:
        model = Ticket
        fields = ["status", "assignee", "priority"]

    def clean(self):
        data = super().clean()
        if self.instance.pk and data.get("status"):
            errors = rules.status_change_errors(
                current=self.instance.status, to=data["status"], received_on=data.get("received_on")
            )
            for name, messages in errors.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        for message in self.staff_action_errors:
            self.add_error(None, message)
        return data
