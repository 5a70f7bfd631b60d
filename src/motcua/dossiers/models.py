"""Dossiers (hồ sơ) and what happens to them: hand-overs, supplements, apologies, results.

State lives here as denormalised facts the indices read later (channel, online payment,
digitisation, electronic result, reuse); every change is made by a service in `services.py`,
which also writes the audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")
    ONLINE = "online", _("Online")


class Status(models.TextChoices):
    PAYING = "paying", _("Waiting for payment")
    SUBMITTED = "submitted", _("Submitted online, awaiting the desk")
    WAITING_SUPPLEMENT = "waiting_supplement", _("Waiting for supplement")
    # The applicant sent the missing documents online: the desk checks them before the clock
    # resumes (accept_supplement) or refuses the dossier.
    SUPPLEMENT_SUBMITTED = "supplement_submitted", _("Supplement sent online, awaiting the desk")
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Processing")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Returned")
    REFUSED = "refused", _("Refused")
    STOPPED = "stopped", _("Stopped")
    # Closed by the applicant (withdrawn online) or because the fee was never paid — not a stop
    # decided at the desk.
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")


class Action(models.TextChoices):
    """Every event a dossier's history holds, with the one label pages, PDFs and the API show."""

    SUBMIT = "submit", _("Submitted online")
    PAY = "pay", _("Fee paid")
    EXPIRE = "expire", _("Closed: the fee was not paid in time")
    RECEIVE = "receive", _("Received at the desk")
    ACCEPT = "accept", _("Online dossier accepted")
    REQUEST_SUPPLEMENT = "request_supplement", _("Supplement requested")
    SUPPLEMENT = "supplement", _("Supplement received")
    ACCEPT_SUPPLEMENT = "accept_supplement", _("Online supplement accepted")
    REFUSE = "refuse", _("Refused")
    FORWARD = "forward", _("Forwarded")
    APOLOGIZE = "apologize", _("Apology and extension of the processing time")
    FINISH = "finish", _("Result ready")
    RETURN = "return", _("Result returned")
    STOP = "stop", _("Processing stopped")
    WITHDRAW = "withdraw", _("Withdrawn by the applicant")


OPEN_STATUSES = (
    Status.PAYING,
    Status.SUBMITTED,
    Status.RECEIVED,
    Status.PROCESSING,
    Status.WAITING_SUPPLEMENT,
    Status.SUPPLEMENT_SUBMITTED,
)
CLOSED_STATUSES = (Status.RETURNED, Status.REFUSED, Status.STOPPED, Status.WITHDRAWN)
# The processing clock runs only once the desk has accepted a complete dossier; waiting for
# (or checking) a supplement pauses it.
CLOCK_RUNNING = (Status.RECEIVED, Status.PROCESSING)


def late_q(now: dt.datetime) -> Q:
    """Dossiers late at `now`: clock running and past the appointment given to the applicant
    (the apology's new date if there is one, else the legal due time). The one "late" of an
    open dossier: the queue's badge, counts and filter use this, and `Dossier.is_late_now` is
    the same rule for one dossier in memory."""
    past_appointment = Q(extended_due_at__lt=now) | Q(extended_due_at__isnull=True, due_at__lt=now)
    return Q(status__in=CLOCK_RUNNING) & past_appointment


