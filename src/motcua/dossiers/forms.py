"""Forms of the staff dossier pages. They only parse and shape input into the services' data
classes; every rule about dossiers is checked by `services`, whose errors the views show."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.org.models import Agency

from .models import ApplicantKind, Channel, ResultKind, Status
from .selectors import PAGE_SIZE_MAX
from .services import ActionData, ApplicantData, ReceiptData, SubmittedDocument

RESULT_FILE_MAX_BYTES = 20 * 1024 * 1024
LINES_MAX = 50

OUTCOMES = [
    ("accept", _("Accept: the dossier is complete")),
    ("supplement", _("Ask for a supplement")),
    ("refuse", _("Refuse")),
]
RETURNED_HOW = [
    ("in_person", _("In person at the desk")),
    ("post", _("By post")),
    ("electronic", _("Electronically")),
]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()][:LINES_MAX]


class VietnamDateTimeField(forms.DateTimeField):
    """A `datetime-local` input, read in the province's time zone (settings.TIME_ZONE) whatever
    time zone is active."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]

    def to_python(self, value: Any) -> dt.datetime | None:
        with timezone.override(timezone.get_default_timezone()):
            return super().to_python(value)


# --- the queue -------------------------------------------------------------------------------


class QueueForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Open")), *Status.choices],
    )
    due = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("Any")), ("soon", _("Due soon")), ("late", _("Late"))],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=PAGE_SIZE_MAX)


# --- receipt at the desk ---------------------------------------------------------------------


class ProcedureChoiceForm(forms.Form):
    """Step one of the receipt: which procedure, by code or by words of its name."""

    procedure = forms.CharField(label=_("Procedure code or name"), max_length=200)


