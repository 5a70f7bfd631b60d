"""Reads of petitions: categories, wards, routing, likely duplicates, the public list and the
staff queue. Permission-dependent reads start from `access`."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from motcua.common.errors import NotFound
from motcua.common.text import fold
from motcua.org import geo
from motcua.org.models import Agency, Unit, User

from .access import petitions_handled_by
from .models import COMMUNE, OPEN_STATES, Category, Moderation, Petition, State

DUPLICATE_RADIUS_M = 150
DUPLICATE_WINDOW_DAYS = 30
DUPLICATE_LIMIT = 5
EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE = 111_320
WARD_KINDS = (Unit.Kind.WARD, Unit.Kind.COMMUNE, Unit.Kind.SPECIAL_ZONE)
PAGE_SIZE_MAX = 100
RATE_PLACES = Decimal("0.0001")
HELD_QUEUE = "held"  # the staff queue's filter for petitions waiting for moderation

ERR_UNKNOWN_SERVICE = (
    "unknown_service_code",
    "Không có loại phản ánh (service_code) “{code}”.",
    "No service with service_code “{code}”.",
)


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def paginate(queryset: QuerySet, page: int, page_size: int) -> Page:
    total = queryset.count()
    start = (page - 1) * page_size
    return Page(
        items=list(queryset[start : start + page_size]),
        total=total,
        page=page,
        page_size=page_size,
    )


# --- categories and places --------------------------------------------------------------------


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True)


def category_by_code(code: str) -> Category:
    category = active_categories().filter(code=code).first()
    if category is None:
        error, vi, en = ERR_UNKNOWN_SERVICE
        raise NotFound(error, vi.format(code=code[:50]), en.format(code=code[:50]))
    return category


def wards(day: dt.date | None = None) -> QuerySet[Unit]:
    """The province's wards, communes and special zones in force on `day` (default today)."""
    return Unit.objects.valid_on(day or timezone.localdate()).filter(
        kind__in=WARD_KINDS,
        parent__kind=Unit.Kind.PROVINCE,
        parent__code=str(settings.MOTCUA_PROVINCE_CODE),
    )


def ward_by_code(code: str) -> Unit | None:
    return wards().filter(code=code.strip()).first() if code.strip() else None


def ward_in_address(address: str) -> Unit | None:
    """The ward whose full name ("Phường Hồng Bàng", "Xã An Lão") the address mentions; the
    longest match wins, so "Xã An Lão" is not taken for a shorter name inside it."""
    text = f" {fold(address)} "
    if not text.strip():
        return None
    best: tuple[int, Unit] | None = None
    for unit in wards().only("id", "code", "name"):
        name = fold(unit.name)
        if name and f" {name} " in text and (best is None or len(name) > best[0]):
            best = (len(name), unit)
    return best[1] if best else None


def province_map() -> geo.ProvinceMap | None:
    return geo.province_map(settings.MOTCUA_PROVINCE_CODE)


def point_in_province(lat: float, long: float) -> bool:
    """Whether the point is in the province; true where no map is shipped to tell."""
    area = province_map()
    return area is None or geo.contains(area, lat, long)


def ward_at(lat: float, long: float) -> Unit | None:
    """The ward of a point in the province: the one with the nearest centroid."""
    area = province_map()
    if area is None or not geo.contains(area, lat, long):
        return None
    return ward_by_code(geo.nearest_ward(area, lat, long).code)


def route_agency(category: Category, ward: Unit | None) -> Agency:
    """Who answers: the commune committee of the place for commune-level categories (the
    category's fallback agency when the place's ward is unknown), else the named agency; the
    province's People's Committee when the named agency does not exist."""
    today = timezone.localdate()
    if category.responsible == COMMUNE:
        if ward is not None:
            agency = (
                Agency.objects.valid_on(today)
                .filter(unit=ward, kind=Agency.Kind.COMMUNE_COMMITTEE)
                .first()
            )
            if agency is not None:
                return agency
        code = category.fallback_agency_code
    else:
        code = category.responsible
    agency = Agency.objects.filter(code=code).first() if code else None
    if agency is None:
        agency = (
            Agency.objects.valid_on(today)
            .filter(kind=Agency.Kind.PEOPLES_COMMITTEE, unit__kind=Unit.Kind.PROVINCE)
            .first()
        )
    if agency is None:
        raise NotFound(
            "no_agency",
            "Chưa cấu hình cơ quan tiếp nhận loại phản ánh này.",
            "No agency is configured to answer this category.",
            status=503,
        )
    return agency


