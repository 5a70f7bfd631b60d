"""Writing index scores: self-assessment by the assessed agency (with evidence) and appraisal
by the reform office. Each call checks permission and range, writes the score and its audit
event in one transaction; a rejected call saves nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from motcua.audit.services import INDICES_CHAIN, event_record
from motcua.common.errors import ApiError, ErrorSpec, NotFound, PermissionDenied
from motcua.common.locking import lock_rows
from motcua.common.uploads import check_upload
from motcua.org.models import Agency, Unit, User
from motcua.org.permissions import Capability, can

from .models import Assessment, Evidence, Methodology, Node, Score

ERR_RANGE = (
    "points_out_of_range",
    gettext_lazy("Points for “{node}” must be between 0 and {max} (got {value})."),
)
ERR_NOT_LEAF = ("not_a_leaf", gettext_lazy("“{node}” is not a scored leaf of this methodology."))
ERR_UNKNOWN_NODE = ("unknown_node", gettext_lazy("There is no node “{node}” in this methodology."))
ERR_REASON = (
    "reason_required",
    gettext_lazy(
        "Adjusting the self-assessed points of “{node}” ({self} → {value}) needs a reason."
    ),
)
ERR_APPRAISER = (
    "not_reform_office",
    gettext_lazy("Only the administrative reform office may appraise scores."),
)
ERR_SELF_SCORER = ("not_your_assessment", gettext_lazy("You may not self-assess for this unit."))
ERR_YEAR = (
    "bad_year",
    gettext_lazy(
        "Year {year} is outside the years methodology “{code}” applies to ({first}–{last})."
    ),
)
ERR_SUBJECT = (
    "assessment_subject",
    gettext_lazy("An assessment belongs to exactly one unit or one agency."),
)


def _fail(template: ErrorSpec, cls: type[ApiError] = ApiError, **fields: Any) -> ApiError:
    # A score's error is about one node: the form marks that node's field.
    return cls(*template, field_name=fields.get("node"), **fields)


def _points(node: Node, value: Any) -> Decimal:
    try:
        points = Decimal(str(value))
    except (InvalidOperation, ValueError):
        points = Decimal("NaN")
    if not points.is_finite() or points < 0 or points > node.max_points:
        raise _fail(ERR_RANGE, node=node.code, max=node.max_points, value=value)
    return points.quantize(Decimal("0.01"))


def _leaf(assessment: Assessment, node_code: str) -> Node:
    return _methodology_leaf(assessment.methodology, node_code)


def methodology_years(methodology: Methodology) -> tuple[int, int]:
    """The assessment years a methodology version applies to: from the year it took effect
    (PAR 2017, effective 28-12-2017, assessed 2017) until the year before a newer version of
    the same code, or a newer framework of the same scope, took effect (PAR 2017 ends with
    2021: Decision 876 took effect in 2022), and never a year that has not begun."""
    current = timezone.localdate().year
    first = methodology.effective_from.year if methodology.effective_from else 2000
    same = Q(code=methodology.code) | (Q(scope=methodology.scope) if methodology.scope else Q())
    newer = (
        Methodology.objects.filter(same, effective_from__gt=methodology.effective_from)
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first()
        if methodology.effective_from
        else None
    )
    last = min(current, newer.year - 1) if newer else current
    return first, max(first, last)


def year_check(methodology: Methodology, year: int) -> None:
    """A 400 (Vietnamese and English) for a year the methodology does not apply to."""
    first, last = methodology_years(methodology)
    if not first <= year <= last:
        raise ApiError(
            *ERR_YEAR,
            field_name="year",
            year=year,
            code=methodology.code,
            first=first,
            last=last,
        )


def assessment_open(
    *,
    methodology: Methodology,
    year: int,
    agency: Agency | None = None,
    unit: Unit | None = None,
) -> Assessment:
    """The assessment of (subject, year, methodology), created when missing."""
    if (agency is None) == (unit is None):
        raise _fail(ERR_SUBJECT)
    assessment, _ = Assessment.objects.get_or_create(
        methodology=methodology, year=year, agency=agency, unit=unit
    )
    return assessment


def may_self_assess(actor: User, *, agency_id: int | None) -> bool:
    """The reform office, or the assessed agency's own leader and specialists (a unit's
    assessment has no agency of its own: only the office)."""
    if can(actor, Capability.APPRAISE_INDICES):
        return True
    return (
        can(actor, Capability.SELF_ASSESS)
        and agency_id is not None
        and actor.agency_id == agency_id
    )


def _may_self_assess(actor: User, assessment: Assessment) -> bool:
    return may_self_assess(actor, agency_id=assessment.agency_id)


def _methodology_leaf(methodology: Methodology, node_code: str) -> Node:
    node = Node.objects.filter(methodology=methodology, code=node_code).first()
    if node is None:
        raise _fail(ERR_UNKNOWN_NODE, NotFound, node=node_code)
    if node.children.exists():
        raise _fail(ERR_NOT_LEAF, node=node_code)
    return node


def score_self_submit(
    *,
    actor: User,
    methodology: Methodology,
    year: int,
    agency: Agency,
    node_code: str,
    points: Any,
    note: str = "",
) -> Score:
    """What the API's self-assessment does: permission first, then the year, the leaf and the
    points, then the assessment is opened and scored in one transaction, so a refused
    request leaves no empty assessment behind."""
    if not may_self_assess(actor, agency_id=agency.pk):
        raise _fail(ERR_SELF_SCORER, PermissionDenied)
    year_check(methodology, year)
    _points(_methodology_leaf(methodology, node_code), points)
    with transaction.atomic():
        assessment = assessment_open(methodology=methodology, year=year, agency=agency)
        return score_self(
            actor=actor, assessment=assessment, node_code=node_code, points=points, note=note
        )


def score_appraise_submit(
    *,
    actor: User,
    methodology: Methodology,
    year: int,
    agency: Agency,
    node_code: str,
    points: Any,
    reason: str = "",
) -> Score:
    """What the API's appraisal does, all or nothing like ``score_self_submit``."""
    if not can(actor, Capability.APPRAISE_INDICES):
        raise _fail(ERR_APPRAISER, PermissionDenied)
    year_check(methodology, year)
    _points(_methodology_leaf(methodology, node_code), points)
    with transaction.atomic():
        assessment = assessment_open(methodology=methodology, year=year, agency=agency)
        return score_appraise(
            actor=actor, assessment=assessment, node_code=node_code, points=points, reason=reason
        )


