"""The plan: every dossier and action of a history, decided from a seed before any write."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from motcua.catalog.models import Procedure, ProcessStep
from motcua.demo.organisation import DEMO_ACCOUNTS
from motcua.dossiers.models import ApplicantKind, Channel, ResultKind, Status, Verdict
from motcua.dossiers.services import (
    ApplicantData,
    SubmittedDocument,
    day_seconds,
    judge,
)
from motcua.org.models import Agency, Unit, User
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.selectors import get_calendar

from .words import (
    BIRTH_PROVINCES,
    COMPANY_TRADES,
    COMPANY_WORDS,
    GENERIC_DOCUMENT,
    GENERIC_MISSING,
    REASON_FORWARD,
    REASON_NOT_SUPPLIED,
    REASON_RECEIPT_SUPPLEMENT,
    REASON_STOP,
    REASONS_APOLOGY,
    REASONS_PROCESSING_SUPPLEMENT,
    REASONS_REFUSE,
    STREETS,
    _person_name,
)

CENTRE = "TTPVHCC"  # the provincial Public Administration Service Centre
CENTRE_DESK = "demo-desk"
SPECIALIST_BY_AGENCY = {"SO-TP": "demo-specialist"}

# Share of all dossiers (in %) for the procedures citizens use most.
COMMON_PROCEDURES = {
    "2.000815": 22.0,  # chứng thực bản sao từ bản chính
    "1.001193": 16.0,  # đăng ký khai sinh
    "1.000894": 6.0,  # đăng ký kết hôn
    "1.000656": 4.0,  # đăng ký khai tử
    "1.001612": 5.0,  # đăng ký thành lập hộ kinh doanh
    "1.013225": 3.0,  # cấp giấy phép xây dựng
}
LAND_FIELD, LAND_SHARE = "Đất đai", 14.0
OTHER_SHARE = 30.0
# Working days for common procedures whose published entry states none (the usual legal time).
DEFAULT_PROCESSING_DAYS = {"2.000815": 1, "1.001612": 3, "1.013225": 20}
PERSONS_ONLY_FIELDS = ("Hộ tịch", "Chứng thực", "Thành lập và hoạt động doanh nghiệp (hộ kinh")
BUSINESS_FIELDS = (LAND_FIELD, "Hoạt động xây dựng", "doanh nghiệp", "hợp tác xã", "Môi trường")

ERR_APPLY = "Dossier #{index} ({procedure}), “{action}” at {at:%Y-%m-%d %H:%M}: {error}"
ERR_LEAD = "the service chose lead agency {actual}, the plan expected {expected}"
ERR_STAFF = "user {username} exists but works at {actual}, not {expected}"


@dataclass(frozen=True)
class Mix:
    """How often each thing happens; the defaults are the province's usual proportions."""

    channels: tuple[tuple[str, float], ...] = (
        (Channel.COUNTER, 0.55),
        (Channel.ONLINE, 0.35),
        (Channel.POST, 0.10),
    )
    receipt_refuse: float = 0.03
    receipt_supplement: float = 0.07
    receipt_supplied: float = 0.85
    processing_supplement: float = 0.08
    processing_supplied: float = 0.90
    late_rate: tuple[float, float] = (0.04, 0.22)  # drawn per lead agency, so rankings differ
    apology: float = 0.60
    stop: float = 0.01
    electronic_result: float = 0.30
    province_when_both_levels: float = 0.30


@dataclass(frozen=True)
class StaffMember:
    username: str
    full_name: str
    role: str
    agency_code: str


@dataclass(frozen=True)
class PlannedAction:
    at: dt.datetime
    actor: str
    action: str  # "receive" or one of services.ACTIONS
    status_after: str
    reason: str = ""
    to_agency_code: str | None = None
    new_due_at: dt.datetime | None = None
    items: tuple[str, ...] = ()
    documents: tuple[SubmittedDocument, ...] = ()
    result_kind: str | None = None
    verdict: str = ""
    returned_how: str = ""


@dataclass
class PlannedDossier:
    index: int
    procedure_code: str
    processing_days: int | None  # given to the service only when the catalog states none
    receiving_code: str
    lead_code: str
    channel: str
    applicant: ApplicantData
    documents: tuple[SubmittedDocument, ...]
    outcome: str
    reason: str = ""
    missing_items: tuple[str, ...] = ()
    actions: list[PlannedAction] = field(default_factory=list)
    status: str = ""  # expected at the end of the period
    verdict: str = ""


