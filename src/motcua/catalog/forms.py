"""Forms of the catalog pages; field errors show in the page's language."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from .completeness import required_parts
from .models import OnlineLevel
from .selectors import PAGE_SIZE_MAX

IMPORT_MAX_BYTES = 20 * 1024 * 1024
LEVEL_CHOICES = [
    ("", _("All levels")),
    ("province", _("Province")),
    ("commune", _("Commune")),
    ("central", _("Central")),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search procedures"), required=False, max_length=200)
    field = forms.CharField(label=_("Field"), required=False, max_length=32)
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=LEVEL_CHOICES,
    )
    online_level = forms.ChoiceField(
        label=_("Online"), required=False, choices=[("", _("Any")), *OnlineLevel.choices]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=PAGE_SIZE_MAX)


class HistoryForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start: dt.date | None = data.get("start")
        end: dt.date | None = data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date must not be before the start date."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    as_of = forms.DateField(
        label=_("Date of the announcing decision"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_file(self):  # an UploadedFile
        upload = self.cleaned_data["file"]
        # the same limit as the API's import; a workbook is unzipped in memory when read
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


def _part_choices() -> list[tuple[str, StrOrPromise]]:
    # Lazy per request: a part's label follows the page's language.
    return [("", _("Any part")), *((p.code, p.label) for p in required_parts())]


class CompletenessForm(forms.Form):
    field = forms.CharField(label=_("Field"), required=False, max_length=32)
    agency = forms.CharField(label=_("Competent agency"), required=False, max_length=32)
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=LEVEL_CHOICES,
    )
    missing = forms.ChoiceField(label=_("Missing part"), required=False, choices=_part_choices)
    state = forms.ChoiceField(
        label=_("Content"),
        required=False,
        choices=[
            ("", _("All procedures")),
            ("incomplete", _("Content incomplete")),
            ("complete", _("Content complete")),
        ],
    )
    online = forms.BooleanField(label=_("Offered online only"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)