class Verdict(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class ResultKind(models.TextChoices):
    PAPER = "paper", _("Paper")
    ELECTRONIC = "electronic", _("Electronic")
    BOTH = "both", _("Paper and electronic")


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=48, unique=True)
    lookup_key = models.CharField(_("lookup key"), max_length=12)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("procedure"),
    )
    procedure_version = models.PositiveIntegerField(verbose_name=_("procedure version"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)

    applicant_kind = models.CharField(
        max_length=12, choices=ApplicantKind.choices, verbose_name=_("applicant kind")
    )
    applicant_name = models.CharField(_("applicant"), max_length=255)
    applicant_id_number = models.CharField(_("ID number"), max_length=12, blank=True)
    applicant_tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=500, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
        verbose_name=_("applicant user"),
    )

    receiving_agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name=_("receiving agency"),
    )
    lead_agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        related_name="led_dossiers",
        verbose_name=_("lead agency"),
    )
    current_agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        related_name="held_dossiers",
        verbose_name=_("current agency"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("received by"),
    )

    processing_days = models.PositiveSmallIntegerField(_("processing time (working days)"))
    received_at = models.DateTimeField(_("received at"), db_index=True)
    # The clock starts when the dossier is complete: at receipt, or at the supplement that
    # completed a dossier found incomplete at the desk.
    clock_started_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("clock started at")
    )
    original_due_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)
    # The one new appointment an apology may set; lateness is still judged against `due_at`.
    extended_due_at = models.DateTimeField(_("new appointment"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0, verbose_name=_("paused seconds"))
    finished_at = models.DateTimeField(_("result ready at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    verdict = models.CharField(
        max_length=8, choices=Verdict.choices, blank=True, verbose_name=_("verdict")
    )

    documents_submitted = models.JSONField(
        default=list, blank=True, verbose_name=_("documents submitted")
    )
    sets_count = models.PositiveSmallIntegerField(default=1, verbose_name=_("sets count"))
    # Facts the service index (Decision 766) will count.
    fee_vnd = models.PositiveBigIntegerField(default=0, verbose_name=_("fee vnd"))
    paid_online = models.BooleanField(default=False, verbose_name=_("paid online"))
    digitised = models.BooleanField(default=False, verbose_name=_("digitised"))
    reused_documents = models.PositiveSmallIntegerField(
        default=0, verbose_name=_("reused documents")
    )
    # The applicant's data came from the national population database (VNeID) for this dossier.
    population_data = models.BooleanField(default=False, verbose_name=_("population data"))
    # When the electronic result was put into the applicant's personal document store.
    result_stored_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("result stored at")
    )
    certified_copy = models.BooleanField(default=False, verbose_name=_("certified copy"))
    result_kind = models.CharField(
        max_length=10, choices=ResultKind.choices, blank=True, verbose_name=_("result kind")
    )
    result_file = models.FileField(
        upload_to="results/%Y/%m/", blank=True, verbose_name=_("result file")
    )
    result_note = models.TextField(blank=True, verbose_name=_("result note"))
    returned_how = models.CharField(max_length=16, blank=True, verbose_name=_("returned how"))
    refusal_reason = models.TextField(blank=True, verbose_name=_("refusal reason"))
    stop_reason = models.TextField(blank=True, verbose_name=_("stop reason"))

    form_data = models.JSONField(_("electronic form"), default=dict, blank=True)
    # A retried or double-clicked online submission carries the same key: one dossier, not two.
    idempotency_key = models.CharField(  # noqa: DJ001 - NULL: no key given
        max_length=64, null=True, blank=True, verbose_name=_("idempotency key")
    )

    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["current_agency", "status", "due_at"]),
            models.Index(fields=["lead_agency", "received_at"]),
            models.Index(fields=["receiving_agency", "received_at"]),
            models.Index(fields=["procedure", "received_at"]),
            models.Index(fields=["applicant_id_number"]),
            # The facts' due, finished and closed days are counted per lead agency.
            models.Index(fields=["lead_agency", "due_at"]),
            models.Index(fields=["lead_agency", "finished_at"]),
            models.Index(fields=["lead_agency", "closed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(applicant_id_number="") | Q(applicant_id_number__regex=r"^[0-9]{12}$"),
                name="dossier_id_number_12_digits",
            ),
            models.UniqueConstraint(
                fields=["applicant_user", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="dossier_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def appointment_at(self):  # datetime | None
        return self.extended_due_at or self.due_at

    def is_late_at(self, now: dt.datetime) -> bool:
        """Late at `now`, by `late_q`'s rule (clock running, past the appointment)."""
        appointment = self.appointment_at
        return self.status in CLOCK_RUNNING and appointment is not None and appointment < now

    @property
    def is_late_now(self) -> bool:
        return self.is_late_at(timezone.now())


class DossierCounter(models.Model):
    """The last sequence number used per agency and day; incremented under a row lock."""

    agency = models.ForeignKey("org.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="counter_agency_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


class Handover(models.Model):
    """One line of the process-control sheet: the dossier passed from one agency to another."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="handovers")
    position = models.PositiveSmallIntegerField()
    from_agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField()
    # Electronic dossiers sent after 15:00 arrive at the next working day's opening.
    received_at = models.DateTimeField()
    allowance_seconds = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(max_length=8, choices=Verdict.choices, blank=True)
    step_position = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "position"], name="handover_position")
        ]
        # The agency dashboard's staff workload: an agency's hand-overs in a period.
        indexes = [models.Index(fields=["from_agency", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.position}"


class SupplementRequest(models.Model):
    """The one request to complete a dossier (Decree 118 Art. 11: only once)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="supplement")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    at_receipt = models.BooleanField(default=False)
    items = models.JSONField(default=list)
    reason = models.TextField()
    resume_status = models.CharField(max_length=20, choices=Status.choices)
    supplied_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"supplement {self.dossier_id}"


class Apology(models.Model):
    """The one apology with a new appointment, issued by the agency that caused the delay."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="apology")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()
    reason = models.TextField()
    old_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = _("apologies")

    def __str__(self) -> str:
        return f"apology {self.dossier_id}"


class Participant(models.Model):
    """An agency that has had a part in a dossier (received, leads, or was handed it): the
    indexed fact behind "who may see it", so queues stay fast at millions of dossiers."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="participants")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "dossier"], name="participant_agency_dossier")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} in {self.dossier_id}"


class Document(models.Model):
    """A file in a dossier and in its owner's personal store (Decree 45/2020 Art. 12, 16): what
    was uploaded, digitised at the desk, reused from the store, or issued as a result."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted document")
        SUPPLEMENT = "supplement", _("Supplement")
        RESULT = "result", _("Result")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SUBMITTED)
    title = models.CharField(_("document"), max_length=500)
    file = models.FileField(upload_to="documents/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    digitised = models.BooleanField(default=False)
    reused_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reuses"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "kind", "created_at"])]

    def __str__(self) -> str:
        return self.title
