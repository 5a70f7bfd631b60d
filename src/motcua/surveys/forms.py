"""Forms of the rating pages: the kiosk's code-and-key screen and the rating itself, whose
questions come from the criteria in force (one radio group of five faces per criterion)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.common.ratings import Level

from .models import COMMENT_MAX, RatingCriterion

# Drawn beside each level's words (inline SVG, so no emoji font is needed on the tablet); the
# words carry the meaning, the face is decoration: (mouth path, fill colour).
FACES = {
    5: ("M13 28 Q24 41 35 28", "#8ddb8c"),
    4: ("M15 30 Q24 36 33 30", "#c8e98e"),
    3: ("M15 32 L33 32", "#ffe58a"),
    2: ("M15 35 Q24 29 33 35", "#ffc48a"),
    1: ("M13 37 Q24 24 35 37", "#ff9a8a"),
}
LEVEL_CHOICES = [(str(value), label) for value, label in Level.choices]


class KioskStartForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), max_length=48)
    key = forms.CharField(label=_("Lookup key (on your receipt slip)"), max_length=12)


@dataclass(frozen=True)
class Choice:
    value: int
    label: str
    mouth: str
    colour: str
    checked: bool


@dataclass(frozen=True)
class Question:
    name: str
    label: str
    required: bool
    choices: list[Choice]
    errors: list[str]


class RatingForm(forms.Form):
    """`overall` is required; every other criterion may be skipped."""

    comment = forms.CharField(
        label=_("Anything else you want to tell us (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX}),
    )

    def __init__(
        self,
        *args: Any,
        overall: RatingCriterion | None,
        criteria: list[RatingCriterion],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.overall_criterion = overall
        self.criteria = criteria
        self.fields["overall"] = forms.TypedChoiceField(
            label=overall.label if overall else _("Overall satisfaction"),
            choices=LEVEL_CHOICES,
            coerce=int,
            widget=forms.RadioSelect,
        )
        for criterion in criteria:
            self.fields[f"c_{criterion.code}"] = forms.TypedChoiceField(
                label=criterion.label,
                choices=LEVEL_CHOICES,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )
        self.order_fields(["overall", *[f"c_{c.code}" for c in criteria], "comment"])

    @staticmethod
    def initial_from(overall: int | None, answers: dict[str, int], comment: str) -> dict:
        return {
            "overall": overall,
            "comment": comment,
            **{f"c_{code}": score for code, score in answers.items()},
        }

    def answers(self) -> dict[str, int]:
        data = self.cleaned_data
        return {
            c.code: data[f"c_{c.code}"]
            for c in self.criteria
            if data.get(f"c_{c.code}") is not None
        }

    def questions(self) -> list[Question]:
        """Each radio group as the template draws it: label, five faces, the chosen one."""
        result = []
        for name in ["overall", *[f"c_{c.code}" for c in self.criteria]]:
            bound = self[name]
            value = bound.value()
            chosen = str(value) if value not in (None, "") else ""
            result.append(
                Question(
                    name=name,
                    label=str(bound.label),
                    required=name == "overall",
                    choices=[
                        Choice(int(v), str(label), *FACES[int(v)], checked=chosen == v)
                        for v, label in LEVEL_CHOICES
                    ],
                    errors=list(bound.errors),
                )
            )
        return result
