"""The one label table per choice set (`Status`, `Action`, `Verdict`, `Channel` in `models`):
pages, printed forms and the API's `*_label` fields all read labels through here.

`label(choices, value)` is in the active language; `VI_*` mappings are always Vietnamese, for
the Vietnamese half of an error message whatever language the request asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from django.db import models
from django.utils import translation

from .models import Action, Channel, Status, Verdict


def label(choices: type[models.TextChoices], value: str) -> str:
    """The label of `value` in the active language; an unknown value is shown as it is."""
    found = dict(choices.choices).get(value)
    return str(found) if found is not None else value


class VietnameseLabels(Mapping[str, str]):
    """The labels of one choice set in Vietnamese, resolved when read (not at import time)."""

    def __init__(self, choices: type[models.TextChoices]) -> None:
        self._choices = choices

    def __getitem__(self, value: str) -> str:
        if value not in self._choices.values:
            raise KeyError(value)
        with translation.override("vi"):
            return label(self._choices, value)

    def __iter__(self) -> Iterator[str]:
        return iter(self._choices.values)

    def __len__(self) -> int:
        return len(self._choices.values)


ACTION_LABELS_VI = VietnameseLabels(Action)
STATUS_LABELS_VI = VietnameseLabels(Status)
VERDICT_LABELS_VI = VietnameseLabels(Verdict)
CHANNEL_LABELS_VI = VietnameseLabels(Channel)
