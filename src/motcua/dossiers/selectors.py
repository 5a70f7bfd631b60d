"""Reads of dossiers for the staff pages: the work queue with its counts, one dossier with
everything its page shows, and the agencies a form may offer. Lists always start from
`access.dossiers_visible_to`, so the pages show exactly what the API and exports show."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.audit.models import Event
from motcua.audit.selectors import events_for
from motcua.catalog.models import FormField
from motcua.common.text import fold
from motcua.org.models import Agency, User
from motcua.workdays.selectors import get_calendar

from .access import dossier_get_for_user, dossiers_visible_to
from .models import (
    CLOCK_RUNNING,
    OPEN_STATUSES,
    Apology,
    Dossier,
    Handover,
    Status,
    SupplementRequest,
    late_q,
)
from .process import resolve_steps

DUE_SOON_WORKING_DAYS = 2
DUE_FILTERS = ("soon", "late")
STATUS_FILTERS = ("open", *Status.values)
PAGE_SIZE_MAX = 100
CODE_TAIL_MIN = 4
# The one field an online application has when its procedure defines no electronic form.
DEFAULT_FORM_FIELD = ("noi_dung", "Nội dung yêu cầu")
# An explicit flag the stop event may carry; without it the actor decides (see `is_withdrawal`).
WITHDRAWAL_FLAG = "withdrawn_by_applicant"


@dataclass(frozen=True)
class DossierPage:
    total: int
    page: int
    page_size: int
    items: list[Dossier]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class QueueCounts:
    open: int
    due_soon: int
    late: int


@dataclass(frozen=True)
class FormRow:
    label: str
    value: str


@dataclass(frozen=True)
class DossierDetail:
    dossier: Dossier
    handovers: list[Handover]
    supplement: SupplementRequest | None
    apology: Apology | None
    events: list[Event]
    form_rows: list[FormRow]
    withdrawn_by_applicant: bool


def _with_deadline(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """The one deadline the queue shows, badges, counts and sorts by: the appointment given to
    the applicant (the apology's new date if there is one, else the legal due time). It is the
    date the desk promised on the slip, so it is the one the officers must work to; the legal
    due time still decides the verdict and is shown beside it when it differs."""
    return dossiers.annotate(queue_deadline=Coalesce(F("extended_due_at"), F("due_at")))


def _late(now: dt.datetime) -> Q:
    return late_q(now)


def _due_soon(now: dt.datetime) -> Q:
    """Not yet late, due by the close of the second working day from today."""
    limit = get_calendar().due_at(now, DUE_SOON_WORKING_DAYS)
    return Q(status__in=CLOCK_RUNNING, queue_deadline__gte=now, queue_deadline__lte=limit)


def _open_step_due() -> Subquery:
    """The due time of the step the dossier is at (its open hand-over): secondary information
    for the agency holding it."""
    return Subquery(
        Handover.objects.filter(dossier=OuterRef("pk"), completed_at__isnull=True)
        .order_by("-position")
        .values("due_at")[:1]
    )


def _search(q: str) -> Q:
    """A code (whole or its tail), the lookup key, an ID number, the applicant's name, or words
    of the procedure's name typed with or without diacritics."""
    text = q.strip()
    match = (
        Q(code__iexact=text)
        | Q(lookup_key__iexact=text)
        | Q(applicant_name__icontains=text)
        | Q(procedure__code=text)
    )
    if len(text) >= CODE_TAIL_MIN:  # "0007" or "260213-0007" finds H24.005.00-260213-0007
        match |= Q(code__iendswith=text)
    if text.isdigit() and len(text) in (10, 12):
        match |= Q(applicant_id_number=text) | Q(applicant_tax_code__startswith=text)
    folded = fold(text)
    if folded:
        match |= Q(procedure__name_key__icontains=folded)
    return match


def dossier_queue(
    *,
    user: User,
    status: str | None = None,
    due: str | None = None,
    q: str | None = None,
    page: int = 1,
    page_size: int = 20,
    now: dt.datetime | None = None,
) -> DossierPage:
    """The dossiers `user` may see, soonest appointment first; `status` may also be "open",
    `due` is "soon" or "late". Each item carries `queue_deadline` (the appointment),
    `step_due_at` (its current step's due time), `is_late` and `is_due_soon` for its badge."""
    if status is not None and status not in STATUS_FILTERS:
        raise ValueError(f"Unknown status filter {status!r}")
    if due is not None and due not in DUE_FILTERS:
        raise ValueError(f"Unknown due filter {due!r}")
    now = now or timezone.now()
    dossiers = _with_deadline(dossiers_visible_to(user))
    if status == "open":
        dossiers = dossiers.filter(status__in=OPEN_STATUSES)
    elif status:
        dossiers = dossiers.filter(status=status)
    if due == "late":
        dossiers = dossiers.filter(_late(now))
    elif due == "soon":
        dossiers = dossiers.filter(_due_soon(now))
    if q and q.strip():
        dossiers = dossiers.filter(_search(q))
    total = dossiers.count()
    offset = (page - 1) * page_size
    items = list(
        dossiers.select_related("procedure", "current_agency")
        .annotate(
            is_late=ExpressionWrapper(_late(now), output_field=BooleanField()),
            is_due_soon=ExpressionWrapper(_due_soon(now), output_field=BooleanField()),
            step_due_at=_open_step_due(),
        )
        .order_by(F("queue_deadline").asc(nulls_last=True), "received_at", "pk")[
            offset : offset + page_size
        ]
    )
    return DossierPage(total=total, page=page, page_size=page_size, items=items)


def dossier_queue_counts(*, user: User, now: dt.datetime | None = None) -> QueueCounts:
    """Open, due-soon and late dossiers among those `user` may see, in one query."""
    now = now or timezone.now()
    counts = _with_deadline(dossiers_visible_to(user)).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        due_soon=Count("pk", filter=_due_soon(now)),
        late=Count("pk", filter=_late(now)),
    )
    return QueueCounts(**counts)


