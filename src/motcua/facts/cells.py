"""Which cells of the fact tables a dossier, a petition or a rating counts in: the one
definition both the recorders (one subject, at its event) and the rebuild (every subject of a
day) apply, so the two cannot drift apart.

A cell is (table, day, agency, procedure, channel, column); petitions and ratings have no
procedure (None) and no channel ("")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import OnlineLevel
from motcua.dossiers.models import Apology, Channel, Dossier, ResultKind, Status, Verdict
from motcua.feedback.models import OPEN_STATES, Petition, State
from motcua.surveys.models import Rating

Cell = tuple[str, str, int, int | None, str, str]

DOSSIER, PETITION, RATING = "d", "p", "r"
VERDICT_COLUMNS = {
    Verdict.EARLY: "finished_early",
    Verdict.ON_TIME: "finished_on_time",
    Verdict.LATE: "finished_late",
}
ONLINE_COLUMNS = {
    OnlineLevel.FULL: "online_full",
    OnlineLevel.PARTIAL: "online_partial",
}
CLOSED_UNFINISHED = (Status.REFUSED, Status.STOPPED, Status.WITHDRAWN)
# Petitions the on-time share is taken over: duplicates and abusive ones are not answered on
# their own (feedback.reports and indices.metrics.petitions_on_time leave them out too).
PETITION_COUNTED = (*OPEN_STATES, State.ANSWERED)

DOSSIER_FIELDS = (
    "pk",
    "lead_agency_id",
    "procedure_id",
    "channel",
    "procedure__online_level",
    "received_at",
    "fee_vnd",
    "paid_online",
    "digitised",
    "reused_documents",
    "due_at",
    "finished_at",
    "verdict",
    "result_kind",
    "status",
    "closed_at",
    "apologised",
)
PETITION_FIELDS = ("pk", "agency_id", "due_at", "state", "answer__published_at")
RATING_FIELDS = ("pk", "agency_id", "created_at", "overall")


def local_day(moment: dt.datetime) -> dt.date:
    """The province's calendar day of `moment` (the default zone, whatever zone is active)."""
    return timezone.localdate(moment, timezone.get_default_timezone())


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[00:00 of `day`, 00:00 of the next) in the province's time zone."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def dossier_rows(where: Q) -> QuerySet[Dossier, dict[str, Any]]:
    return (
        Dossier.objects.filter(where)
        .annotate(apologised=Exists(Apology.objects.filter(dossier=OuterRef("pk"))))
        .values(*DOSSIER_FIELDS)
    )


def petition_rows(where: Q) -> QuerySet[Petition, dict[str, Any]]:
    return Petition.objects.filter(where).values(*PETITION_FIELDS)


def rating_rows(where: Q) -> QuerySet[Rating, dict[str, Any]]:
    return Rating.objects.filter(where).values(*RATING_FIELDS)


def dossier_cells(row: dict[str, Any]) -> list[Cell]:
    agency, procedure, channel = row["lead_agency_id"], row["procedure_id"], row["channel"]

    def on(moment: dt.datetime, *columns: str) -> list[Cell]:
        day = local_day(moment).isoformat()
        return [(DOSSIER, day, agency, procedure, channel, c) for c in columns]

    received = ["received"]
    if channel == Channel.ONLINE and row["procedure__online_level"] in ONLINE_COLUMNS:
        received.append(ONLINE_COLUMNS[row["procedure__online_level"]])
    if row["fee_vnd"] > 0:
        received.append("with_fee")
        if row["paid_online"]:
            received.append("paid_online")
    if row["digitised"]:
        received.append("digitised")
    if row["reused_documents"] > 0:
        received.append("reused")
    cells = on(row["received_at"], *received)
    if row["due_at"] is not None:
        cells += on(row["due_at"], "due")
    if row["finished_at"] is not None:
        finished = ["finished"]
        if row["verdict"] in VERDICT_COLUMNS:
            finished.append(VERDICT_COLUMNS[row["verdict"]])
        if row["verdict"] == Verdict.LATE and row["apologised"]:
            finished.append("late_apologised")
        if row["result_kind"] in (ResultKind.ELECTRONIC, ResultKind.BOTH):
            finished.append("electronic_result")
        cells += on(row["finished_at"], *finished)
    elif row["status"] in CLOSED_UNFINISHED and row["closed_at"] is not None:
        cells += on(row["closed_at"], "closed_unfinished")
    return cells


def petition_cells(row: dict[str, Any]) -> list[Cell]:
    if row["state"] not in PETITION_COUNTED:
        return []
    columns = ["due"]
    published = row["answer__published_at"]
    if row["state"] == State.ANSWERED and published is not None:
        columns.append("answered_on_time" if published <= row["due_at"] else "answered_late")
    else:
        columns.append("still_open")
    day = local_day(row["due_at"]).isoformat()
    return [(PETITION, day, row["agency_id"], None, "", c) for c in columns]


def rating_cells(row: dict[str, Any]) -> list[Cell]:
    day = local_day(row["created_at"]).isoformat()
    return [(RATING, day, row["agency_id"], None, "", f"level_{row['overall']}")]
