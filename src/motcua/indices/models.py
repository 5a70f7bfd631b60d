"""Methodologies (a versioned tree of domains, criteria and sub-criteria, loaded from data
files) and assessments: a unit's or agency's self-assessed and appraised points per leaf."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Methodology(models.Model):
    """One version of an index framework (PAR Index 2017, a province's own framework, …)."""

    code = models.SlugField(_("code"), max_length=64)
    version = models.CharField(_("version"), max_length=32)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    scope = models.CharField(_("scope"), max_length=32, blank=True)
    official = models.BooleanField(_("official"), default=False)
    source_note = models.TextField(_("source note"), blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    total_points = models.DecimalField(_("total points"), max_digits=7, decimal_places=2)
    groups = models.JSONField(_("grade groups"), default=list)
    checksum = models.CharField(max_length=64, verbose_name=_("checksum"))
    loaded_at = models.DateTimeField(auto_now=True, verbose_name=_("loaded at"))

    class Meta:
        verbose_name = _("index methodology")
        verbose_name_plural = _("index methodologies")
        ordering = ["code", "-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="methodology_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.name_vi} ({self.version})"


class Node(models.Model):
    """A domain, criterion or sub-criterion; leaves are what gets scored."""

    class RuleKind(models.TextChoices):
        MANUAL = "manual", _("Self-assessed with evidence")
        COMPUTED = "computed", _("Computed from a metric")
        SURVEY = "survey", _("Sociological survey")

    methodology = models.ForeignKey(Methodology, on_delete=models.CASCADE, related_name="nodes")
    code = models.CharField(_("code"), max_length=32)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500)
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2)
    rule_kind = models.CharField(max_length=16, choices=RuleKind.choices, default="manual")
    rule = models.JSONField(default=dict, blank=True)
    direction = models.CharField(max_length=16, default="higher_better")
    target = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    official = models.BooleanField(_("official"), default=False)
    source_note = models.TextField(_("source note"), blank=True)

    class Meta:
        verbose_name = _("index node")
        verbose_name_plural = _("index nodes")
        ordering = ["methodology", "position"]
        constraints = [
            models.UniqueConstraint(fields=["methodology", "code"], name="node_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi}"


class Assessment(models.Model):
    """A unit or an agency assessed on one methodology for one year."""

    methodology = models.ForeignKey(
        Methodology,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("methodology"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("unit"),
    )
    agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("agency"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True, agency__isnull=False)
                | Q(unit__isnull=False, agency__isnull=True),
                name="assessment_one_subject",
            ),
            models.UniqueConstraint(
                fields=["methodology", "year", "agency"],
                condition=Q(agency__isnull=False),
                name="assessment_agency_year",
            ),
            models.UniqueConstraint(
                fields=["methodology", "year", "unit"],
                condition=Q(unit__isnull=False),
                name="assessment_unit_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_label} {self.year} {self.methodology.code}"

    @property
    def subject_label(self) -> str:
        subject = self.agency or self.unit
        return getattr(subject, "short_name", "") or str(subject)


class Score(models.Model):
    """Points for one leaf: what the subject claims, what the reform office accepts."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    node = models.ForeignKey(
        Node, on_delete=models.PROTECT, related_name="scores", verbose_name=_("node")
    )
    self_points = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, verbose_name=_("self points")
    )
    appraised_points = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, verbose_name=_("appraised points")
    )
    reason = models.TextField(_("appraisal reason"), blank=True)
    note = models.TextField(_("note"), blank=True)
    self_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("self by"),
    )
    self_at = models.DateTimeField(null=True, blank=True, verbose_name=_("self at"))
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("appraised by"),
    )
    appraised_at = models.DateTimeField(null=True, blank=True, verbose_name=_("appraised at"))
    # Computed leaves: the metric's ratio (None: no data) and where it came from.
    computed_ratio = models.DecimalField(
        max_digits=6, decimal_places=4, null=True, blank=True, verbose_name=_("computed ratio")
    )
    computed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("computed at"))
    computed_source = models.CharField(_("computed from"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "node"], name="score_one_per_leaf"),
            models.CheckConstraint(
                condition=Q(self_points__isnull=True) | Q(self_points__gte=0),
                name="score_self_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(appraised_points__isnull=True) | Q(appraised_points__gte=0),
                name="score_appraised_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.node.code}"


class Evidence(models.Model):
    """A file (PDF, JPEG, PNG) backing a self-assessed score."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="indices/evidence/%Y/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name


class ExternalValue(models.Model):
    """A published value of an external index (PCI, PAPI) for a province and year: the total
    (component "total") or one sub-index. Imported and compared, never computed here."""

    index = models.CharField(_("index"), max_length=16)
    province_code = models.PositiveSmallIntegerField(_("province code"))
    year = models.PositiveSmallIntegerField(_("year"))
    component = models.CharField(_("component"), max_length=48, default="total")
    score = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, verbose_name=_("published score")
    )
    rank = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("rank"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now=True, verbose_name=_("imported at"))

    class Meta:
        verbose_name = _("external index value")
        verbose_name_plural = _("external index values")
        ordering = ["index", "province_code", "year", "component"]
        constraints = [
            models.UniqueConstraint(
                fields=["index", "province_code", "year", "component"], name="external_value_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.index} {self.province_code} {self.year} {self.component}"


class Scenario(models.Model):
    """A saved what-if: leaf points per subject and/or new node maxima laid over one year's
    actual scores of one methodology version. Stored as an overlay, never applied."""

    methodology = models.ForeignKey(
        Methodology,
        on_delete=models.PROTECT,
        related_name="scenarios",
        verbose_name=_("methodology"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    overlay = models.JSONField(_("overlay"), default=dict)  # {"scores": {...}, "weights": {...}}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"))

    class Meta:
        verbose_name = _("what-if scenario")
        verbose_name_plural = _("what-if scenarios")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.methodology.code} {self.year})"