class ReceiptForm(forms.Form):
    """Step two: the applicant, the documents the procedure asks for, and the outcome."""

    procedure = forms.CharField(widget=forms.HiddenInput, max_length=32)
    # Online dossiers come only from the portal's submission, never from the desk.
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[c for c in Channel.choices if c[0] != Channel.ONLINE],
        initial="counter",
    )
    applicant_kind = forms.ChoiceField(
        label=_("Applicant is"), choices=ApplicantKind.choices, initial="person"
    )
    applicant_name = forms.CharField(label=_("Full name or organisation name"), max_length=255)
    applicant_id_number = forms.CharField(
        label=_("Personal ID number (12 digits)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_tax_code = forms.CharField(
        label=_("Tax code (organisations)"), required=False, max_length=20
    )
    applicant_phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(label=_("Email"), required=False)
    applicant_address = forms.CharField(label=_("Address"), required=False, max_length=500)
    documents = forms.MultipleChoiceField(
        label=_("Documents handed in"), required=False, widget=forms.CheckboxSelectMultiple
    )
    digitised = forms.BooleanField(label=_("The documents were scanned"), required=False)
    population_data = forms.BooleanField(
        label=_("Data taken from the national population database"), required=False
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=OUTCOMES, initial="accept", widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (for a supplement or a refusal)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    missing_items = forms.CharField(
        label=_("Documents to supplement, one per line"),
        help_text=_("Left empty: the required documents not ticked above."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    processing_days = forms.IntegerField(
        label=_("Processing time (working days)"), required=False, min_value=0, max_value=365
    )
    lead_agency = forms.ChoiceField(label=_("Agency that will handle it"), required=False)

    def __init__(
        self,
        *args: Any,
        procedure: Procedure,
        lead_agencies: tuple[QuerySet[Agency], QuerySet[Agency]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {})["procedure"] = procedure.code
        super().__init__(*args, **kwargs)
        self.requirements = {str(r.pk): r for r in procedure.documents.all()}
        cast(forms.ChoiceField, self.fields["documents"]).choices = [
            (key, r.name if r.required else f"{r.name} ({gettext('if applicable')})")
            for key, r in self.requirements.items()
        ]
        if procedure.processing_days is not None:
            del self.fields["processing_days"]
        city, communes = lead_agencies
        default = procedure.competent_agency.name if procedure.competent_agency else ""
        cast(forms.ChoiceField, self.fields["lead_agency"]).choices = [
            ("", gettext("As the catalog says") + (f" ({default})" if default else "")),
            (_("City agencies"), [(a.code, a.name) for a in city]),
            (_("Communes and wards"), [(a.code, a.name) for a in communes]),
        ]

    def receipt_data(self) -> ReceiptData:
        data = self.cleaned_data
        ticked = [self.requirements[key] for key in data["documents"]]
        missing = _lines(data["missing_items"]) or [
            r.name for r in self.requirements.values() if r.required and r not in ticked
        ]
        return ReceiptData(
            procedure_code=data["procedure"],
            channel=data["channel"],
            applicant=ApplicantData(
                kind=data["applicant_kind"],
                name=data["applicant_name"],
                id_number=data["applicant_id_number"],
                tax_code=data["applicant_tax_code"],
                phone=data["applicant_phone"],
                email=data["applicant_email"],
                address=data["applicant_address"],
            ),
            documents=[
                SubmittedDocument(
                    name=r.name, quantity=r.quantity, form=r.form, digitised=data["digitised"]
                )
                for r in ticked
            ],
            outcome=data["outcome"],
            reason=data["reason"],
            missing_items=missing if data["outcome"] == "supplement" else [],
            processing_days=data.get("processing_days"),
            lead_agency_code=data["lead_agency"] or None,
            population_data=data["population_data"],
        )


# Where a service names the field it rejected, so the error also shows beside that input.
RECEIPT_ERROR_FIELDS = {
    "applicant.id_number": "applicant_id_number",
    "applicant.tax_code": "applicant_tax_code",
    "documents": "documents",
}


# --- actions on a dossier --------------------------------------------------------------------


class ActionForm(forms.Form):
    """One action of `services.ACTIONS`; `version` is the dossier version the officer saw."""

    action: ClassVar[str]
    label: ClassVar[Any]
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.action}_%s")
        super().__init__(*args, **kwargs)

    def action_data(self) -> ActionData:
        return ActionData(
            action=self.action, version=self.cleaned_data["version"], **self.fields_data()
        )

    def fields_data(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data.get("reason", "")}


def _reason(label: Any, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ForwardForm(ActionForm):
    action = "forward"
    label = _("Forward")
    to_agency = forms.CharField(label=_("Forward to"), max_length=32, widget=forms.Select)
    reason = _reason(_("Note for the receiving agency"), required=False)

    def __init__(
        self, *args: Any, targets: list[tuple[Agency, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].widget.choices = [
            (agency.code, f"{agency.name} — {step}") for agency, step in targets or []
        ]

    def fields_data(self) -> dict[str, Any]:
        return {**super().fields_data(), "to_agency_code": self.cleaned_data["to_agency"]}


class RequestSupplementForm(ActionForm):
    action = "request_supplement"
    label = _("Request a supplement")
    items = forms.CharField(
        label=_("Documents to supplement, one per line"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = _reason(_("Reason"))

    def fields_data(self) -> dict[str, Any]:
        return {**super().fields_data(), "items": _lines(self.cleaned_data["items"])}


class SupplementForm(ActionForm):
    action = "supplement"
    label = _("Record the supplement")
    documents = forms.CharField(
        label=_("Documents received, one per line"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = _reason(_("Note"), required=False)

    def fields_data(self) -> dict[str, Any]:
        names = _lines(self.cleaned_data["documents"])
        return {
            **super().fields_data(),
            "documents": [SubmittedDocument(name=name) for name in names],
        }


class ApologizeForm(ActionForm):
    action = "apologize"
    label = _("Apologise and set a new date")
    new_due_at = VietnamDateTimeField(label=_("New appointment"))
    reason = _reason(_("Reason for the delay"))

    def fields_data(self) -> dict[str, Any]:
        return {**super().fields_data(), "new_due_at": self.cleaned_data["new_due_at"]}


class FinishForm(ActionForm):
    action = "finish"
    label = _("Record the result")
    result_kind = forms.ChoiceField(label=_("Result"), choices=ResultKind.choices)
    result_file = forms.FileField(
        label=_("Result file (PDF, for an electronic result)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    result_note = _reason(_("Note"), required=False)
    certified_copy = forms.BooleanField(
        label=_("An electronic certified copy was issued (certification procedures)"),
        required=False,
    )

    def clean_result_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("result_file")
        if upload and upload.size > RESULT_FILE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload

    def fields_data(self) -> dict[str, Any]:
        upload = self.cleaned_data.get("result_file")
        return {
            "result_kind": self.cleaned_data["result_kind"],
            "result_note": self.cleaned_data["result_note"],
            "certified_copy": self.cleaned_data["certified_copy"],
            "result_file_name": upload.name if upload else None,
            # clean_result_file checked the size; the read stays bounded all the same
            "result_file_content": upload.read(RESULT_FILE_MAX_BYTES + 1) if upload else None,
        }


class ReturnForm(ActionForm):
    action = "return"
    label = _("Return the result")
    returned_how = forms.ChoiceField(label=_("Handed over"), choices=RETURNED_HOW)

    def fields_data(self) -> dict[str, Any]:
        return {"returned_how": self.cleaned_data["returned_how"]}


class RefuseForm(ActionForm):
    action = "refuse"
    label = _("Refuse")
    reason = _reason(_("Reason for refusing"))


class StopForm(ActionForm):
    action = "stop"
    label = _("Stop at the applicant's request")
    reason = _reason(_("Reason"))


class AcceptSupplementForm(ActionForm):
    action = "accept_supplement"
    label = _("Accept the supplement sent online (the clock resumes)")


class AcceptForm(ActionForm):
    action = "accept"
    label = _("Accept the online dossier (complete and valid)")


# In the order the page shows them: the usual next steps first.
ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.action: form
    for form in (
        AcceptForm,
        AcceptSupplementForm,
        ForwardForm,
        FinishForm,
        ReturnForm,
        SupplementForm,
        RequestSupplementForm,
        ApologizeForm,
        RefuseForm,
        StopForm,
    )
}