def _locked_score(assessment: Assessment, node: Node) -> Score:
    """The leaf's score row, created if need be, locked before it is read, so two officers
    cannot overwrite each other's points."""
    score, _ = Score.objects.get_or_create(assessment=assessment, node=node)
    lock_rows(Score.objects.filter(pk=score.pk), field="note")
    return Score.objects.get(pk=score.pk)


def _store_evidence(
    score: Score, checked: list[tuple[Any, bytes]], *, actor: User, at: dt.datetime
) -> list[Evidence]:
    return [
        Evidence.objects.create(
            score=score,
            file=ContentFile(content, name=info.safe_name),
            name=info.safe_name,
            content_type=info.content_type,
            size=info.size,
            uploaded_by=actor,
            uploaded_at=at,
        )
        for info, content in checked
    ]


def _score_event(
    assessment: Assessment,
    node: Node,
    *,
    action: str,
    actor: User | None,
    at: dt.datetime,
    before: Any = None,
    after: Any = None,
    reason: str = "",
    payload: dict[str, Any],
) -> None:
    event_record(
        at=at,
        actor_id=actor.pk if actor else None,
        agency_id=assessment.agency_id,
        subject_type="index_score",
        subject_id=f"{assessment.pk}:{node.code}",
        action=action,
        from_state="" if before is None else str(before),
        to_state="" if after is None else str(after),
        reason=reason,
        payload=payload,
        chain=INDICES_CHAIN,
    )


def score_self(
    *,
    actor: User,
    assessment: Assessment,
    node_code: str,
    points: Any,
    note: str = "",
    evidence: list[tuple[str, bytes]] | None = None,
    at: dt.datetime | None = None,
) -> Score:
    """The assessed agency's own points for a leaf, with optional evidence files."""
    if not _may_self_assess(actor, assessment):
        raise _fail(ERR_SELF_SCORER, PermissionDenied)
    node = _leaf(assessment, node_code)
    value = _points(node, points)
    # images are stored re-encoded (no GPS position or camera data), PDFs as sent
    checked = [(c, c.content) for c in (check_upload(n, b) for n, b in evidence or [])]
    at = at or timezone.now()
    with transaction.atomic():
        score = _locked_score(assessment, node)
        before = score.self_points
        score.self_points = value
        score.note = note.strip()
        score.self_by = actor
        score.self_at = at
        score.full_clean()
        score.save()
        _store_evidence(score, checked, actor=actor, at=at)
        _score_event(
            assessment,
            node,
            action="score_self",
            actor=actor,
            at=at,
            before=before,
            after=value,
            payload={
                "methodology": assessment.methodology.code,
                "year": assessment.year,
                "node": node.code,
                "evidence": [info.safe_name for info, _ in checked],
            },
        )
    return score