@dataclass
class HistoryPlan:
    seed: int
    since: dt.datetime
    until: dt.datetime
    per_day: int
    dossiers: list[PlannedDossier]
    staff: dict[str, StaffMember]
    late_rates: dict[str, float]


@dataclass(frozen=True)
class ApplyReport:
    dossiers: list[tuple[str, str, str]]  # (code, status, verdict) in plan order
    events_written: int
    seconds: float

    @property
    def by_status(self) -> Counter[str]:
        return Counter(status for _, status, _ in self.dossiers)

    @property
    def on_time_share(self) -> float | None:
        verdicts = [v for _, _, v in self.dossiers if v]
        if not verdicts:
            return None
        return sum(v != Verdict.LATE for v in verdicts) / len(verdicts)


class GenerationError(RuntimeError):
    """A planned action the services refused: the plan no longer matches the rules."""


# --- sources: what the plan is computed from ---------------------------------------------------


@dataclass(frozen=True)
class _Procedure:
    code: str
    field: str
    days: int
    pass_days: bool
    province: bool  # may be received at the centre and led by its competent agency
    commune: bool  # may be received and led by a commune
    competent_code: str | None
    requirements: tuple[tuple[str, str, int, bool], ...]  # name, form, quantity, required
    steps: tuple[tuple[str, str | None], ...]  # agency role, fixed agency code
    effective_from: dt.date | None


@dataclass(frozen=True)
class _Commune:
    code: str
    place: str
    kind: str
    valid_from: dt.date


def _load_procedures() -> list[_Procedure]:
    procedures = (
        Procedure.objects.filter(status=Procedure.Status.ACTIVE)
        .select_related("field", "competent_agency")
        .prefetch_related("documents")
        .order_by("code")
    )
    steps: dict[int, list[tuple[str, str | None]]] = {}
    for step in ProcessStep.objects.select_related("agency").order_by("procedure_id", "position"):
        fixed = step.agency.code if step.agency_id else None
        steps.setdefault(step.procedure_id, []).append((step.agency_role, fixed))
    found = []
    for p in procedures:
        days = p.processing_days
        if days is None:
            days = DEFAULT_PROCESSING_DAYS.get(p.code)
        if days is None or days < 1:
            continue
        requirements = tuple((d.name, d.form, d.quantity, d.required) for d in p.documents.all())
        competent = p.competent_agency.code if p.competent_agency_id else None
        found.append(
            _Procedure(
                code=p.code,
                field=p.field.name,
                days=days,
                pass_days=p.processing_days is None,
                province=p.level_province and competent is not None,
                commune=p.level_commune,
                competent_code=competent,
                requirements=requirements,
                steps=tuple(steps.get(p.pk, ())),
                effective_from=p.effective_from,
            )
        )
    return found


def _load_communes() -> list[_Commune]:
    agencies = Agency.objects.filter(
        kind=Agency.Kind.COMMUNE_COMMITTEE, has_one_stop_desk=True, valid_to__isnull=True
    ).select_related("unit")
    return [
        _Commune(a.code, a.unit.name, a.unit.kind, a.valid_from) for a in agencies.order_by("code")
    ]


def _province_name() -> str:
    province = Unit.objects.filter(kind=Unit.Kind.PROVINCE).order_by("-valid_from").first()
    return province.name if province else ""


# --- the plan ----------------------------------------------------------------------------------


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier, clamped to the end of a shorter month."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for clamp in range(day.day, 27, -1):
        try:
            return dt.date(year, month + 1, clamp)
        except ValueError:
            continue
    return dt.date(year, month + 1, min(day.day, 28))


def plan_history(
    *,
    seed: int,
    since: dt.datetime,
    until: dt.datetime,
    per_day: int,
    mix: Mix | None = None,
    calendar: WorkCalendar | None = None,
) -> HistoryPlan:
    """Every dossier received on the working days from `since` to `until` (`per_day` a day) and
    every action on it up to `until`, decided by `random.Random(seed)` alone."""
    planner = _Planner(
        seed=seed,
        mix=mix or Mix(),
        calendar=calendar or get_calendar(),
        procedures=_load_procedures(),
        communes=_load_communes(),
        province=_province_name(),
        centre=Agency.objects.filter(code=CENTRE, has_one_stop_desk=True).first(),
    )
    return planner.plan(since=since, until=until, per_day=per_day)


