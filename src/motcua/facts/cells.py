"""Which cells of the fact tables a dossier, a petition or a rating counts in: the one
definition both the recorders (one subject, at its event) and the rebuild (every subject of a
day) apply, so the two cannot drift apart.

A cell is (table, day, agency, procedure, channel, column); petitions and ratings have no
procedure (None) and no channel ("").

The same rules are written a second time below, as conditions on the rows (`DOSSIER_WHEN`,
`PETITION_WHEN`, `RATING_WHEN`: column → the moment that dates it and the condition), for the
drill-down (`records.py`) to list the very rows a count is made of; a property test holds the
two writings to each other, column by column. Change one, change the other beside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import OnlineLevel
from motcua.common.ratings import SATISFIED_FROM, Level
from motcua.dossiers.models import Apology, Channel, Dossier, ResultKind, Status, Verdict
from motcua.feedback.models import OPEN_STATES, AnswerRating, Petition, State
from motcua.surveys.models import Rating
from motcua.sync.models import OutboxMessage

Cell = tuple[str, str, int, int | None, str, str]

DOSSIER, PETITION, RATING = "d", "p", "r"
VERDICT_COLUMNS = {
    Verdict.EARLY: "finished_early",
    Verdict.ON_TIME: "finished_on_time",
    Verdict.LATE: "finished_late",
}
IN_TIME = (Verdict.EARLY, Verdict.ON_TIME)
ONLINE_COLUMNS = {
    OnlineLevel.FULL: "online_full",
    OnlineLevel.PARTIAL: "online_partial",
}
ELECTRONIC = (ResultKind.ELECTRONIC, ResultKind.BOTH)
CLOSED_UNFINISHED = (Status.REFUSED, Status.STOPPED, Status.WITHDRAWN)
# The message that tells the national portal a dossier exists: the desk's receipt, or the
# online submission (whose moment is the dossier's received time).
RECEIPT_ACTIONS = ("receive", "submit")
# Petitions the on-time share is taken over: duplicates and abusive ones are not answered on
# their own (feedback.reports and indices.metrics.petitions_on_time leave them out too).
PETITION_COUNTED = (*OPEN_STATES, State.ANSWERED)
# An answer is "disliked by more than liked" when its one rating is a dissatisfied level (1, 2):
# the sender rates the answer once, so a neutral 3 is neither liked nor disliked.
DISLIKED_BELOW = int(Level.NEUTRAL)

DOSSIER_FIELDS = (
    "pk",
    "lead_agency_id",
    "procedure_id",
    "channel",
    "procedure__online_level",
    "procedure__certification",
    "received_at",
    "fee_vnd",
    "paid_online",
    "digitised",
    "reused_documents",
    "population_data",
    "due_at",
    "finished_at",
    "verdict",
    "result_kind",
    "result_stored_at",
    "certified_copy",
    "status",
    "closed_at",
    "apologised",
    "rated_below",
    "synchronised",
)
PETITION_FIELDS = (
    "pk",
    "agency_id",
    "due_at",
    "state",
    "answer__published_at",
    "disliked",
    "repeated",
)
RATING_FIELDS = ("pk", "agency_id", "dossier_id", "created_at", "overall")


def local_day(moment: dt.datetime) -> dt.date:
    """The province's calendar day of `moment` (the default zone, whatever zone is active)."""
    return timezone.localdate(moment, timezone.get_default_timezone())


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[00:00 of `day`, 00:00 of the next) in the province's time zone."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def _apologised() -> Exists:
    return Exists(Apology.objects.filter(dossier=OuterRef("pk")))


def _rated_below() -> Exists:
    """A current rating of the dossier (either stage) below the satisfied level."""
    return Exists(Rating.objects.filter(dossier=OuterRef("pk"), overall__lt=SATISFIED_FROM))


def _synchronised() -> Exists:
    """The portal acknowledged the dossier's receipt message."""
    return Exists(
        OutboxMessage.objects.filter(
            dossier_code=OuterRef("code"),
            action__in=RECEIPT_ACTIONS,
            acknowledged_at__isnull=False,
        )
    )


