"""Computed leaves' inputs: a registry of named metrics, each a ratio in 0..1 for one agency or
one unit (all its agencies) in one calendar year; ``None`` when there is nothing to count.

They read the counts per day (`motcua.facts`), one SQL aggregate each, never the raw dossiers:
a year of a province is a few thousand rows, not millions. Which day each count belongs to
(received, due, finished) is the facts' definition (facts.models)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from motcua.common.ratings import SATISFIED_FROM, Level
from motcua.dossiers.models import Channel
from motcua.facts.models import DossierDay, PetitionDay, RatingDay
from motcua.facts.selectors import petitions_on_time as petition_on_time_counts
from motcua.facts.selectors import totals

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


def _ratio(hits: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(hits) / Decimal(total)).quantize(RATIO_PLACES)


def _year(
    model: type[DossierDay | PetitionDay | RatingDay],
    subject: Subject,
    year: int,
    *columns: str,
    among: dict[str, tuple[str, Q]] | None = None,
) -> dict[str, int]:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return totals(model, subject.q("agency"), first, last, *columns, among=among)


def _dossier_ratio(subject: Subject, year: int, hits: str, total: str) -> Decimal | None:
    sums = _year(DossierDay, subject, year, hits, total)
    return _ratio(sums[hits], sums[total])


def dossiers_on_time(subject: Subject, year: int) -> Decimal | None:
    """Finished in the year early or on time / finished in the year."""
    sums = _year(DossierDay, subject, year, "finished_early", "finished_on_time", "finished")
    return _ratio(sums["finished_early"] + sums["finished_on_time"], sums["finished"])


def online_share(subject: Subject, year: int) -> Decimal | None:
    """Received online in the year / received in the year."""
    online = {"online": ("received", Q(channel=Channel.ONLINE))}
    sums = _year(DossierDay, subject, year, "received", among=online)
    return _ratio(sums["online"], sums["received"])


def paid_online_share(subject: Subject, year: int) -> Decimal | None:
    return _dossier_ratio(subject, year, "paid_online", "with_fee")


def electronic_results(subject: Subject, year: int) -> Decimal | None:
    return _dossier_ratio(subject, year, "electronic_result", "finished")


def digitised_share(subject: Subject, year: int) -> Decimal | None:
    return _dossier_ratio(subject, year, "digitised", "received")


def reuse_share(subject: Subject, year: int) -> Decimal | None:
    return _dossier_ratio(subject, year, "reused", "received")


def apologies_for_late(subject: Subject, year: int) -> Decimal | None:
    """Late dossiers finished in the year for which the agency issued an apology."""
    return _dossier_ratio(subject, year, "late_apologised", "finished_late")


def petitions_on_time(subject: Subject, year: int) -> Decimal | None:
    """Petitions due in the year answered by their due time (the feedback app's definition,
    feedback.selectors.petition_on_time_filters, counted over the facts per day)."""
    where = subject.q("agency")
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return petition_on_time_counts(where, first, last, now=timezone.now()).rate


def rating_satisfied(subject: Subject, year: int) -> Decimal | None:
    levels = [f"level_{level}" for level in Level.values]
    sums = _year(RatingDay, subject, year, *levels)
    satisfied = sum(sums[f"level_{level}"] for level in Level.values if level >= SATISFIED_FROM)
    return _ratio(satisfied, sum(sums.values()))


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
