"""Forms of the citizen portal: the electronic application built from the procedure's fields."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import FormField, Procedure
from motcua.dossiers.models import Document
from motcua.org.models import Agency

FIELD_CLASSES: dict[str, Callable[[FormField], forms.Field]] = {
    FormField.Kind.TEXT: lambda f: forms.CharField(max_length=500),
    FormField.Kind.TEXTAREA: lambda f: forms.CharField(
        max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    ),
    FormField.Kind.DATE: lambda f: forms.DateField(widget=forms.DateInput(attrs={"type": "date"})),
    FormField.Kind.NUMBER: lambda f: forms.DecimalField(
        min_value=0, max_digits=18, decimal_places=0
    ),
    FormField.Kind.CHOICE: lambda f: forms.ChoiceField(
        choices=[("", "—")] + [(c, c) for c in f.choices]
    ),
}
DEFAULT_FIELD = ("noi_dung", "Nội dung yêu cầu", FormField.Kind.TEXTAREA)


class ApplicationForm(forms.Form):
    """Applicant details, the procedure's own fields, and a file or a stored document for each
    required document. Files are read in the view (several per request)."""

    applicant_name = forms.CharField(label=_("Full name (or organisation)"), max_length=255)
    applicant_kind = forms.ChoiceField(
        label=_("Applying as"),
        choices=[("person", _("Person")), ("organisation", _("Organisation"))],
    )
    id_number = forms.CharField(label=_("ID number (12 digits)"), max_length=12, required=False)
    tax_code = forms.CharField(label=_("Tax code"), max_length=14, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Address"), max_length=500)
    commune = forms.ModelChoiceField(
        label=_("Commune or ward where you file"),
        required=False,
        queryset=Agency.objects.none(),
        to_field_name="code",
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(
        label=_("I have reviewed the information and documents above and confirm they are true.")
    )

    def __init__(
        self, *args: Any, procedure: Procedure, store: list[Document], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
        if procedure.level_commune and not procedure.level_province:
            self.fields["commune"].required = True
            cast(forms.ModelChoiceField, self.fields["commune"]).queryset = Agency.objects.filter(
                kind=Agency.Kind.COMMUNE_COMMITTEE
            ).order_by("name")
        else:
            del self.fields["commune"]
        self.procedure_fields: list[str] = []
        form_fields = list(procedure.form_fields.all()) or [
            FormField(name=DEFAULT_FIELD[0], label=DEFAULT_FIELD[1], kind=DEFAULT_FIELD[2])
        ]
        for spec in form_fields:
            field = FIELD_CLASSES[spec.kind](spec)
            field.label = spec.label
            field.required = spec.required
            field.help_text = spec.help_text
            self.fields[f"f_{spec.name}"] = field
            self.procedure_fields.append(f"f_{spec.name}")
        self.store_choices = [(d.pk, f"{d.title} ({d.original_name})") for d in store]
        self.requirements = list(procedure.documents.all())
        for index, requirement in enumerate(self.requirements):
            self.fields[f"reuse_{index}"] = forms.TypedChoiceField(
                label=requirement.name,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("— upload a file instead —")), *self.store_choices],
            )

    def procedure_data(self) -> dict[str, str]:
        return {
            name[2:]: str(self.cleaned_data[name])
            for name in self.procedure_fields
            if self.cleaned_data.get(name) not in (None, "")
        }

    def bound_procedure_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.procedure_fields]

    def document_rows(self) -> list[tuple[int, Any, forms.BoundField]]:
        return [(i, r, self[f"reuse_{i}"]) for i, r in enumerate(self.requirements)]


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), max_length=48)
    key = forms.CharField(label=_("Lookup key (on your receipt slip)"), max_length=12)


class SupplementUploadForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        label=_("Note for the desk"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Why do you withdraw the dossier?"), max_length=2000)
