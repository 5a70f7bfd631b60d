"""The one label table per choice set (`Status`, `Action`, `Verdict`, `Channel` in `models`):
pages, printed forms, the API's `*_label` fields and error messages all read labels through here
(an error message takes the choice's lazy label, so each language renders its own)."""

from __future__ import annotations

from django.db import models


def label(choices: type[models.TextChoices], value: str) -> str:
    """The label of `value` in the active language; an unknown value is shown as it is."""
    found = dict(choices.choices).get(value)
    return str(found) if found is not None else value
