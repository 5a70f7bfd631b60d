"""Forms of the petition pages. They parse and shape input for the services, which check every
rule; a service's error is shown on the field it names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.common.ratings import Level

from .categories import localized
from .checks import DESCRIPTION_MAX
from .models import State
from .selectors import (
    HELD_QUEUE,
    active_categories,
    point_in_province,
    ward_at,
    ward_in_address,
    wards,
)

SCORES = Level.choices  # the shared scale, best first
# Which form field shows a service error, by the error's field name.
ERROR_FIELDS = {
    "description": "description",
    "address_string": "address",
    "address_id": "ward",
    "lat": "lat",
    "name": "name",
    "phone": "phone",
    "email": "email",
    "applicant.id_number": "id_number",
}


def category_choices() -> list[tuple[str, str]]:
    return [("", _("Choose…"))] + [(c.code, c.name) for c in active_categories()]


def ward_choices() -> list[tuple[str, str]]:
    return [("", _("Not sure"))] + [(w.code, w.name) for w in wards().order_by("name")]


class PlaceForm(forms.Form):
    """Step one: what kind of problem and where; enough to look for the same petition."""

    category = forms.ChoiceField(label=_("What is it about?"))
    ward = forms.ChoiceField(label=_("Ward, commune or special zone"), required=False)
    address = forms.CharField(
        label=_("Address or place"),
        required=False,
        max_length=255,
        help_text=_("House number, street, landmark."),
    )
    lat = forms.FloatField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    long = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["ward"].choices = ward_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("ward") or data.get("address") or data.get("lat") is not None):
            raise forms.ValidationError(_("Choose the ward or write the address of the place."))
        lat, long = data.get("lat"), data.get("long")
        if (lat is None) != (long is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        if lat is not None and not point_in_province(lat, long):
            self.add_error(
                "lat",
                _(
                    "This point is outside the province. Pick the place again on the map, "
                    "check the coordinates, or leave them empty."
                ),
            )
        elif lat is not None and not data.get("ward"):
            # The same rule as on sending: a ward named in the address first, then the point's.
            ward = ward_in_address(data.get("address") or "") or ward_at(lat, long)
            data["ward"] = ward.code if ward else ""
        return data


class DetailsForm(PlaceForm):
    """Step two: the description, the category's extra questions and who is sending."""

    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": DESCRIPTION_MAX}),
        help_text=_("Plain text, up to 4,000 characters. Do not write personal data here."),
    )
    sender = forms.ChoiceField(
        label=_("Send as"),
        choices=[("anonymous", _("Anonymous")), ("signed", _("With my name and contact"))],
        widget=forms.RadioSelect,
        initial="anonymous",
    )
    name = forms.CharField(label=_("Full name"), required=False, max_length=150)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    email = forms.EmailField(label=_("Email"), required=False)
    id_number = forms.CharField(
        label=_("Citizen ID number (optional)"), required=False, max_length=12
    )

    def __init__(self, *args: Any, category: Any = None, english: bool = False, **kw: Any):
        super().__init__(*args, **kw)
        for name in ("category", "ward", "address", "lat", "long"):
            self.fields[name].widget = forms.HiddenInput()
        self.attribute_names: list[str] = []
        for definition in sorted(
            category.attributes if category else [], key=lambda d: d.get("order", 0)
        ):
            name = f"attr_{definition['code']}"
            label = localized(definition.get("description"), english) or definition["code"]
            required = bool(definition.get("required"))
            if definition["datatype"] in ("singlevaluelist", "multivaluelist"):
                choices = [
                    (str(v["key"]), localized(v.get("name", v["key"]), english))
                    for v in definition["values"]
                ]
                if definition["datatype"] == "multivaluelist":
                    field: forms.Field = forms.MultipleChoiceField(
                        label=label,
                        required=required,
                        choices=choices,
                        widget=forms.CheckboxSelectMultiple,
                    )
                else:
                    field = forms.ChoiceField(
                        label=label, required=required, choices=[("", "—"), *choices]
                    )
            elif definition["datatype"] == "text":
                field = forms.CharField(
                    label=label, required=required, max_length=1000, widget=forms.Textarea
                )
            else:
                field = forms.CharField(label=label, required=required, max_length=1000)
            self.fields[name] = field
            self.attribute_names.append(name)

    @property
    def attribute_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.attribute_names]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("sender") == "signed" and not (data.get("phone") or data.get("email")):
            self.add_error("phone", _("Give a phone number or an email to be told the answer."))
        return data

    def attribute_values(self) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for name in self.attribute_names:
            value = self.cleaned_data.get(name)
            if value:
                values[name.removeprefix("attr_")] = (
                    [str(v) for v in value] if isinstance(value, list) else [str(value)]
                )
        return values


class QueueForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("open", _("Open")),
            (HELD_QUEUE, _("Held for moderation")),
            ("", _("All")),
            *State.choices,
        ],
    )
    overdue = forms.BooleanField(label=_("Past the deadline only"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Answer (published)"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Published with the petition. Do not include the sender's contact details."),
    )


class ForwardForm(forms.Form):
    agency = forms.ChoiceField(label=_("Competent agency"))
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, agencies: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.code, a.name) for a in agencies]


class DuplicateForm(forms.Form):
    original = forms.IntegerField(label=_("Number of the original petition"), min_value=1)


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    close = forms.BooleanField(
        label=_("Also close it without an answer (spam, insults)"), required=False
    )


class ReleaseForm(forms.Form):
    """Releasing a held petition needs no input: the moderator has read it."""


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    agency = forms.CharField(label=_("Agency code"), required=False, max_length=32)

    @staticmethod
    def default_period() -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        return today.replace(day=1), today