# --- duplicates -------------------------------------------------------------------------------


def distance_m(lat1: float, long1: float, lat2: float, long2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(long2 - long1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def similar_petitions(
    *,
    category: Category,
    lat: float | None,
    long: float | None,
    ward_id: int | None,
    now: dt.datetime | None = None,
    exclude_id: int | None = None,
    radius_m: float = DUPLICATE_RADIUS_M,
    open_only: bool = True,
    include_held: bool = False,
) -> list[Petition]:
    """Open, visible petitions of the same category from the last 30 days, within `radius_m`
    of the place or, when either has no position, in the same ward; nearest first. Those held
    for moderation only with `include_held` (staff pages), as they are not public yet.

    A bounding box narrows the rows in SQL; the exact distance is computed on those few.
    """
    now = now or timezone.now()
    near = Q(pk__in=[])
    if lat is not None and long is not None:
        dlat = radius_m / METRES_PER_DEGREE
        dlong = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
        near |= Q(lat__range=(lat - dlat, lat + dlat), long__range=(long - dlong, long + dlong))
    if ward_id is not None:
        near |= Q(ward_id=ward_id)
    candidates = Petition.objects.filter(
        near,
        category=category,
        hidden=False,
        received_at__gte=now - dt.timedelta(days=DUPLICATE_WINDOW_DAYS),
    )
    if open_only:
        candidates = candidates.filter(state__in=OPEN_STATES)
    if not include_held:
        candidates = candidates.filter(moderation=Moderation.PUBLISHED)
    candidates = (
        candidates.exclude(pk=exclude_id)
        .select_related("ward", "category", "agency", "answer__agency", "duplicate_of__answer")
        .order_by("-received_at")[:200]
    )
    found: list[tuple[float, Petition]] = []
    for petition in candidates:
        if None not in (lat, long, petition.lat, petition.long):
            metres = distance_m(lat, long, petition.lat, petition.long)  # type: ignore[arg-type]
            if metres <= radius_m:
                found.append((metres, petition))
        elif ward_id is not None and petition.ward_id == ward_id:
            found.append((radius_m, petition))
    found.sort(key=lambda pair: (pair[0], -pair[1].received_at.timestamp()))
    return [petition for _, petition in found[:DUPLICATE_LIMIT]]


# --- lists --------------------------------------------------------------------------------------


def published_petitions() -> QuerySet[Petition]:
    """What anyone may list: every petition except those hidden by moderation or held for it."""
    return (
        Petition.objects.filter(hidden=False, moderation=Moderation.PUBLISHED)
        .select_related("category", "agency", "ward", "answer__agency", "duplicate_of__answer")
        .prefetch_related("photos")
    )


def open311_petitions(*, include_held: bool = False) -> QuerySet[Petition]:
    """Open311 shows hidden petitions too, with their content withheld (see `public`), so a
    client following its own request sees it closed rather than vanished. Petitions held for
    moderation are not published anywhere until released (`include_held`: the sender's own
    pages, reached with the private link or the account)."""
    petitions = Petition.objects.all()
    if not include_held:
        petitions = petitions.filter(moderation=Moderation.PUBLISHED)
    return petitions.select_related(
        "category", "agency", "ward", "answer__agency", "duplicate_of__answer"
    ).prefetch_related("photos")


def public_petition(petition_id: int, *, include_held: bool = False) -> Petition:
    petition = open311_petitions(include_held=include_held).filter(pk=petition_id).first()
    if petition is None:
        raise NotFound(
            "petition_not_found",
            f"Không tìm thấy phản ánh số {petition_id}.",
            f"No petition {petition_id}.",
        )
    return petition


def public_list(
    *, category_code: str = "", status: str = "", ward_id: int | None = None, page: int = 1
) -> Page:
    petitions = published_petitions()
    if category_code:
        petitions = petitions.filter(category__code=category_code)
    if status == "open":
        petitions = petitions.filter(state__in=OPEN_STATES)
    elif status == "closed":
        petitions = petitions.exclude(state__in=OPEN_STATES)
    if ward_id:
        petitions = petitions.filter(ward_id=ward_id)
    return paginate(petitions.order_by("-received_at", "-id"), page, 20)


def staff_queue(
    *,
    user: User,
    state: str = "open",
    overdue: bool = False,
    page: int = 1,
    page_size: int = 20,
    now: dt.datetime | None = None,
) -> Page:
    petitions = petitions_handled_by(user).select_related("category", "agency", "ward")
    if state == "open":
        petitions = petitions.filter(state__in=OPEN_STATES)
    elif state == HELD_QUEUE:
        petitions = petitions.filter(moderation=Moderation.HELD, hidden=False)
    elif state:
        petitions = petitions.filter(state=state)
    if overdue:
        petitions = petitions.filter(state__in=OPEN_STATES, due_at__lt=now or timezone.now())
    return paginate(petitions.order_by("due_at", "id"), page, min(page_size, PAGE_SIZE_MAX))


FORWARD_KIND_ORDER = (
    Agency.Kind.DEPARTMENT,
    Agency.Kind.OTHER,
    Agency.Kind.SERVICE_CENTRE,
    Agency.Kind.PEOPLES_COMMITTEE,
    Agency.Kind.COMMUNE_COMMITTEE,
)


def forward_targets(petition: Petition) -> list[Agency]:
    """Agencies in force a petition can be forwarded to: departments first, then communes."""
    agencies = (
        Agency.objects.valid_on(timezone.localdate())
        .exclude(pk=petition.agency_id)
        .filter(kind__in=FORWARD_KIND_ORDER)
        .only("code", "name", "kind")
    )
    return sorted(agencies, key=lambda a: (FORWARD_KIND_ORDER.index(a.kind), a.code))


# --- petitions answered on time: the one definition the report and the index both count ------


@dataclass(frozen=True)
class OnTimeFilters:
    """Conditions, one SQL aggregate each, for petitions due in a period.

    The national portal's scoring (Decision 766, satisfaction group): a petition is judged
    against its deadline (15 working days unless its category says otherwise); one still in
    process within its deadline counts as on time, one still open past it as late. Petitions
    closed as abusive or as duplicates are not answered on their own and are not counted.
    """

    counted: Q
    answered_on_time: Q
    answered_late: Q
    open_in_time: Q
    open_overdue: Q

    @property
    def on_time(self) -> Q:
        return self.answered_on_time | self.open_in_time

    @property
    def late(self) -> Q:
        return self.answered_late | self.open_overdue


def petition_on_time_filters(
    *, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> OnTimeFilters:
    """Petitions due in [start, end), judged as of `now`."""
    counted = Q(due_at__gte=start, due_at__lt=end, state__in=[*OPEN_STATES, State.ANSWERED])
    answered = counted & Q(state=State.ANSWERED)
    still_open = counted & Q(state__in=OPEN_STATES)
    return OnTimeFilters(
        counted=counted,
        answered_on_time=answered & Q(answer__published_at__lte=F("due_at")),
        answered_late=answered & Q(answer__published_at__gt=F("due_at")),
        open_in_time=still_open & Q(due_at__gt=now),
        open_overdue=still_open & Q(due_at__lte=now),
    )


@dataclass(frozen=True)
class OnTimeCounts:
    on_time: int
    late: int

    @property
    def rate(self) -> Decimal | None:
        """On time / counted, four decimal places; None when nothing was due."""
        total = self.on_time + self.late
        if not total:
            return None
        return (Decimal(self.on_time) / Decimal(total)).quantize(RATE_PLACES)


def petitions_on_time(
    petitions: QuerySet[Petition], *, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> OnTimeCounts:
    """How many of `petitions` due in [start, end) were (or are still being) handled on time,
    and how many late; one query."""
    rule = petition_on_time_filters(start=start, end=end, now=now)
    counts = petitions.aggregate(
        on_time=Count("pk", filter=rule.on_time), late=Count("pk", filter=rule.late)
    )
    return OnTimeCounts(on_time=counts["on_time"], late=counts["late"])
