"""Computed leaves' inputs: a registry of named metrics, each a ratio in 0..1 for one agency or
one unit (all its agencies) in one calendar year, computed with one SQL aggregate; ``None``
when there is nothing to count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from motcua.common.ratings import SATISFIED_FROM
from motcua.dossiers.models import Channel, Dossier, ResultKind, Verdict
from motcua.feedback.models import Petition
from motcua.feedback.selectors import petitions_on_time as petition_on_time_counts
from motcua.surveys.models import Rating

RATIO_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Subject:
    """Whom a metric counts: one agency, or every agency of one administrative unit."""

    agency_id: int | None = None
    unit_id: int | None = None

    def q(self, field: str) -> Q:
        if self.agency_id is not None:
            return Q(**{f"{field}_id": self.agency_id})
        return Q(**{f"{field}__unit_id": self.unit_id})


@dataclass(frozen=True)
class Metric:
    name: str
    label_vi: str
    label_en: str
    compute: Callable[[Subject, int], Decimal | None]


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The calendar year in the province's time zone (settings.TIME_ZONE), as [start, end)."""
    zone = timezone.get_default_timezone()
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


def _in_year(field: str, year: int) -> Q:
    start, end = year_bounds(year)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _ratio(rows: QuerySet[Any], hit: Q) -> Decimal | None:
    counts = rows.aggregate(total=Count("pk"), hits=Count("pk", filter=hit))
    if not counts["total"]:
        return None
    return (Decimal(counts["hits"]) / Decimal(counts["total"])).quantize(RATIO_PLACES)


def _finished(subject: Subject, year: int) -> QuerySet[Dossier]:
    return Dossier.objects.filter(subject.q("lead_agency"), _in_year("finished_at", year))


def _received(subject: Subject, year: int) -> QuerySet[Dossier]:
    return Dossier.objects.filter(subject.q("lead_agency"), _in_year("received_at", year))


def dossiers_on_time(subject: Subject, year: int) -> Decimal | None:
    return _ratio(_finished(subject, year), Q(verdict__in=[Verdict.EARLY, Verdict.ON_TIME]))


def online_share(subject: Subject, year: int) -> Decimal | None:
    return _ratio(_received(subject, year), Q(channel=Channel.ONLINE))


def paid_online_share(subject: Subject, year: int) -> Decimal | None:
    return _ratio(_received(subject, year).filter(fee_vnd__gt=0), Q(paid_online=True))


def electronic_results(subject: Subject, year: int) -> Decimal | None:
    return _ratio(
        _finished(subject, year), Q(result_kind__in=[ResultKind.ELECTRONIC, ResultKind.BOTH])
    )


def digitised_share(subject: Subject, year: int) -> Decimal | None:
    return _ratio(_received(subject, year), Q(digitised=True))


def reuse_share(subject: Subject, year: int) -> Decimal | None:
    return _ratio(_received(subject, year), Q(reused_documents__gt=0))


def apologies_for_late(subject: Subject, year: int) -> Decimal | None:
    """Late dossiers finished in the year for which the agency issued an apology."""
    return _ratio(_finished(subject, year).filter(verdict=Verdict.LATE), Q(apology__isnull=False))


def petitions_on_time(subject: Subject, year: int) -> Decimal | None:
    """Petitions due in the year answered by their due time (the feedback app's definition,
    the same one its report counts)."""
    start, end = year_bounds(year)
    petitions = Petition.objects.filter(subject.q("agency"))
    return petition_on_time_counts(petitions, start=start, end=end, now=timezone.now()).rate


def rating_satisfied(subject: Subject, year: int) -> Decimal | None:
    rows = Rating.objects.filter(subject.q("agency"), _in_year("created_at", year))
    return _ratio(rows, Q(overall__gte=SATISFIED_FROM))


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric(
            "dossiers_on_time",
            "Hồ sơ giải quyết sớm, đúng hạn / hồ sơ đã giải quyết",
            "Dossiers finished early or on time / finished",
            dossiers_on_time,
        ),
        Metric(
            "online_share",
            "Hồ sơ nộp trực tuyến / hồ sơ tiếp nhận",
            "Dossiers submitted online / received",
            online_share,
        ),
        Metric(
            "paid_online_share",
            "Hồ sơ thanh toán trực tuyến / hồ sơ có phí",
            "Dossiers paid online / dossiers with a fee",
            paid_online_share,
        ),
        Metric(
            "electronic_results",
            "Hồ sơ trả kết quả điện tử / hồ sơ đã giải quyết",
            "Dossiers with an electronic result / finished",
            electronic_results,
        ),
        Metric(
            "digitised_share",
            "Hồ sơ được số hóa / hồ sơ tiếp nhận",
            "Dossiers digitised / received",
            digitised_share,
        ),
        Metric(
            "reuse_share",
            "Hồ sơ tái sử dụng dữ liệu số hóa / hồ sơ tiếp nhận",
            "Dossiers reusing digitised documents / received",
            reuse_share,
        ),
        Metric(
            "apologies_for_late",
            "Hồ sơ trễ hạn có văn bản xin lỗi / hồ sơ trễ hạn",
            "Late dossiers with an apology / late dossiers",
            apologies_for_late,
        ),
        Metric(
            "petitions_on_time",
            "Phản ánh, kiến nghị trả lời đúng hạn / đến hạn trong năm",
            "Petitions answered by their due time / due in the year",
            petitions_on_time,
        ),
        Metric(
            "rating_satisfied",
            "Lượt đánh giá hài lòng (4–5) / lượt đánh giá",
            "Ratings satisfied (4–5) / ratings",
            rating_satisfied,
        ),
    )
}

# Names used by methodology files written before this registry; an assessment already stored
# on such a version cannot be reloaded with new names (methodology_in_use), so both are read.
ALIASES = {
    "on_time_ratio": "dossiers_on_time",
    "apology_ratio": "apologies_for_late",
    "petition_on_time_ratio": "petitions_on_time",
    "online_ratio": "online_share",
    "paid_online_ratio": "paid_online_share",
    "digitised_ratio": "digitised_share",
    "electronic_result_ratio": "electronic_results",
    "reuse_ratio": "reuse_share",
    "satisfied_ratio": "rating_satisfied",
}


def metric_get(name: str) -> Metric | None:
    return METRICS.get(ALIASES.get(name, name))


def metric_value(name: str, subject: Subject, year: int) -> Decimal | None:
    """The named metric's ratio; raises KeyError for a name nobody registered."""
    metric = metric_get(name)
    if metric is None:
        raise KeyError(name)
    return metric.compute(subject, year)
