"""Administrative procedures as announced, with their documents, fees and change history."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.common.text import fold, fold_name


class Field(models.Model):
    """A field of administration (lĩnh vực), e.g. Hộ tịch, Đất đai."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255, unique=True)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OnlineLevel(models.TextChoices):
    """Decree 42/2022 levels; the legacy levels 1–4 of Decree 43/2011 are kept beside them."""

    FULL = "full", _("Fully online (toàn trình)")
    PARTIAL = "partial", _("Partly online (một phần)")
    NONE = "none", _("Not online")


class Procedure(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("In force")
        ABOLISHED = "abolished", _("Abolished")
        DRAFT = "draft", _("Not yet in force")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.TextField(_("name"))
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("field")
    )
    levels = models.CharField(
        _("implementing levels"), max_length=64, help_text=_("As published, e.g. tỉnh/xã.")
    )
    level_province = models.BooleanField(default=False, verbose_name=_("level province"))
    level_commune = models.BooleanField(default=False, verbose_name=_("level commune"))
    level_central = models.BooleanField(default=False, verbose_name=_("level central"))
    competent_agency_text = models.TextField(_("competent agency (as published)"), blank=True)
    competent_agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="procedures",
        verbose_name=_("competent agency"),
    )
    processing_days = models.PositiveSmallIntegerField(
        _("processing time (working days)"), null=True, blank=True
    )
    fee_vnd = models.PositiveBigIntegerField(_("fee (VND)"), null=True, blank=True)
    fee_note = models.CharField(_("fee note"), max_length=255, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    conditions = models.TextField(
        _("requirements and conditions"),
        blank=True,
        help_text=_("As published; write “Không” when the procedure sets none."),
    )
    result_description = models.TextField(
        _("result of the procedure"),
        blank=True,
        help_text=_("What the applicant receives, e.g. a certificate or a licence."),
    )
    online_level = models.CharField(
        _("online level"), max_length=8, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    legacy_level = models.PositiveSmallIntegerField(
        _("legacy online level (1–4)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True)
    announced_by = models.CharField(_("announcing decision"), max_length=255, blank=True)
    certification = models.BooleanField(
        default=False,
        verbose_name=_("certification procedure"),
        help_text=_("A certification (chứng thực) procedure."),
    )
    source = models.TextField(_("source"), blank=True)
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    # Folded copies kept for search and ranking; always written through `refresh_search_text`.
    name_key = models.TextField(editable=False, default="", verbose_name=_("name key"))
    search_text = models.TextField(editable=False, default="", verbose_name=_("search text"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(legacy_level__isnull=True)
                | Q(legacy_level__gte=1, legacy_level__lte=4),
                name="procedure_legacy_level_1_4",
            ),
            models.CheckConstraint(
                condition=~Q(status="abolished") | Q(abolished_on__isnull=False),
                name="procedure_abolished_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "field"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs) -> None:
        self.refresh_search_text()
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        self.level_province = "tỉnh" in self.levels
        self.level_commune = "xã" in self.levels
        self.level_central = "bộ" in self.levels
        self.name_key = fold_name(self.name)
        field_name = self.field.name if self.field_id else ""
        self.search_text = " ".join(
            part for part in (fold(self.name), fold(self.code), fold(field_name)) if part
        )


class DocumentRequirement(models.Model):
    class Form(models.TextChoices):
        ORIGINAL = "original", _("Original")
        COPY = "copy", _("Copy")
        CERTIFIED_COPY = "certified_copy", _("Certified copy")
        SHOWN = "shown", _("Shown only")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.TextField(_("document"))
    form = models.CharField(_("form"), max_length=16, choices=Form.choices, default=Form.ORIGINAL)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    required = models.BooleanField(_("required"), default=True)
    template = models.FileField(_("template file"), upload_to="templates/", blank=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["procedure", "position"]

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("fee"), max_length=255)
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount_vnd:,} VND"


class CatalogEvent(models.Model):
    """One announcement, amendment or abolition; the catalog history report counts these."""

    class Kind(models.TextChoices):
        ANNOUNCED = "announced", _("Announced")
        AMENDED = "amended", _("Amended")
        ABOLISHED = "abolished", _("Abolished")

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="events", verbose_name=_("procedure")
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    date = models.DateField(verbose_name=_("date"))
    decision = models.CharField(max_length=255, blank=True, verbose_name=_("decision"))
    # Field and level as they were at the time, so the report does not move when they change.
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="+", verbose_name=_("field")
    )
    levels = models.CharField(max_length=64, verbose_name=_("levels"))
    changes = models.JSONField(default=dict, blank=True, verbose_name=_("changes"))
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))
    # The day the announcement or amendment was made public in the system; its timeliness is
    # judged against `date`, the decision's date.
    published_on = models.DateField(null=True, blank=True, verbose_name=_("published on"))

    class Meta:
        verbose_name = _("catalog event")
        verbose_name_plural = _("catalog events")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["date", "kind"])]

    def __str__(self) -> str:
        return f"{self.date} {self.kind} {self.procedure_id}"


class ProcessStep(models.Model):
    """One step of a procedure's internal process: who handles it and in how many working days.

    `agency_role` says whose step it is when the agency is not fixed: the desk that received the
    dossier, the procedure's competent (lead) agency, or a named agency (liên thông)."""

    class AgencyRole(models.TextChoices):
        DESK = "desk", _("Receiving one-stop desk")
        LEAD = "lead", _("Competent (lead) agency")
        FIXED = "fixed", _("Named agency")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("step"), max_length=255)
    agency_role = models.CharField(max_length=8, choices=AgencyRole.choices)
    agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    allowance_days = models.DecimalField(
        _("allowance (working days)"), max_digits=5, decimal_places=2
    )

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["procedure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="step_position"),
            models.CheckConstraint(
                condition=~Q(agency_role="fixed") | Q(agency__isnull=False),
                name="fixed_step_has_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class FormField(models.Model):
    """One field of a procedure's electronic form (tờ khai điện tử), defined as data."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        TEXTAREA = "textarea", _("Long text")
        DATE = "date", _("Date")
        NUMBER = "number", _("Number")
        CHOICE = "choice", _("Choice")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="form_fields")
    position = models.PositiveSmallIntegerField()
    name = models.SlugField(max_length=50)
    label = models.CharField(_("label"), max_length=255)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(default=True)
    choices = models.JSONField(default=list, blank=True)
    help_text = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        ordering = ["procedure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "name"], name="form_field_name")
        ]

    def __str__(self) -> str:
        return self.label