def _disliked() -> Exists:
    return Exists(
        AnswerRating.objects.filter(answer__petition=OuterRef("pk"), score__lt=DISLIKED_BELOW)
    )


def _repeated() -> Exists:
    """Another petition was closed as a duplicate of this one: the sender's problem came back."""
    return Exists(Petition.objects.filter(duplicate_of=OuterRef("pk")))


def dossier_rows(where: Q) -> QuerySet[Dossier, dict[str, Any]]:
    return (
        Dossier.objects.filter(where)
        .annotate(
            apologised=_apologised(), rated_below=_rated_below(), synchronised=_synchronised()
        )
        .values(*DOSSIER_FIELDS)
    )


def petition_rows(where: Q) -> QuerySet[Petition, dict[str, Any]]:
    return (
        Petition.objects.filter(where)
        .annotate(disliked=_disliked(), repeated=_repeated())
        .values(*PETITION_FIELDS)
    )


def rating_rows(where: Q) -> QuerySet[Rating, dict[str, Any]]:
    return Rating.objects.filter(where).values(*RATING_FIELDS)


def dossier_cells(row: dict[str, Any]) -> list[Cell]:
    agency, procedure, channel = row["lead_agency_id"], row["procedure_id"], row["channel"]

    def on(moment: dt.datetime, *columns: str) -> list[Cell]:
        day = local_day(moment).isoformat()
        return [(DOSSIER, day, agency, procedure, channel, c) for c in columns]

    received = ["received"]
    level = row["procedure__online_level"]
    if channel == Channel.ONLINE and level in ONLINE_COLUMNS:
        received.append(ONLINE_COLUMNS[level])
    if level == OnlineLevel.FULL:
        received.append("eligible_full")
    if row["fee_vnd"] > 0:
        received.append("with_fee")
        if row["paid_online"]:
            received.append("paid_online")
    if row["digitised"]:
        received.append("digitised")
    if row["reused_documents"] > 0:
        received.append("reused")
    if row["population_data"]:
        received.append("population_data")
    if row["synchronised"]:
        received.append("synchronised")
    cells = on(row["received_at"], *received)
    finished_at = row["finished_at"]
    closed_unfinished = (
        finished_at is None and row["status"] in CLOSED_UNFINISHED and row["closed_at"] is not None
    )
    if row["due_at"] is not None:
        due = ["due"]
        if finished_at is not None:
            if row["verdict"] in IN_TIME:
                due.append("due_in_time")
            elif row["verdict"] == Verdict.LATE:
                due.append("due_late")
        elif not closed_unfinished:
            due.append("due_open")
        cells += on(row["due_at"], *due)
    if finished_at is not None:
        finished = ["finished"]
        if row["verdict"] in VERDICT_COLUMNS:
            finished.append(VERDICT_COLUMNS[row["verdict"]])
        if row["verdict"] == Verdict.LATE and row["apologised"]:
            finished.append("late_apologised")
        if row["result_kind"] in ELECTRONIC:
            finished.append("electronic_result")
        if row["result_stored_at"] is not None:
            finished.append("result_stored")
        if row["procedure__certification"]:
            finished.append("certification")
        if row["certified_copy"]:
            finished.append("certified_copy")
        if row["verdict"] != Verdict.LATE and not row["rated_below"]:
            finished.append("satisfied")
        cells += on(finished_at, *finished)
    elif closed_unfinished:
        cells += on(row["closed_at"], "closed_unfinished")
    return cells


def petition_cells(row: dict[str, Any]) -> list[Cell]:
    if row["state"] not in PETITION_COUNTED:
        return []
    columns = ["due"]
    published = row["answer__published_at"]
    if row["state"] == State.ANSWERED and published is not None:
        on_time = published <= row["due_at"]
        columns.append("answered_on_time" if on_time else "answered_late")
        if on_time and not row["disliked"] and not row["repeated"]:
            columns.append("handled_well")
    else:
        columns.append("still_open")
    day = local_day(row["due_at"]).isoformat()
    return [(PETITION, day, row["agency_id"], None, "", c) for c in columns]


