"""Reads for ratings: the criteria in force, a dossier's current rating, and the report per
agency and period, computed with SQL aggregates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.common.errors import PermissionDenied
from motcua.common.ratings import SATISFIED_FROM
from motcua.common.rules import DOSSIER_SATISFACTION_766, rule_get
from motcua.dossiers.models import Dossier
from motcua.org.models import Agency, User
from motcua.org.permissions import Capability, can

from .models import OVERALL, Rating, RatingAnswer, RatingCriterion

DECIMALS = 4

ERR_REPORT_FORBIDDEN = ("report_forbidden", _("Only civil servants may see the ratings report."))
ERR_REPORT_OTHER_AGENCY = (
    "report_other_agency",
    _("You may only see the ratings report of your own agency."),
)


def criteria_in_force(stage: str | None = None, on: dt.date | None = None) -> list[RatingCriterion]:
    """The criteria of the newest file version in force on `on` (today by default), in the
    order the file lists them; with `stage`, only those asked at that stage."""
    on = on or timezone.localdate()
    version = RatingCriterion.objects.filter(effective_from__lte=on).aggregate(
        v=Max("effective_from")
    )["v"]
    if version is None:
        return []
    criteria = RatingCriterion.objects.filter(effective_from=version, active=True).order_by(
        "position"
    )
    return [c for c in criteria if stage is None or c.applies_to(stage)]


def questions_for(stage: str, on: dt.date | None = None) -> tuple[RatingCriterion | None, list]:
    """(the overall criterion, the other criteria) asked at `stage`."""
    criteria = criteria_in_force(stage, on)
    overall = next((c for c in criteria if c.code == OVERALL), None)
    return overall, [c for c in criteria if c.code != OVERALL]


def rating_current(dossier: Dossier, stage: str) -> Rating | None:
    return (
        Rating.objects.filter(dossier=dossier, stage=stage)
        .prefetch_related("answers__criterion")
        .first()
    )


def rating_answers(rating: Rating | None) -> dict[str, int]:
    if rating is None:
        return {}
    return {a.criterion.code: a.score for a in rating.answers.all()}


# --- report ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointsRule:
    """A linear leaf: max_points × share / full_marks_at, capped at max_points."""

    max_points: float
    full_marks_at: float
    no_data_points: float


def points_rule_load(
    node: Mapping[str, Any] | None = None, *, on: dt.date | None = None
) -> PointsRule:
    """Decision 766's dossier-satisfaction leaf as a rule: `node` (a methodology node with a
    linear formula) or, by default, the one the indices' methodology file has in force on `on`
    (today), given through common.rules; ValueError if it is not linear or out of range."""
    if node is None:
        node = rule_get(DOSSIER_SATISFACTION_766, on or timezone.localdate())
    rule = node["rule"]
    if rule.get("formula") != "linear":
        raise ValueError(f"{node['code']}: the formula must be linear, not {rule.get('formula')!r}")
    loaded = PointsRule(
        max_points=float(node["max_points"]),
        full_marks_at=float(rule.get("full_marks_at", 1)),
        no_data_points=float(rule.get("no_data_points", 0)),
    )
    if loaded.max_points < 0 or not 0 < loaded.full_marks_at <= 1:
        raise ValueError(f"{node['code']}: max_points ≥ 0 and 0 < full_marks_at ≤ 1 are required")
    if not 0 <= loaded.no_data_points <= loaded.max_points:
        raise ValueError(f"{node['code']}: no_data_points must be within 0..max_points")
    return loaded


def dossier_satisfaction_points(
    satisfied_share: float | None, rule: PointsRule | None = None
) -> float:
    """Decision 766 "dossier satisfaction" points for a satisfied share r in [0, 1], by the
    rule of the service index in force today unless another is given."""
    rule = rule or points_rule_load()
    if satisfied_share is None:
        return rule.no_data_points
    return min(rule.max_points, rule.max_points * satisfied_share / rule.full_marks_at)


def report_agencies_for(user: User | None, agency_code: str | None) -> list[int] | None:
    """Which agencies' ratings `user` may see in the report: None means all of them; nobody
    signed in, or a citizen, gets the API's 403."""
    if user is None or not user.is_authenticated or not user.is_civil_servant:
        raise PermissionDenied(*ERR_REPORT_FORBIDDEN)
    sees_all = can(user, Capability.SEE_EVERY_AGENCY)
    if agency_code:
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            return []
        if not sees_all and agency.pk != user.agency_id:
            raise PermissionDenied(*ERR_REPORT_OTHER_AGENCY)
        return [agency.pk]
    if sees_all:
        return None
    return [] if user.agency_id is None else [user.agency_id]


