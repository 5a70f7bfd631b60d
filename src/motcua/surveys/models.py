"""Ratings of how a dossier was handled: one per dossier and stage (receipt, return), its
answers per evaluation criterion, and the append-only history of earlier values.

The criteria themselves are data (`data/criteria.json`), loaded into `RatingCriterion` by a
migration; each answer points at the criterion version it answered."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from motcua.common.ratings import HIGHEST, LOWEST, SCORE_VALIDATORS, Level

OVERALL = "overall"  # the criterion whose score is Rating.overall, not a RatingAnswer
COMMENT_MAX = 1000


class Stage(models.TextChoices):
    RECEIPT = "receipt", _("Receipt of the dossier")
    RETURN = "return", _("Return of the result")


class CriterionStage(models.TextChoices):
    RECEIPT = "receipt", _("At receipt")
    RETURN = "return", _("At the return of the result")
    BOTH = "both", _("At receipt and at return")


class RatingChannel(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk at the desk")
    PORTAL = "portal", _("Portal")
    LINK = "link", _("Link in the notification")


class RatingCriterion(models.Model):
    """One evaluation criterion of one version of the criteria file."""

    code = models.CharField(_("code"), max_length=40)
    label_vi = models.CharField(_("label (Vietnamese)"), max_length=255)
    label_en = models.CharField(_("label (English)"), max_length=255)
    stage = models.CharField(_("stage"), max_length=8, choices=CriterionStage.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    active = models.BooleanField(_("active"), default=True)
    effective_from = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("rating criterion")
        verbose_name_plural = _("rating criteria")
        ordering = ["-effective_from", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="rating_criterion_code_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.effective_from:%Y-%m-%d})"

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "vi").startswith("en") else self.label_vi

    def applies_to(self, stage: str) -> bool:
        return self.stage in (stage, CriterionStage.BOTH)


class Rating(models.Model):
    """The applicant's current rating of a dossier at one stage; edits keep earlier values
    as RatingRevision rows."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="ratings",
        verbose_name=_("dossier"),
    )
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=RatingChannel.choices)
    overall = models.PositiveSmallIntegerField(
        _("overall"), choices=Level.choices, validators=SCORE_VALIDATORS
    )
    # Receipt is the receiving agency's work; the result is the lead agency's.
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX, blank=True)
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    created_at = models.DateTimeField(_("rated at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "stage"], name="rating_dossier_stage"),
            models.CheckConstraint(
                condition=Q(overall__gte=LOWEST, overall__lte=HIGHEST), name="rating_overall_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.stage}: {self.overall}"


class RatingAnswer(models.Model):
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(RatingCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), choices=Level.choices, validators=SCORE_VALIDATORS
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rating", "criterion"], name="answer_rating_criterion"),
            models.CheckConstraint(
                condition=Q(score__gte=LOWEST, score__lte=HIGHEST), name="answer_score_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating_id} {self.criterion_id}: {self.score}"


class RevisionAppendOnly(RuntimeError):
    pass


class RatingRevision(models.Model):
    """The values a rating had before an edit replaced them (append-only)."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()  # the rating's version these values were
    channel = models.CharField(max_length=8, choices=RatingChannel.choices)
    overall = models.PositiveSmallIntegerField(choices=Level.choices)
    answers = models.JSONField(default=dict, blank=True)  # {criterion code: score}
    comment = models.TextField(blank=True)
    rated_at = models.DateTimeField()  # when these values were given
    replaced_at = models.DateTimeField()

    class Meta:
        ordering = ["rating", "number"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "number"], name="revision_rating_number")
        ]

    def __str__(self) -> str:
        return f"{self.rating_id} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RevisionAppendOnly("Rating revisions are append-only.")
        super().save(*args, **kwargs)