class _Planner:
    def __init__(
        self,
        *,
        seed: int,
        mix: Mix,
        calendar: WorkCalendar,
        procedures: list[_Procedure],
        communes: list[_Commune],
        province: str,
        centre: Agency | None,
    ) -> None:
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        self.mix = mix
        self.calendar = calendar
        self.day = day_seconds()
        self.province = province
        self.staff: dict[str, StaffMember] = {}
        self.centre_open = centre is not None
        # Nobody receives anything before the desks exist (the 2025 reorganisation, in the demo).
        self.desks_from = max(
            [c.valid_from for c in communes] + ([centre.valid_from] if centre else []),
            default=None,
        )
        routable = [
            p for p in procedures if (p.province and self.centre_open) or (p.commune and communes)
        ]
        self.procedures = routable
        self.by_code = {p.code: p for p in routable}
        self.weights = self._procedure_weights(routable)
        self.communes = communes
        size = {Unit.Kind.WARD: 1.6, Unit.Kind.SPECIAL_ZONE: 0.3}
        self.commune_weights = [
            self.rng.lognormvariate(0, 0.5) * size.get(c.kind, 1.0) for c in communes
        ]
        leads = sorted(
            {p.competent_code for p in routable if p.competent_code} | {c.code for c in communes}
        )
        self.late_rates = {code: self.rng.uniform(*mix.late_rate) for code in leads}

    def _procedure_weights(self, procedures: list[_Procedure]) -> list[float]:
        land = [p for p in procedures if p.field == LAND_FIELD and p.code not in COMMON_PROCEDURES]
        others = [
            p for p in procedures if p.field != LAND_FIELD and p.code not in COMMON_PROCEDURES
        ]
        # A few "other" procedures are much more popular than the rest, as in real catalogs.
        popularity = {p.code: self.rng.paretovariate(1.5) for p in others}
        total_popularity = sum(popularity.values()) or 1.0
        weights = []
        for p in procedures:
            if p.code in COMMON_PROCEDURES:
                weights.append(COMMON_PROCEDURES[p.code])
            elif p.field == LAND_FIELD:
                weights.append(LAND_SHARE / len(land))
            else:
                weights.append(OTHER_SHARE * popularity[p.code] / total_popularity)
        return weights

    # --- the period ----------------------------------------------------------------------

    def plan(self, *, since: dt.datetime, until: dt.datetime, per_day: int) -> HistoryPlan:
        dossiers: list[PlannedDossier] = []
        cal = self.calendar
        if self.desks_from is not None:
            since = max(since, dt.datetime.combine(self.desks_from, dt.time(), tzinfo=cal.tz))
        day = since.astimezone(cal.tz).date()
        last_day = until.astimezone(cal.tz).date()
        while self.procedures and day <= last_day:
            # Only procedures in force that day; a day with none receives nothing.
            weights = [
                weight if (p.effective_from or day) <= day else 0.0
                for p, weight in zip(self.procedures, self.weights, strict=True)
            ]
            if cal.is_working_day(day) and any(weights):
                opening = cal.opening_on(day)
                moments = sorted(opening + self._receipt_offset() for _ in range(per_day))
                for moment in moments:
                    if since <= moment <= until:
                        number = len(dossiers) + 1
                        dossiers.append(self._dossier(number, moment, until, weights))
            day += dt.timedelta(days=1)
        return HistoryPlan(
            seed=self.seed,
            since=since,
            until=until,
            per_day=per_day,
            dossiers=dossiers,
            staff=self.staff,
            late_rates=self.late_rates,
        )

    def _receipt_offset(self) -> dt.timedelta:
        # Mornings are busier than afternoons; the last minutes before closing are quiet.
        share = self.rng.betavariate(2, 3) if self.rng.random() < 0.6 else self.rng.random()
        return dt.timedelta(seconds=int(share * (self.day - 300)))

    # --- one dossier ---------------------------------------------------------------------

    def _dossier(
        self, index: int, received_at: dt.datetime, until: dt.datetime, weights: list[float]
    ) -> PlannedDossier:
        rng, mix = self.rng, self.mix
        procedure = rng.choices(self.procedures, weights=weights)[0]
        receiving, lead, place = self._route(procedure)
        channel = rng.choices([c for c, _ in mix.channels], [w for _, w in mix.channels])[0]
        documents = self._documents(procedure, channel)
        draw = rng.random()
        outcome = (
            "refuse"
            if draw < mix.receipt_refuse
            else "supplement"
            if draw < mix.receipt_refuse + mix.receipt_supplement
            else "accept"
        )
        planned = PlannedDossier(
            index=index,
            procedure_code=procedure.code,
            processing_days=procedure.days if procedure.pass_days else None,
            receiving_code=receiving,
            lead_code=lead,
            channel=channel,
            applicant=self._applicant(procedure, place, channel),
            documents=documents,
            outcome=outcome,
        )
        desk = self._desk(receiving)
        status = {
            "accept": Status.RECEIVED,
            "supplement": Status.WAITING_SUPPLEMENT,
            "refuse": Status.REFUSED,
        }[outcome]
        actions = [PlannedAction(received_at, desk, "receive", status)]
        held_back: tuple[SubmittedDocument, ...] = ()
        if outcome == "supplement":
            planned.reason = REASON_RECEIPT_SUPPLEMENT
            planned.documents, held_back = self._hold_back(procedure, documents)
            planned.missing_items = tuple(d.name for d in held_back)
        if outcome == "refuse":
            planned.reason = rng.choice(REASONS_REFUSE)
        else:
            self._life(planned, actions, received_at, held_back)
        planned.actions = [a for a in actions if a.at <= until]
        planned.status = planned.actions[-1].status_after
        planned.verdict = next((a.verdict for a in planned.actions if a.action == "finish"), "")
        return planned

    def _life(
        self,
        planned: PlannedDossier,
        actions: list[PlannedAction],
        received_at: dt.datetime,
        held_back: tuple[SubmittedDocument, ...],
    ) -> None:
        """Append the actions after receipt; every one a working moment after the one before."""
        rng, mix, cal = self.rng, self.mix, self.calendar
        desk = self._desk(planned.receiving_code)
        # The dossier's fate first; its timings are drawn as its life unfolds below.
        late = rng.random() < self.late_rates[planned.lead_code]
        # A dossier may be sent back for a supplement only once (Decree 118 Art. 11).
        supplement = rng.random() < mix.processing_supplement and planned.outcome == "accept"
        supplied = rng.random() < mix.processing_supplied
        stop = rng.random() < mix.stop
        apologise = rng.random() < mix.apology
        electronic = rng.random() < mix.electronic_result
        clock = received_at
        if planned.outcome == "supplement":
            if rng.random() >= mix.receipt_supplied:
                gave_up = self._later(received_at, self._days(15, 20))
                actions.append(
                    PlannedAction(
                        gave_up, desk, "refuse", Status.REFUSED, reason=REASON_NOT_SUPPLIED
                    )
                )
                return
            clock = self._later(received_at, self._days(1, 5))
            actions.append(
                PlannedAction(clock, desk, "supplement", Status.RECEIVED, documents=held_back)
            )
        days = self.by_code[planned.procedure_code].days
        due = cal.due_at(clock, days)
        status, cursor = Status.RECEIVED, clock
        holder, holder_agency = desk, planned.receiving_code
        for position, agency in enumerate(self._path(planned)):
            if position == 0:  # the desk's share: a tenth of the time, at most half a day
                share = min(0.5, 0.1 * days) * self.day
                hold = share * (rng.uniform(0.1, 0.9) if rng.random() < 0.9 else rng.uniform(1, 2))
            else:
                hold = cal.working_seconds_between(cursor, due) * rng.uniform(0.1, 0.3)
            sent = self._later(cursor, max(300, hold))
            actions.append(
                PlannedAction(
                    sent,
                    holder,
                    "forward",
                    Status.PROCESSING,
                    reason=REASON_FORWARD,
                    to_agency_code=agency,
                )
            )
            cursor, status = sent, Status.PROCESSING
            if planned.channel == Channel.ONLINE and holder_agency == planned.receiving_code:
                cursor = max(sent, cal.electronic_handover_at(sent))
            holder, holder_agency = self._specialist(agency), agency
        if holder_agency == planned.receiving_code:  # the commune decides its own dossiers
            holder = self._specialist(holder_agency)
        if supplement:
            window = cal.working_seconds_between(cursor, due)
            asked = self._later(cursor, max(600, window * rng.uniform(0.05, 0.4)))
            items = (rng.choice(GENERIC_MISSING),)
            actions.append(
                PlannedAction(
                    asked,
                    holder,
                    "request_supplement",
                    Status.WAITING_SUPPLEMENT,
                    items=items,
                    reason=rng.choice(REASONS_PROCESSING_SUPPLEMENT),
                )
            )
            if not supplied:
                gave_up = self._later(asked, self._days(15, 20))
                actions.append(
                    PlannedAction(
                        gave_up, desk, "refuse", Status.REFUSED, reason=REASON_NOT_SUPPLIED
                    )
                )
                return
            cursor = self._later(asked, self._days(1, 5))
            actions.append(
                PlannedAction(
                    cursor, desk, "supplement", status, documents=(SubmittedDocument(items[0]),)
                )
            )
            due = cal.add_working_seconds(due, cal.working_seconds_between(asked, cursor))
        window = cal.working_seconds_between(cursor, due)
        if stop:
            stopped = self._later(cursor, max(600, window * rng.uniform(0.1, 0.8)))
            actions.append(PlannedAction(stopped, desk, "stop", Status.STOPPED, reason=REASON_STOP))
            return
        if late or window < 1800:
            finished = self._later(max(due, cursor), self._days(0.1, 4))
            if apologise and window >= 1800:
                said_sorry = self._later(cursor, window * rng.uniform(0.5, 0.95))
                new_due = cal.due_at(due, rng.randint(1, 4))  # 2–5 working days later
                actions.append(
                    PlannedAction(
                        said_sorry,
                        holder,
                        "apologize",
                        status,
                        reason=rng.choice(REASONS_APOLOGY),
                        new_due_at=new_due,
                    )
                )
                if rng.random() < 0.85:  # most keep the new appointment
                    extra = cal.working_seconds_between(due, new_due)
                    finished = self._later(due, max(600, extra * rng.uniform(0.1, 0.9)))
                else:
                    finished = self._later(new_due, self._days(0.1, 2))
        else:
            finished = self._later(cursor, max(300, window * min(0.98, rng.betavariate(3, 2))))
        kind = ResultKind.ELECTRONIC if electronic else ResultKind.PAPER
        actions.append(
            PlannedAction(
                finished,
                holder,
                "finish",
                Status.RESULT_READY,
                result_kind=kind,
                verdict=judge(finished, due),
            )
        )
        returned = self._later(finished, self.day * rng.randint(0, 3) + rng.uniform(600, 10800))
        how = (
            "post"
            if planned.channel == Channel.POST
            else "online"
            if planned.channel == Channel.ONLINE and electronic
            else "in_person"
        )
        actions.append(PlannedAction(returned, desk, "return", Status.RETURNED, returned_how=how))

    # --- helpers -------------------------------------------------------------------------

    def _route(self, procedure: _Procedure) -> tuple[str, str, str]:
        """(receiving desk, lead agency, the applicant's place), mirroring the services' rule:
        the centre's dossiers are led by the competent agency, a commune leads its own."""
        at_centre = (
            self.centre_open
            and procedure.province
            and (
                not (procedure.commune and self.communes)
                or self.rng.random() < self.mix.province_when_both_levels
            )
        )
        if not self.communes:
            return CENTRE, procedure.competent_code or "", ""
        commune = self.rng.choices(self.communes, weights=self.commune_weights)[0]
        if at_centre:  # the applicant still lives somewhere in the province
            return CENTRE, procedure.competent_code or "", commune.place
        return commune.code, commune.code, commune.place

    def _path(self, planned: PlannedDossier) -> list[str]:
        """The agencies the dossier is forwarded to, in order, before the result goes back."""
        procedure = self.by_code[planned.procedure_code]
        if procedure.steps:
            roles = {"desk": planned.receiving_code, "lead": planned.lead_code}
            agencies = [roles.get(role) or fixed or "" for role, fixed in procedure.steps]
        else:
            agencies = [planned.lead_code]
        path: list[str] = []
        for agency in agencies:
            if agency != (path[-1] if path else planned.receiving_code):
                path.append(agency)
        while path and path[-1] == planned.receiving_code:
            path.pop()
        return path

    def _days(self, low: float, high: float) -> float:
        return self.rng.uniform(low, high) * self.day

    def _later(self, moment: dt.datetime, seconds: float) -> dt.datetime:
        """A moment `seconds` of office time after `moment`, always inside office hours."""
        cal = self.calendar
        at = cal.add_working_seconds(moment, max(1, int(seconds)))
        if not cal.is_office_hours(at):  # exactly at closing time
            at = cal.opening_on(cal.next_working_day(at.date())) + dt.timedelta(minutes=1)
        return at

    def _documents(self, procedure: _Procedure, channel: str) -> tuple[SubmittedDocument, ...]:
        digitised = self.rng.random() < {Channel.ONLINE: 1.0, Channel.COUNTER: 0.6}.get(
            channel, 0.4
        )
        reuse = 0.25 if channel == Channel.ONLINE else 0.05
        requirements = procedure.requirements or ((GENERIC_DOCUMENT, "original", 1, True),)
        return tuple(
            SubmittedDocument(name, quantity, form, digitised, self.rng.random() < reuse)
            for name, form, quantity, required in requirements
            if required or self.rng.random() < 0.3
        )

    def _hold_back(
        self, procedure: _Procedure, documents: tuple[SubmittedDocument, ...]
    ) -> tuple[tuple[SubmittedDocument, ...], tuple[SubmittedDocument, ...]]:
        """Split what was brought into (given at receipt, brought later)."""
        required = {name for name, _, _, req in procedure.requirements if req}
        candidates = [d for d in documents if d.name in required]
        if not candidates:
            return documents, (SubmittedDocument(self.rng.choice(GENERIC_MISSING)),)
        missing = self.rng.choice(candidates)
        return tuple(d for d in documents if d is not missing), (missing,)

    def _applicant(self, procedure: _Procedure, place: str, channel: str) -> ApplicantData:
        rng = self.rng
        business = not procedure.field.startswith(PERSONS_ONLY_FIELDS) and any(
            word in procedure.field for word in BUSINESS_FIELDS
        )
        address = f"Số {rng.randint(1, 250)} {rng.choice(STREETS)}, {place}, {self.province}"
        phone = "0" + rng.choice("3789") + "".join(rng.choice("0123456789") for _ in range(8))
        if business and rng.random() < 0.3:
            name = f"Công ty {rng.choice(('TNHH', 'cổ phần'))} {rng.choice(COMPANY_TRADES)} "
            name += rng.choice(COMPANY_WORDS)
            tax_code = "02" + "".join(rng.choice("0123456789") for _ in range(8))
            return ApplicantData(
                ApplicantKind.ORGANISATION, name, tax_code=tax_code, phone=phone, address=address
            )
        female = rng.random() < 0.55
        name = _person_name(rng, female)
        born = rng.randint(1950, 2005)
        century = (0 if born < 2000 else 2) + int(female)
        id_number = f"{rng.choice(BIRTH_PROVINCES)}{century}{born % 100:02d}"
        id_number += "".join(rng.choice("0123456789") for _ in range(6))
        email = ""
        if channel == Channel.ONLINE and rng.random() < 0.6:
            email = f"cd{id_number[-6:]}@example.com"
        return ApplicantData(
            ApplicantKind.PERSON,
            name,
            id_number=id_number,
            phone=phone,
            email=email,
            address=address,
        )

    def _desk(self, agency_code: str) -> str:
        username = CENTRE_DESK if agency_code == CENTRE else f"desk-{agency_code.lower()}"
        return self._member(username, User.Role.DESK_OFFICER, agency_code)

    def _specialist(self, agency_code: str) -> str:
        username = SPECIALIST_BY_AGENCY.get(agency_code, f"spec-{agency_code.lower()}")
        return self._member(username, User.Role.SPECIALIST, agency_code)

    def _member(self, username: str, role: str, agency_code: str) -> str:
        if username not in self.staff:
            demo = {u: name for u, name, _, _ in DEMO_ACCOUNTS}
            # Its own generator: a name does not depend on when the person first appears.
            own = random.Random(f"{self.seed}:{username}")  # noqa: S311 - as above
            full_name = demo.get(username) or _person_name(own, own.random() < 0.6)
            self.staff[username] = StaffMember(username, full_name, role, agency_code)
        return username
