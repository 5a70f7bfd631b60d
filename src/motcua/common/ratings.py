"""The five-level satisfaction scale, its labels and the "satisfied" threshold: one definition
for the two things citizens rate, a dossier's handling (`surveys.Rating`) and a petition's answer
(`feedback.AnswerRating`). They are different subjects, counted apart, on the same scale: the
levels the National Public Service Portal and the provinces use (Rất hài lòng … Rất không hài
lòng), where the top two count as satisfied (docs/ratings.md)."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """The five levels, best first as the forms show them."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    NEUTRAL = 3, _("Neutral")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


LOWEST = int(Level.VERY_DISSATISFIED)
HIGHEST = int(Level.VERY_SATISFIED)
SATISFIED_FROM = int(Level.SATISFIED)  # levels 4 and 5 count as satisfied
SCORE_VALIDATORS = [MinValueValidator(LOWEST), MaxValueValidator(HIGHEST)]


def is_score(value: Any) -> bool:
    """A whole level on the scale (True and False are not scores)."""
    return isinstance(value, int) and not isinstance(value, bool) and LOWEST <= value <= HIGHEST


def is_satisfied(score: int) -> bool:
    return score >= SATISFIED_FROM