def _period(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local calendar days → [start 00:00, the day after `end` 00:00) in the province's zone."""
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def _share(satisfied: int, count: int) -> float | None:
    return satisfied / count if count else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), DECIMALS)


def _summary(
    count: int, average: float | None, satisfied: int, rule: PointsRule | None
) -> dict[str, Any]:
    share = _share(satisfied, count)
    return {
        "count": count,
        "average_overall": _round(average),
        "satisfied": satisfied,
        "satisfied_share": _round(share),
        "dossier_satisfaction_points": _round(dossier_satisfaction_points(share, rule)),
    }


def _criterion_rows(
    rows: Sequence[Mapping[str, Any]], labels: dict[str, RatingCriterion]
) -> list[dict[str, Any]]:
    def order(row: Mapping[str, Any]) -> tuple[int, str]:
        criterion = labels.get(row["criterion__code"])
        return (criterion.position if criterion else 999, row["criterion__code"])

    return [
        {
            "code": row["criterion__code"],
            "label_vi": labels[row["criterion__code"]].label_vi,
            "label_en": labels[row["criterion__code"]].label_en,
            "count": row["count"],
            "average": _round(row["average"]),
            "satisfied_share": _round(_share(row["satisfied"], row["count"])),
        }
        for row in sorted(rows, key=order)
    ]


def ratings_report(
    *,
    start: dt.date,
    end: dt.date,
    agency_ids: list[int] | None = None,
    stage: str | None = None,
    points_rule: PointsRule | None = None,
) -> dict[str, Any]:
    """Per agency (receiving agency for receipt ratings, lead agency for return ratings):
    ratings given in the period, average overall level, share satisfied (levels 4–5), the
    Decision 766 dossier-satisfaction points (by `points_rule`, default the service index's
    rule in force at `end`),
    and per criterion the average and satisfied share. Four aggregate queries whatever the
    number of ratings."""
    since, until = _period(start, end)
    points_rule = points_rule or points_rule_load(on=min(end, timezone.localdate()))
    ratings: QuerySet[Rating] = Rating.objects.filter(created_at__gte=since, created_at__lt=until)
    if agency_ids is not None:
        ratings = ratings.filter(agency_id__in=agency_ids)
    if stage:
        ratings = ratings.filter(stage=stage)
    satisfied_overall = Count("id", filter=Q(overall__gte=SATISFIED_FROM))
    per_agency = list(
        ratings.values("agency_id", "agency__code", "agency__name")
        .annotate(count=Count("id"), average=Avg("overall"), satisfied=satisfied_overall)
        .order_by("agency__code")
    )
    total = ratings.aggregate(
        count=Count("id"), average=Avg("overall"), satisfied=satisfied_overall
    )
    answers = RatingAnswer.objects.filter(rating__in=ratings.values("id"))
    satisfied_score = Count("id", filter=Q(score__gte=SATISFIED_FROM))
    per_criterion = list(
        answers.values("rating__agency_id", "criterion__code").annotate(
            count=Count("id"), average=Avg("score"), satisfied=satisfied_score
        )
    )
    total_per_criterion = list(
        answers.values("criterion__code").annotate(
            count=Count("id"), average=Avg("score"), satisfied=satisfied_score
        )
    )
    # Labels: the newest version's wording for each code (older versions fill in codes since
    # dropped), read once from the small criteria table.
    labels = {c.code: c for c in RatingCriterion.objects.order_by("effective_from", "position")}
    by_agency: dict[int, list[Mapping[str, Any]]] = {}
    for row in per_criterion:
        by_agency.setdefault(row["rating__agency_id"], []).append(row)
    return {
        "from": start,
        "to": end,
        "stage": stage,
        "agencies": [
            {
                "agency": row["agency__code"],
                "agency_name": row["agency__name"],
                **_summary(row["count"], row["average"], row["satisfied"], points_rule),
                "criteria": _criterion_rows(by_agency.get(row["agency_id"], []), labels),
            }
            for row in per_agency
        ],
        "total": {
            **_summary(total["count"], total["average"], total["satisfied"] or 0, points_rule),
            "criteria": _criterion_rows(total_per_criterion, labels),
        },
    }
