"""Reading methodologies and scores, shaped as the engine's plain dicts: one query per table,
never a walk over objects."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.common.errors import NotFound
from motcua.org.models import Agency, Unit

from . import engine
from .localize import local_name
from .models import Assessment, Evidence, Methodology, Node, Score

Basis = Literal["appraised", "self"]


def methodology_latest(code: str) -> Methodology:
    methodology = Methodology.objects.filter(code=code).order_by("-effective_from", "-id").first()
    if methodology is None:
        raise NotFound(
            "unknown_methodology",
            gettext_lazy("There is no methodology “{code}”."),
            code=code,
        )
    return methodology


def methodology_version(code: str, version: str | None = None) -> Methodology:
    """A named version of a methodology, or its latest one when no version is given."""
    if not version:
        return methodology_latest(code)
    methodology = Methodology.objects.filter(code=code, version=version).first()
    if methodology is None:
        raise NotFound(
            "unknown_methodology",
            gettext_lazy("There is no methodology “{code}” version {version}."),
            code=code,
            version=version,
        )
    return methodology


def methodology_for_year(code: str, year: int | None, version: str | None = None) -> Methodology:
    """The version a year was assessed on: the one named, else the newest version of the code
    with scored assessments that year, else the latest version."""
    if version or year is None:
        return methodology_version(code, version)
    assessed = (
        Methodology.objects.filter(code=code)
        .filter(
            Exists(
                Score.objects.filter(assessment__methodology=OuterRef("pk"), assessment__year=year)
            )
        )
        .order_by("-effective_from", "-id")
        .first()
    )
    return assessed or methodology_latest(code)


def methodology_list() -> list[Methodology]:
    return list(Methodology.objects.order_by("code", "-effective_from", "-id"))


def engine_nodes(methodology: Methodology) -> list[dict[str, Any]]:
    rows = Node.objects.filter(methodology=methodology).order_by("position")
    parents = dict(rows.values_list("id", "code"))
    return [
        {
            "code": n.code,
            "parent": parents.get(n.parent_id) if n.parent_id else None,
            "name": local_name(n.name_vi, n.name_en),
            "name_en": n.name_en,
            "max_points": n.max_points,
            "rule_kind": n.rule_kind,
            "aggregate": n.rule.get("aggregate"),
            "official": n.official,
        }
        for n in rows
    ]


def methodology_tree(methodology: Methodology) -> list[dict[str, Any]]:
    """Nested nodes ``{code, name, name_en, max_points, rule, official, children}``."""
    nodes = Node.objects.filter(methodology=methodology).order_by("position")
    by_parent: dict[int | None, list[Node]] = defaultdict(list)
    for node in nodes:
        by_parent[node.parent_id].append(node)

    def build(parent_id: int | None) -> list[dict[str, Any]]:
        return [
            {
                "code": n.code,
                "name": n.name_vi,
                "name_en": n.name_en,
                "max_points": n.max_points,
                "rule": n.rule_kind,
                "official": n.official,
                "children": build(n.pk),
            }
            for n in by_parent.get(parent_id, [])
        ]

    return build(None)


def subject_key(assessment: Assessment) -> str:
    subject = assessment.subject
    return f"unit:{subject.code}" if assessment.agency_id is None else subject.code


def subject_name(subject: str) -> str:
    """The Vietnamese name people know a subject by, from its key (`SO-NNMT`, `unit:31`); the
    key itself is an internal code, shown only when nothing carries that code any more."""
    if subject.startswith("unit:"):
        unit = Unit.objects.filter(code=subject.removeprefix("unit:")).first()
        return unit.name if unit else subject
    agency = Agency.objects.filter(code=subject).first()
    return agency.name if agency else subject


def _scored() -> Exists:
    """An assessment counts once it has a score: an assessment opened and never scored (what
    a refused or abandoned request used to leave) is no result and no year."""
    return Exists(Score.objects.filter(assessment=OuterRef("pk")))


WARD_KIND = "ward_committee"


def subject_kind(assessment: Assessment) -> str:
    """What a subject is ranked among: departments, wards' People's Committees, communes' and
    special zones' People's Committees (Hải Phòng publishes those three tables), units."""
    agency = assessment.agency
    if agency is None:
        return assessment.subject.kind
    if agency.kind == "commune_committee" and agency.unit.kind == "ward":
        return WARD_KIND
    return agency.kind


def assessments_of(methodology: Methodology, year: int) -> list[Assessment]:
    return list(
        Assessment.objects.filter(_scored(), methodology=methodology, year=year)
        .select_related("agency__unit", "unit")
        .order_by("id")
    )


def leaf_points(
    methodology: Methodology, year: int, basis: Basis = "appraised"
) -> dict[str, dict[str, Decimal]]:
    """``{subject: {leaf: points}}``; on the appraised basis a leaf not yet appraised counts
    its self-assessed points (what the subject claims until the office says otherwise)."""
    result: dict[str, dict[str, Decimal]] = {
        subject_key(a): {} for a in assessments_of(methodology, year)
    }
    rows = Score.objects.filter(
        assessment__methodology=methodology, assessment__year=year
    ).values_list(
        "assessment__agency__code",
        "assessment__unit__code",
        "node__code",
        "self_points",
        "appraised_points",
    )
    for agency_code, unit_code, node_code, self_points, appraised in rows:
        key = agency_code or f"unit:{unit_code}"
        if key not in result:
            continue
        value = self_points if basis == "self" or appraised is None else appraised
        result.setdefault(key, {})[node_code] = value or Decimal(0)
    return result


def ranking_table(methodology: Methodology, year: int) -> list[dict[str, Any]]:
    """Per assessed subject: name, kind, points, index %, group, rank within its kind."""
    nodes = engine_nodes(methodology)
    points = leaf_points(methodology, year)
    totals = engine.totals(nodes, points, methodology.groups)
    rows = []
    for assessment in assessments_of(methodology, year):
        key = subject_key(assessment)
        subject = assessment.subject
        rows.append(
            {
                "subject": key,
                "name": getattr(subject, "short_name", "") or subject.name,
                "kind": subject_kind(assessment),
                "year": year,
                **totals[key],
            }
        )
    return engine.rankings(rows)


UNCERTAINTY_RUNS = 300
UNCERTAINTY_SPREAD = 0.2


def rank_uncertainty(
    methodology: Methodology, year: int, subjects: list[str]
) -> dict[str, dict[str, Any]]:
    """Ranks of ``subjects`` (one kind) among themselves under domain weights varied by up to
    ±20 %: ``{subject: {median, p5, p95}}``, seeded with the year so the page is reproducible."""
    nodes = engine_nodes(methodology)
    points = leaf_points(methodology, year)
    chosen = {s: points[s] for s in subjects if s in points}
    return engine.monte_carlo_ranks(
        nodes, chosen, runs=UNCERTAINTY_RUNS, spread=UNCERTAINTY_SPREAD, seed=year
    )


def years_assessed(methodology: Methodology) -> list[int]:
    return sorted(
        Assessment.objects.filter(_scored(), methodology=methodology)
        .values_list("year", flat=True)
        .distinct()
    )


def years_assessed_any_version(code: str) -> list[int]:
    return sorted(
        Assessment.objects.filter(_scored(), methodology__code=code)
        .values_list("year", flat=True)
        .distinct()
    )


def subject_report(methodology: Methodology, year: int, subject: str) -> dict[str, Any]:
    """Where one subject lost points in a year, how its index moved since the year before
    (per-domain contributions) and the cheapest way to the next rank."""
    nodes = engine_nodes(methodology)
    self_points = leaf_points(methodology, year, "self")
    appraised = leaf_points(methodology, year)
    if subject not in appraised:
        raise NotFound(
            "unknown_subject",
            gettext_lazy("“{subject}” has no assessment in {year}."),
            subject=subject,
            year=year,
        )
    previous = leaf_points(methodology, year - 1).get(subject)
    yoy = (
        engine.yoy_decomposition(
            {"nodes": nodes, "leaves": previous}, {"nodes": nodes, "leaves": appraised[subject]}
        )
        if previous is not None
        else None
    )
    names = {n["code"]: n["name"] for n in nodes}
    kinds = {subject_key(a): subject_kind(a) for a in assessments_of(methodology, year)}
    peers = [key for key, kind in kinds.items() if kind == kinds.get(subject)]
    return {
        "profile": engine.domain_profile(nodes, appraised, subject, peers),
        "lost": engine.lost_points(nodes, self_points[subject], appraised[subject]),
        "yoy": yoy,
        "domain_names": names,
        "moves": engine.best_moves(nodes, appraised, subject),
        "uncertainty": engine.monte_carlo_ranks(nodes, appraised, runs=300, seed=year).get(subject),
    }


NO_DATA = Q(computed_at__isnull=False, computed_ratio__isnull=True, appraised_points__isnull=True)


def no_data_why(source: str, year: int) -> str:
    """Why a computed leaf has no points, in the active language: which metric found nothing
    to count in which year."""
    from .metrics import metric_get

    name = source.removeprefix("metric:")
    metric = metric_get(name)
    if metric is None:
        return _("No metric named “%(metric)s” is registered, so this leaf cannot be computed.") % {
            "metric": name
        }
    label = local_name(metric.label_vi, metric.label_en)
    return _(
        "No data for “%(metric)s” in %(year)s (nothing to count): the leaf gets points once "
        "there is data, and counts 0 in the total until then."
    ) % {"metric": label, "year": year}


def no_data_counts(methodology: Methodology, year: int) -> dict[str, int]:
    """``{subject: number of computed leaves without data}`` in one query."""
    rows = (
        Score.objects.filter(NO_DATA, assessment__methodology=methodology, assessment__year=year)
        .values("assessment__agency__code", "assessment__unit__code")
        .annotate(n=Count("pk"))
    )
    return {
        r["assessment__agency__code"] or f"unit:{r['assessment__unit__code']}": r["n"] for r in rows
    }


def no_data_leaves(assessment: Assessment) -> list[dict[str, Any]]:
    """The assessment's computed leaves without data: ``{code, name, max_points, why}``."""
    rows = (
        Score.objects.filter(NO_DATA, assessment=assessment)
        .select_related("node")
        .order_by("node__position")
    )
    return [
        {
            "code": s.node.code,
            "name": _node_name(s.node),
            "max_points": s.node.max_points,
            "why": no_data_why(s.computed_source, assessment.year),
        }
        for s in rows
    ]