def rating_cells(row: dict[str, Any]) -> list[Cell]:
    day = local_day(row["created_at"]).isoformat()
    return [(RATING, day, row["agency_id"], None, "", f"level_{row['overall']}")]


# --- the same rules as conditions on the rows, for the drill-down ----------------------------
# column → (the moment that puts the row on a day, the condition). A row counts in the column
# on day D when the condition holds and the moment falls on D (`day_bounds`).

_FINISHED = Q(finished_at__isnull=False)
_CLOSED_UNFINISHED = Q(
    finished_at__isnull=True, status__in=CLOSED_UNFINISHED, closed_at__isnull=False
)
_DUE_OPEN = Q(finished_at__isnull=True) & ~_CLOSED_UNFINISHED

DOSSIER_WHEN: dict[str, tuple[str, Q]] = {
    "received": ("received_at", Q()),
    "online_full": (
        "received_at",
        Q(channel=Channel.ONLINE, procedure__online_level=OnlineLevel.FULL),
    ),
    "online_partial": (
        "received_at",
        Q(channel=Channel.ONLINE, procedure__online_level=OnlineLevel.PARTIAL),
    ),
    "eligible_full": ("received_at", Q(procedure__online_level=OnlineLevel.FULL)),
    "with_fee": ("received_at", Q(fee_vnd__gt=0)),
    "paid_online": ("received_at", Q(fee_vnd__gt=0, paid_online=True)),
    "digitised": ("received_at", Q(digitised=True)),
    "reused": ("received_at", Q(reused_documents__gt=0)),
    "population_data": ("received_at", Q(population_data=True)),
    "synchronised": ("received_at", Q(_synchronised())),
    "due": ("due_at", Q(due_at__isnull=False)),
    "due_in_time": ("due_at", _FINISHED & Q(verdict__in=IN_TIME)),
    "due_late": ("due_at", _FINISHED & Q(verdict=Verdict.LATE)),
    "due_open": ("due_at", _DUE_OPEN),
    "finished": ("finished_at", _FINISHED),
    "finished_early": ("finished_at", _FINISHED & Q(verdict=Verdict.EARLY)),
    "finished_on_time": ("finished_at", _FINISHED & Q(verdict=Verdict.ON_TIME)),
    "finished_late": ("finished_at", _FINISHED & Q(verdict=Verdict.LATE)),
    "late_apologised": ("finished_at", _FINISHED & Q(verdict=Verdict.LATE) & Q(_apologised())),
    "electronic_result": ("finished_at", _FINISHED & Q(result_kind__in=ELECTRONIC)),
    "result_stored": ("finished_at", _FINISHED & Q(result_stored_at__isnull=False)),
    "certification": ("finished_at", _FINISHED & Q(procedure__certification=True)),
    "certified_copy": ("finished_at", _FINISHED & Q(certified_copy=True)),
    "satisfied": ("finished_at", _FINISHED & ~Q(verdict=Verdict.LATE) & ~Q(_rated_below())),
    "closed_unfinished": ("closed_at", _CLOSED_UNFINISHED),
}

_ANSWERED = Q(state=State.ANSWERED, answer__isnull=False)
_ON_TIME = _ANSWERED & Q(answer__published_at__lte=F("due_at"))
_COUNTED = Q(state__in=PETITION_COUNTED)

PETITION_WHEN: dict[str, tuple[str, Q]] = {
    "due": ("due_at", _COUNTED),
    "answered_on_time": ("due_at", _ON_TIME),
    "answered_late": ("due_at", _ANSWERED & Q(answer__published_at__gt=F("due_at"))),
    "still_open": ("due_at", _COUNTED & ~_ANSWERED),
    "handled_well": ("due_at", _ON_TIME & ~Q(_disliked()) & ~Q(_repeated())),
}

RATING_WHEN: dict[str, tuple[str, Q]] = {
    f"level_{level}": ("created_at", Q(overall=level)) for level in range(1, 6)
}