def dossier_detail(*, user: User, code: str) -> DossierDetail:
    """The dossier with its hand-overs, supplement request, apology and history; NotFound when
    `user` may not see it."""
    dossier = dossier_get_for_user(code=code, user=user)
    handovers = list(
        dossier.handovers.select_related("from_agency", "to_agency", "sent_by").order_by("position")
    )
    supplement = (
        SupplementRequest.objects.filter(dossier=dossier)
        .select_related("agency", "requested_by")
        .first()
    )
    apology = Apology.objects.filter(dossier=dossier).select_related("agency", "issued_by").first()
    events = list(events_for("dossier", dossier.code).order_by("id"))
    return DossierDetail(
        dossier=dossier,
        handovers=handovers,
        supplement=supplement,
        apology=apology,
        events=events,
        form_rows=electronic_form_rows(dossier),
        withdrawn_by_applicant=dossier.status == Status.STOPPED
        and any(is_withdrawal(e, dossier) for e in events),
    )


def electronic_form_rows(dossier: Dossier) -> list[FormRow]:
    """The filled electronic form under the labels its procedure defines (the stored keys are
    field codes such as `pham_vi`), in the form's order; a date reads dd/mm/yyyy."""
    values = dossier.form_data or {}
    if not values:
        return []
    specs = {f.name: f for f in FormField.objects.filter(procedure_id=dossier.procedure_id)}
    ordered = sorted(values, key=lambda k: (specs[k].position if k in specs else 10_000, k))
    rows = []
    for key in ordered:
        spec = specs.get(key)
        value = str(values[key])
        if spec is not None and spec.kind == FormField.Kind.DATE:
            with contextlib.suppress(ValueError):  # a value typed before the field was a date
                value = dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        if spec is not None:
            label = spec.label
        elif key == DEFAULT_FORM_FIELD[0]:
            label = DEFAULT_FORM_FIELD[1]
        else:  # a field since removed from the form: its code is all that is left
            label = key.replace("_", " ").capitalize()
        rows.append(FormRow(label=label, value=value))
    return rows


def is_withdrawal(event: Event, dossier: Dossier) -> bool:
    """A stop decided by the applicant (withdrawn), not by the agency: the event's explicit
    flag if it carries one, otherwise its actor being the applicant's own account."""
    if event.action != "stop":
        return False
    if WITHDRAWAL_FLAG in (event.payload or {}):
        return bool(event.payload[WITHDRAWAL_FLAG])
    return dossier.applicant_user_id is not None and event.actor_id == dossier.applicant_user_id


def with_withdrawal(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Annotate `withdrawn_by_applicant` on a list: stopped by a stop event of the applicant."""
    stop_by_applicant = Event.objects.filter(
        subject_type="dossier",
        subject_id=OuterRef("code"),
        action="stop",
        actor_id=OuterRef("applicant_user_id"),
    )
    return dossiers.annotate(
        withdrawn_by_applicant=ExpressionWrapper(
            Q(status=Status.STOPPED) & Exists(stop_by_applicant), output_field=BooleanField()
        )
    )


def forward_targets(dossier: Dossier) -> list[tuple[Agency, str]]:
    """The agencies of the dossier's process other than the one holding it, in step order,
    each with the name of its first step."""
    steps = resolve_steps(
        procedure=dossier.procedure,
        processing_days=dossier.processing_days,
        receiving=dossier.receiving_agency,
        lead=dossier.lead_agency,
    )
    agencies = Agency.objects.in_bulk({s.agency_id for s in steps})
    targets: dict[int, tuple[Agency, str]] = {}
    for step in steps:
        if step.agency_id != dossier.current_agency_id and step.agency_id not in targets:
            targets[step.agency_id] = (agencies[step.agency_id], step.name)
    return list(targets.values())


def lead_agency_choices(*, day: dt.date | None = None) -> tuple[QuerySet[Agency], QuerySet[Agency]]:
    """Agencies in force on `day` that may lead a dossier: the city's, then the communes'."""
    agencies = Agency.objects.valid_on(day or timezone.localdate()).only(
        "code", "name", "short_name", "kind"
    )
    communes = agencies.filter(kind=Agency.Kind.COMMUNE_COMMITTEE).order_by("name")
    city = agencies.exclude(kind=Agency.Kind.COMMUNE_COMMITTEE).order_by("code")
    return city, communes