def score_appraise(
    *,
    actor: User,
    assessment: Assessment,
    node_code: str,
    points: Any,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Score:
    """The reform office accepts or adjusts a leaf's points; an adjustment needs a reason."""
    if not can(actor, Capability.APPRAISE_INDICES):
        raise _fail(ERR_APPRAISER, PermissionDenied)
    node = _leaf(assessment, node_code)
    value = _points(node, points)
    reason = (reason or "").strip()
    at = at or timezone.now()
    with transaction.atomic():
        score = _locked_score(assessment, node)
        if value != score.self_points and not reason:
            raise _fail(ERR_REASON, node=node.code, self=score.self_points, value=value)
        before = score.appraised_points
        score.appraised_points = value
        score.reason = reason
        score.appraised_by = actor
        score.appraised_at = at
        score.full_clean()
        score.save()
        _score_event(
            assessment,
            node,
            action="score_appraise",
            actor=actor,
            at=at,
            before=before,
            after=value,
            reason=reason,
            payload={
                "methodology": assessment.methodology.code,
                "year": assessment.year,
                "node": node.code,
                "self_points": None if score.self_points is None else str(score.self_points),
            },
        )
    return score


ERR_COMPUTER = (
    "not_reform_office",
    gettext_lazy("Only the administrative reform office may compute scores."),
)
# Stored notes are data, in Vietnamese; pages say why in the reader's language
# (selectors.no_data_why), from computed_source and the empty ratio.
NOTE_NO_DATA = "Không có dữ liệu để tính “{metric}” năm {year}: chưa có điểm."
NOTE_UNKNOWN_METRIC = "Chưa có chỉ số đo “{metric}”."


def assessment_compute(
    *, assessment: Assessment, actor: User | None, at: dt.datetime | None = None
) -> dict[str, Any]:
    """Fill every computed leaf from its metric through the leaf's bands (as both the self and
    the appraised points: the data speaks for the subject and the office alike). A metric with
    no data empties the leaf and says so in its note; manual and survey leaves are untouched.
    ``actor`` None is the system (the CLI). Returns ``{leaf: {ratio, points, note}}``."""
    from .engine import rule_points
    from .metrics import Subject, metric_get

    if actor is not None and not can(actor, Capability.APPRAISE_INDICES):
        raise _fail(ERR_COMPUTER, PermissionDenied)
    at = at or timezone.now()
    subject = Subject(agency_id=assessment.agency_id, unit_id=assessment.unit_id)
    leaves = Node.objects.filter(
        methodology=assessment.methodology_id, rule_kind=Node.RuleKind.COMPUTED
    ).filter(children__isnull=True)
    # Count first, outside any transaction: the counts read the whole year of dossiers,
    # petitions and ratings and take their time; holding a write lock meanwhile would make
    # whoever needs it wait for the whole recompute.
    computed: list[tuple[Node, str, Decimal | None, Decimal | None, str]] = []
    for node in leaves.order_by("position"):
        name = node.rule.get("metric", "")
        metric = metric_get(name)
        ratio = None if metric is None else metric.compute(subject, assessment.year)
        if metric is None:
            note = NOTE_UNKNOWN_METRIC.format(metric=name)
        elif ratio is None:
            note = NOTE_NO_DATA.format(metric=metric.label_vi, year=assessment.year)
        else:
            note = metric.label_vi
        points = None if ratio is None else rule_points(node.rule, node.max_points, ratio)
        computed.append((node, metric.name if metric else name, ratio, points, note))
    result: dict[str, Any] = {}
    # Then write in one short transaction; its events go to the index engine's own chain.
    with transaction.atomic():
        for node, metric_name, ratio, points, note in computed:
            score = _locked_score(assessment, node)
            before = score.appraised_points
            score.self_points = score.appraised_points = points
            score.computed_ratio = ratio
            score.computed_at = at
            score.computed_source = f"metric:{metric_name}"
            score.note = note
            score.reason = ""
            score.self_by = score.appraised_by = actor
            score.self_at = score.appraised_at = at
            score.full_clean()
            score.save()
            _score_event(
                assessment,
                node,
                action="score_compute",
                actor=actor,
                at=at,
                before=before,
                after=points,
                payload={
                    "methodology": assessment.methodology.code,
                    "year": assessment.year,
                    "node": node.code,
                    "metric": metric_name,
                    "ratio": None if ratio is None else str(ratio),
                },
            )
            result[node.code] = {"ratio": ratio, "points": points, "note": note}
    return result


def score_evidence_add(
    *, actor: User, score: Score, files: list[tuple[str, bytes]], at: dt.datetime | None = None
) -> list[Evidence]:
    """More evidence files (PDF, JPEG, PNG, checked by content) for a score, by the assessed
    agency's own staff or the reform office; all or none are stored."""
    assessment = score.assessment
    if not _may_self_assess(actor, assessment):
        raise _fail(ERR_SELF_SCORER, PermissionDenied)
    if not files:
        raise ApiError("evidence_required", gettext_lazy("No evidence file was sent."))
    checked = [(c, c.content) for c in (check_upload(n, b) for n, b in files)]
    at = at or timezone.now()
    with transaction.atomic():
        stored = _store_evidence(score, checked, actor=actor, at=at)
        _score_event(
            assessment,
            score.node,
            action="score_evidence",
            actor=actor,
            at=at,
            payload={"evidence": [e.name for e in stored]},
        )
    return stored


ERR_IMPORTER = (
    "not_reform_office",
    gettext_lazy("Only the administrative reform office may enter a year's results."),
)


def assessment_scores_import(
    *,
    actor: User,
    assessment: Assessment,
    rows: dict[str, tuple[Any, Any, str]],
    at: dt.datetime | None = None,
) -> int:
    """A year's results entered at once (the demo, the office's own spreadsheet): per leaf
    ``(self_points, appraised_points, reason)``. Every leaf, range and reason is checked
    before anything is written; then all scores and one audit event in one transaction.
    Returns how many leaves were written."""
    if not can(actor, Capability.APPRAISE_INDICES):
        raise _fail(ERR_IMPORTER, PermissionDenied)
    nodes = {
        n.code: n
        for n in Node.objects.filter(methodology=assessment.methodology_id, children__isnull=True)
    }
    clean: dict[str, tuple[Decimal, Decimal, str]] = {}
    for code, (claimed, appraised, reason) in rows.items():
        node = nodes.get(code)
        if node is None:
            raise _fail(ERR_UNKNOWN_NODE, NotFound, node=code)
        self_value, appraised_value = _points(node, claimed), _points(node, appraised)
        reason = (reason or "").strip()
        if appraised_value != self_value and not reason:
            raise _fail(ERR_REASON, node=code, self=self_value, value=appraised_value)
        clean[code] = (self_value, appraised_value, reason)
    at = at or timezone.now()
    with transaction.atomic():
        existing = {s.node.code: s for s in assessment.scores.select_related("node")}
        changed: list[Score] = []
        created: list[Score] = []
        for code, (self_value, appraised_value, reason) in clean.items():
            score = existing.get(code) or Score(assessment=assessment, node=nodes[code])
            score.self_points, score.appraised_points, score.reason = (
                self_value,
                appraised_value,
                reason,
            )
            score.self_by = score.appraised_by = actor
            score.self_at = score.appraised_at = at
            (changed if score.pk else created).append(score)
        Score.objects.bulk_create(created)
        Score.objects.bulk_update(
            changed,
            ["self_points", "appraised_points", "reason", "self_by", "appraised_by"]
            + ["self_at", "appraised_at"],
        )
        event_record(
            at=at,
            actor_id=actor.pk,
            agency_id=assessment.agency_id,
            subject_type="index_assessment",
            subject_id=str(assessment.pk),
            action="scores_import",
            payload={
                "methodology": assessment.methodology.code,
                "year": assessment.year,
                "leaves": len(clean),
            },
            chain=INDICES_CHAIN,
        )
    return len(clean)