def _node_name(node: Node) -> str:
    return local_name(node.name_vi, node.name_en)


def score_tree(assessment: Assessment) -> list[dict[str, Any]]:
    """The assessment's nodes nested (domain → criterion → sub-criterion …), each ``{code,
    name, level, max_points, self_points, appraised_points, lost, children}``; leaves add
    ``score_id, reason, note, evidence: [{id, name, content_type, size}]``. Points roll up
    like the totals (a leaf not yet appraised counts its self-assessed points)."""
    nodes = engine_nodes(assessment.methodology)
    scores = {
        s.node.code: s for s in Score.objects.filter(assessment=assessment).select_related("node")
    }
    files: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for e in Evidence.objects.filter(score__assessment=assessment).order_by("uploaded_at", "id"):
        files[e.score_id].append(
            {"id": e.pk, "name": e.name, "content_type": e.content_type, "size": e.size}
        )
    self_leaves = {c: s.self_points or Decimal(0) for c, s in scores.items()}
    appraised_leaves = {
        c: (s.self_points if s.appraised_points is None else s.appraised_points) or Decimal(0)
        for c, s in scores.items()
    }
    self_totals = engine.rollup(nodes, self_leaves)
    appraised_totals = engine.rollup(nodes, appraised_leaves)
    kids = engine.children_of(nodes)
    by_code = {n["code"]: n for n in nodes}

    def build(code: str, level: int) -> dict[str, Any]:
        node = by_code[code]
        maximum = engine.dec(node["max_points"])
        row: dict[str, Any] = {
            "code": code,
            "name": node["name"],
            "level": level,
            "max_points": maximum,
            "self_points": self_totals[code],
            "appraised_points": appraised_totals[code],
            "lost": maximum - appraised_totals[code],
            "children": [build(c, level + 1) for c in kids.get(code, [])],
        }
        if not row["children"]:
            score = scores.get(code)
            no_data = bool(
                score
                and score.computed_at
                and score.computed_ratio is None
                and score.appraised_points is None
            )
            row.update(
                score_id=score.pk if score else None,
                reason=score.reason if score else "",
                note=score.note if score else "",
                evidence=files.get(score.pk, []) if score else [],
                no_data=no_data,
                no_data_why=no_data_why(score.computed_source, assessment.year)
                if no_data and score
                else "",
            )
        return row

    return [build(c, 1) for c in kids.get(None, [])]
