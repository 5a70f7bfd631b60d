"""What the dashboards keep of their own: the communes' boundaries for the map, the reports the
task worker builds, the reports sent on a schedule and the early warnings sent each day. The
figures themselves are read from the facts and the service index, never stored here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CommuneBoundary(models.Model):
    """One commune-level unit's boundary, imported from the province's GeoJSON (WGS 84)."""

    agency = models.OneToOneField(
        "org.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("agency")
    )
    name = models.CharField(_("name in the file"), max_length=200)
    geometry = models.JSONField(_("geometry (GeoJSON)"))
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("commune boundary")
        verbose_name_plural = _("commune boundaries")

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    """A report too large to build during a request: queued, built by the task worker (retried
    on failure), then offered to its requester. Its files exist only once complete."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    period = models.CharField(_("period"), max_length=32)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    xlsx = models.CharField(_("Excel file"), max_length=200, blank=True)
    pdf = models.CharField(_("PDF file"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.period} #{self.pk}"


class ReportSchedule(models.Model):
    """A periodic report mailed with its Excel and PDF files: of one agency, or of the province
    (no agency), for the period that has just ended."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")

    agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("agency (empty: the whole province)"),
    )
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices)
    recipients = models.TextField(_("recipients (one email address per line)"))
    next_run_at = models.DateTimeField(_("next sending"))
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    last_period = models.CharField(_("last period sent"), max_length=32, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("scheduled report")
        verbose_name_plural = _("scheduled reports")

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} {self.agency or ''}".strip()


PROVINCE = "province"


class WarningDispatch(models.Model):
    """The early warnings of one day were sent to one agency's leaders (or, with no agency, to
    the reform office): the daily run sends each at most once."""

    day = models.DateField(_("day"))
    # The agency's code, or PROVINCE for the reform office's province-wide digest.
    scope = models.CharField(_("scope"), max_length=32)
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("early-warning dispatch")
        verbose_name_plural = _("early-warning dispatches")
        constraints = [
            models.UniqueConstraint(fields=["day", "scope"], name="warningdispatch_day_scope")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.scope}"
