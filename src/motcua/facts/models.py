"""Counts per day, each indicator counted once, for the indices, dashboards and reports to read
instead of the raw rows.

A day is a calendar day in the province's time zone (settings.TIME_ZONE). Every count belongs to
exactly one day, named per column below; when the moment it is judged by moves (a supplement
moves the due time, a petition is forwarded to another agency), the count moves with it, in the
same transaction (`services`). A row of zeros is the same as no row.

`Contribution` remembers what each dossier, petition and rating adds to these tables right now,
so an event changes only the difference between what it added before and what it adds after.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


def _count() -> models.IntegerField:
    # Signed: a count is moved by a -1 on one row and a +1 on another, never left below 0.
    return models.IntegerField(default=0)


class DossierDay(models.Model):
    """Dossiers of one lead agency, procedure and channel, per day.

    The agency is the dossier's lead (processing) agency, the one the indices judge. Which day:

    - by the day the dossier was received (`received_at`; for an online dossier, the day it was
      submitted): `received`, `online_full` / `online_partial` (received online for a procedure
      fully / partly online: its level when the count was made; a rebuild counts by the level
      in force when it runs), `eligible_full` (its procedure fully online, whatever the
      channel: the online share's denominator), `with_fee` (a fee above 0),
      `paid_online` (with a fee, paid through the online gateway), `digitised` (its documents
      digitised), `reused` (at least one document reused from the applicant's store),
      `population_data` (the applicant's data taken from the national population database),
      `synchronised` (its receipt message acknowledged by the national portal);
    - by the day it is due (`due_at`, moved by a supplement's waiting time; not the apology's new
      appointment, since lateness is judged against `due_at`): `due`, and of them
      `due_in_time` (finished early or on time), `due_late` (finished late), `due_open` (not
      finished and not closed unfinished: still in process); one closed unfinished is in `due`
      only;
    - by the day its result was ready (`finished_at`): `finished`, `finished_early`,
      `finished_on_time`, `finished_late` (its verdict), `late_apologised` (late, with an apology),
      `electronic_result` (the result issued electronically, alone or with paper),
      `result_stored` (the electronic result put into the applicant's document store),
      `certification` (of a certification procedure), `certified_copy` (an electronic certified
      copy issued), `satisfied` (not late, and no current rating of it below the satisfied
      level: an unrated dossier counts as satisfied);
    - by the day it closed without a result (`closed_at`: refused, stopped, withdrawn or expired
      unpaid): `closed_unfinished`.
    """

    day = models.DateField()
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=8)

    received = _count()
    online_full = _count()
    online_partial = _count()
    with_fee = _count()
    paid_online = _count()
    digitised = _count()
    reused = _count()
    eligible_full = _count()
    population_data = _count()
    synchronised = _count()
    due = _count()
    due_in_time = _count()
    due_late = _count()
    due_open = _count()
    finished = _count()
    finished_early = _count()
    finished_on_time = _count()
    finished_late = _count()
    late_apologised = _count()
    electronic_result = _count()
    result_stored = _count()
    certification = _count()
    certified_copy = _count()
    satisfied = _count()
    closed_unfinished = _count()

    class Meta:
        verbose_name = _("dossier counts per day")
        verbose_name_plural = _("dossier counts per day")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency", "procedure", "channel"], name="dossierday_cell"
            )
        ]
        indexes = [models.Index(fields=["agency", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id} {self.procedure_id} {self.channel}"


# The columns `DossierProcedureYear` keeps per month: whether a procedure was used in a period
# (the service index) and its late share month by month (the dashboards' procedure rankings and
# early warnings), whatever the period's length, in one row per procedure and year.
PROCEDURE_MONTH_COLUMNS = (
    "received",
    "with_fee",
    "paid_online",
    "population_data",
    "finished",
    "finished_late",
)
MONTHS = range(1, 13)


class _DossierSums(models.Model):
    """Every count column of `DossierDay`, summed over procedures and channels."""

    received = _count()
    online_full = _count()
    online_partial = _count()
    with_fee = _count()
    paid_online = _count()
    digitised = _count()
    reused = _count()
    eligible_full = _count()
    population_data = _count()
    synchronised = _count()
    due = _count()
    due_in_time = _count()
    due_late = _count()
    due_open = _count()
    finished = _count()
    finished_early = _count()
    finished_on_time = _count()
    finished_late = _count()
    late_apologised = _count()
    electronic_result = _count()
    result_stored = _count()
    certification = _count()
    certified_copy = _count()
    satisfied = _count()
    closed_unfinished = _count()

    class Meta:
        abstract = True


class DossierAgencyDay(_DossierSums):
    """`DossierDay` summed over procedures and channels: one row per lead agency and day.

    The rollups (this, `DossierAgencyMonth`, `DossierProcedureYear`) are kept in the same
    transaction as the `DossierDay` rows they sum (`services.cells_add`) and rebuilt from them
    (`rebuild.rollups_rebuild`). A province's history at the full grain has about as many rows
    as dossiers; the service index reads the whole months of a period from the month rows (a
    dozen per agency a year) and only the days at its edges from these."""

    day = models.DateField()
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("dossier counts per agency and day")
        verbose_name_plural = _("dossier counts per agency and day")
        constraints = [
            models.UniqueConstraint(fields=["day", "agency"], name="dossieragencyday_cell")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}"


class DossierAgencyMonth(_DossierSums):
    """`DossierAgencyDay` summed over the days of a month (`month` is its first day)."""

    month = models.DateField()
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("dossier counts per agency and month")
        verbose_name_plural = _("dossier counts per agency and month")
        constraints = [
            models.UniqueConstraint(fields=["month", "agency"], name="dossieragencymonth_cell")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.agency_id}"


class DossierProcedureYear(models.Model):
    """`DossierDay` of one agency and procedure over a year (`year` is its first day), each
    PROCEDURE_MONTH_COLUMNS column counted per month (`received_01` … `received_12`): whether
    the agency used the procedure in any set of whole months is one row per procedure, however
    long the period, where month rows would be a dozen."""

    year = models.DateField()
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("dossier counts per procedure and year")
        verbose_name_plural = _("dossier counts per procedure and year")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "agency", "procedure"], name="dossierprocedureyear_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year:%Y} {self.agency_id} {self.procedure_id}"


def month_column(column: str, month: int) -> str:
    """The `DossierProcedureYear` column of `column` in `month` (1–12)."""
    return f"{column}_{month:02d}"


for _column in PROCEDURE_MONTH_COLUMNS:
    for _month in MONTHS:
        DossierProcedureYear.add_to_class(month_column(_column, _month), _count())


class PetitionDay(models.Model):
    """Petitions of the agency that holds them, per day they are due (`due_at`).

    `due`: due that day, not closed as a duplicate or as abusive (the petitions the on-time share
    is taken over); of them `answered_on_time` (answer published by the due time),
    `answered_late` (published after it) and `still_open` (no answer yet: on time while the
    deadline has not passed, late after it, as the national portal scores them);
    `handled_well`: answered on time, the answer not disliked by more ratings than liked it, and
    not repeated (no other petition closed as its duplicate), the 766 handling-satisfaction
    numerator.
    """

    day = models.DateField()
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")

    due = _count()
    answered_on_time = _count()
    answered_late = _count()
    still_open = _count()
    handled_well = _count()

    class Meta:
        verbose_name = _("petition counts per day")
        verbose_name_plural = _("petition counts per day")
        constraints = [models.UniqueConstraint(fields=["day", "agency"], name="petitionday_cell")]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}"


class RatingDay(models.Model):
    """Ratings of the agency rated (the receiving desk at receipt, the lead agency at the return),
    per day the rating was first given (`created_at`), by its current overall level 1–5 (a
    changed rating moves from one level to another on the same day)."""

    day = models.DateField()
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")

    level_1 = _count()
    level_2 = _count()
    level_3 = _count()
    level_4 = _count()
    level_5 = _count()

    class Meta:
        verbose_name = _("rating counts per day")
        verbose_name_plural = _("rating counts per day")
        constraints = [models.UniqueConstraint(fields=["day", "agency"], name="ratingday_cell")]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}"


class Contribution(models.Model):
    """What one subject (a dossier, a petition, a rating) adds to the tables above now: the
    cells it counts in, as written by `cells.py`. Kept beside the counts, in their transaction,
    so an event adds the difference and a replayed or repeated event adds nothing."""

    class Kind(models.TextChoices):
        DOSSIER = "dossier", _("Dossier")
        PETITION = "petition", _("Petition")
        RATING = "rating", _("Rating")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    subject_id = models.BigIntegerField()
    cells = models.JSONField(default=list)

    class Meta:
        verbose_name = _("contribution to the counts")
        verbose_name_plural = _("contributions to the counts")
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_id"], name="contribution_subject")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_id}"
