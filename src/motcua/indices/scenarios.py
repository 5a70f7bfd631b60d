"""Saved what-if scenarios: a civil servant names an overlay (leaf points per subject, new node
maxima) on one year's scores; two scenarios are compared side by side with the baseline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.services import INDICES_CHAIN, event_record
from motcua.common.errors import ApiError, ErrorSpec, PermissionDenied
from motcua.org.models import User

from . import engine, selectors
from .models import Methodology, Scenario
from .services import year_check

ERR_STAFF = ("staff_only", _("Only civil servants may save scenarios."))
ERR_NAME = ("name_required", _("A scenario needs a name."))
ERR_EMPTY = ("empty_scenario", _("A scenario must change at least one score or weight."))
ERR_LEAF = ("not_a_leaf", _("“{node}” is not a scored leaf of this methodology."))
ERR_NODE = ("unknown_node", _("There is no node “{node}” in this methodology."))
ERR_POINTS = (
    "points_out_of_range",
    _("Points for “{node}” must be between 0 and {max} (got {value})."),
)
ERR_WEIGHT = (
    "bad_weight",
    _("The new maximum of “{node}” must be a number of at least 0 (got {value})."),
)
ERR_MISMATCH = (
    "scenarios_not_comparable",
    _("Both scenarios must be on the same methodology and year."),
)


def _fail(template: ErrorSpec, **fields: Any) -> ApiError:
    # A scenario's error is about one node: the form marks that node's field.
    return ApiError(*template, field_name=fields.get("node"), **fields)


def _number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _clean_overlay(
    nodes: list[dict[str, Any]],
    scores: Mapping[str, Mapping[str, Any]],
    weights: Mapping[str, Any],
) -> dict[str, Any]:
    maxima = {n["code"]: Decimal(n["max_points"]) for n in nodes}
    leaves = set(engine.leaf_codes(nodes))
    clean_scores: dict[str, dict[str, str]] = {}
    for subject, leaf_points in scores.items():
        for code, value in leaf_points.items():
            if code not in maxima:
                raise _fail(ERR_NODE, node=code)
            if code not in leaves:
                raise _fail(ERR_LEAF, node=code)
            points = _number(value)
            if points is None or not 0 <= points <= maxima[code]:
                raise _fail(ERR_POINTS, node=code, max=maxima[code], value=value)
            clean_scores.setdefault(subject, {})[code] = str(points)
    clean_weights: dict[str, str] = {}
    for code, value in weights.items():
        if code not in maxima:
            raise _fail(ERR_NODE, node=code)
        weight = _number(value)
        if weight is None or weight < 0:
            raise _fail(ERR_WEIGHT, node=code, value=value)
        clean_weights[code] = str(weight)
    if not clean_scores and not clean_weights:
        raise _fail(ERR_EMPTY)
    return {"scores": clean_scores, "weights": clean_weights}


def scenario_save(
    *,
    actor: User,
    methodology: Methodology,
    year: int,
    name: str,
    scores: Mapping[str, Mapping[str, Any]] | None = None,
    weights: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> Scenario:
    """Validate the overlay against the methodology (leaves, ranges) and store it."""
    if not getattr(actor, "is_civil_servant", False):
        raise PermissionDenied(*ERR_STAFF)
    name = (name or "").strip()
    if not name:
        raise _fail(ERR_NAME)
    year_check(methodology, year)
    overlay = _clean_overlay(selectors.engine_nodes(methodology), scores or {}, weights or {})
    at = at or timezone.now()
    with transaction.atomic():
        scenario = Scenario(
            methodology=methodology,
            year=year,
            name=name,
            overlay=overlay,
            created_by=actor,
            created_at=at,
        )
        scenario.full_clean()
        scenario.save()
        event_record(
            at=at,
            actor_id=actor.pk,
            agency_id=actor.agency_id,
            subject_type="index_scenario",
            subject_id=str(scenario.pk),
            action="scenario_save",
            payload={"methodology": methodology.code, "year": year, "name": name},
            chain=INDICES_CHAIN,
        )
    return scenario


def scenario_compare(first: Scenario, second: Scenario) -> list[dict[str, Any]]:
    """Per subject: the baseline and each scenario's points, index %, group and rank, sorted
    by the baseline rank. The actual scores are read once for both."""
    if (first.methodology_id, first.year) != (second.methodology_id, second.year):
        raise _fail(ERR_MISMATCH)
    methodology = first.methodology
    nodes = selectors.engine_nodes(methodology)
    points = selectors.leaf_points(methodology, first.year)
    sides = [
        {
            row["subject"]: row
            for row in engine.what_if(
                nodes,
                points,
                scores=scenario.overlay.get("scores"),
                weights=scenario.overlay.get("weights"),
                groups=methodology.groups,
            )
        }
        for scenario in (first, second)
    ]
    rows = [
        {
            "subject": subject,
            "baseline": sides[0][subject]["before"],
            "a": sides[0][subject]["after"],
            "b": sides[1][subject]["after"],
            "rank_a_minus_b": sides[0][subject]["after"]["rank"]
            - sides[1][subject]["after"]["rank"],
        }
        for subject in points
    ]
    rows.sort(key=lambda r: (r["baseline"]["rank"], r["subject"]))
    return rows


ERR_SAME_VERSION = (
    "same_methodology",
    _("Choose a methodology or version other than the one in use."),
)


def what_if_version(*, methodology: Methodology, year: int, target: Methodology) -> dict[str, Any]:
    """One year's actual scores of ``methodology`` recomputed on ``target`` (another version,
    or another framework): leaves carried over by node code, the target's leaves nobody
    scored listed as unmapped, the source's leaves the target lacks listed as dropped.
    Nothing is stored."""
    year_check(methodology, year)
    if target.pk == methodology.pk:
        raise _fail(ERR_SAME_VERSION)
    points = selectors.leaf_points(methodology, year)
    result = engine.what_if_methodology(
        selectors.engine_nodes(methodology),
        selectors.engine_nodes(target),
        points,
        source_groups=methodology.groups,
        target_groups=target.groups,
    )
    names = {
        selectors.subject_key(a): a.subject_label
        for a in selectors.assessments_of(methodology, year)
    }
    for row in result["rows"]:
        row["name"] = names.get(row["subject"], row["subject"])
    return {
        "source": {"code": methodology.code, "version": methodology.version, "year": year},
        "target": {"code": target.code, "version": target.version},
        **result,
    }
