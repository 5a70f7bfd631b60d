"""Index endpoints: methodologies and rankings are public (published results); lost points,
what-if and scoring need a civil servant's login."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import File, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.files import UploadedFile
from pydantic import Field

from motcua.common.errors import NotFound, PermissionDenied, reject_unknown_params
from motcua.common.uploads import MAX_UPLOAD_BYTES
from motcua.org.apiauth import PUBLIC
from motcua.org.models import Agency, User

from . import engine, selectors, service
from .drilldown import service_records
from .external_compare import external_compare
from .external_import import external_series
from .models import Assessment, Scenario, Score
from .scenarios import scenario_compare, scenario_save, what_if_version
from .services import (
    assessment_compute,
    score_appraise_submit,
    score_evidence_add,
    score_self_submit,
    year_check,
)

router = Router(tags=["indices"])


class MethodologyOut(Schema):
    code: str
    name: str
    name_en: str
    version: str
    official: bool
    total_points: float


class NodeOut(Schema):
    code: str
    name: str
    name_en: str
    max_points: float
    rule: str
    official: bool
    children: list[NodeOut]


class MethodologyTreeOut(MethodologyOut):
    source_note: str
    groups: list[dict[str, Any]]
    nodes: list[NodeOut]


class RankOut(Schema):
    subject: str
    name: str
    kind: str
    year: int
    points: float
    max_points: float
    percent: float
    group: str
    rank: int


class RankQuery(Schema):
    methodology: str = Field(..., max_length=64)
    year: int = Field(..., ge=2000, le=2100)


class LostQuery(RankQuery):
    subject: str = Field(..., max_length=32, description="Agency code")


class LostOut(Schema):
    code: str
    name: str
    level: int
    max_points: float
    self_points: float
    appraised_points: float
    lost_self: float
    lost_appraisal: float
    lost_total: float


class ScoreIn(Schema):
    methodology: str = Field(..., max_length=64)
    year: int = Field(..., ge=2000, le=2100)
    agency: str = Field(..., max_length=32)
    node: str = Field(..., max_length=32)
    points: Decimal
    note: str = Field("", max_length=2000)
    reason: str = Field("", max_length=2000)


class ScoreOut(Schema):
    node: str
    self_points: float | None
    appraised_points: float | None
    reason: str


class WhatIfIn(Schema):
    methodology: str = Field(..., max_length=64)
    year: int = Field(..., ge=2000, le=2100)
    scores: dict[str, dict[str, Decimal]] = Field(default_factory=dict)
    weights: dict[str, Decimal] = Field(default_factory=dict)


def _methodology_out(m: Any) -> dict[str, Any]:
    return {
        "code": m.code,
        "name": m.name_vi,
        "name_en": m.name_en,
        "version": m.version,
        "official": m.official,
        "total_points": m.total_points,
    }


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not user.is_authenticated or not user.is_civil_servant:
        raise PermissionDenied("staff_only", _("Only civil servants may see this."))
    return user


@router.get("/methodologies", response=list[MethodologyOut], auth=PUBLIC)
def methodologies(request: HttpRequest) -> list[dict[str, Any]]:
    return [_methodology_out(m) for m in selectors.methodology_list()]


@router.get("/methodologies/{code}", response=MethodologyTreeOut, auth=PUBLIC)
def methodology_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    m = selectors.methodology_latest(code)
    return {
        **_methodology_out(m),
        "source_note": m.source_note,
        "groups": m.groups,
        "nodes": selectors.methodology_tree(m),
    }


@router.get("/rankings", response=list[RankOut], auth=PUBLIC)
def rankings(request: HttpRequest, query: Query[RankQuery]) -> list[dict[str, Any]]:
    reject_unknown_params(request.GET, {"methodology", "year"})
    return selectors.ranking_table(selectors.methodology_latest(query.methodology), query.year)


@router.get("/lost-points", response=list[LostOut])
def lost_points(request: HttpRequest, query: Query[LostQuery]) -> list[dict[str, Any]]:
    reject_unknown_params(request.GET, {"methodology", "year", "subject"})
    _staff(request)
    m = selectors.methodology_latest(query.methodology)
    self_points = selectors.leaf_points(m, query.year, "self")
    appraised = selectors.leaf_points(m, query.year, "appraised")
    if query.subject not in appraised:
        raise NotFound(
            "unknown_subject",
            _("“{subject}” has no assessment in {year}."),
            subject=query.subject,
            year=query.year,
        )
    return engine.lost_points(
        selectors.engine_nodes(m), self_points[query.subject], appraised[query.subject]
    )


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise NotFound("unknown_agency", _("No agency “{code}”."), code=code)
    return agency


def _score_out(score: Any) -> dict[str, Any]:
    return {
        "node": score.node.code,
        "self_points": score.self_points,
        "appraised_points": score.appraised_points,
        "reason": score.reason,
    }


@router.post("/scores/self", response=ScoreOut)
def post_self_score(request: HttpRequest, body: ScoreIn) -> dict[str, Any]:
    actor = _staff(request)
    score = score_self_submit(
        actor=actor,
        methodology=selectors.methodology_latest(body.methodology),
        year=body.year,
        agency=_agency(body.agency),
        node_code=body.node,
        points=body.points,
        note=body.note,
    )
    return _score_out(score)


@router.post("/scores/appraise", response=ScoreOut)
def post_appraisal(request: HttpRequest, body: ScoreIn) -> dict[str, Any]:
    actor = _staff(request)
    score = score_appraise_submit(
        actor=actor,
        methodology=selectors.methodology_latest(body.methodology),
        year=body.year,
        agency=_agency(body.agency),
        node_code=body.node,
        points=body.points,
        reason=body.reason,
    )
    return _score_out(score)


@router.post("/what-if")
def what_if(request: HttpRequest, body: WhatIfIn) -> list[dict[str, Any]]:
    _staff(request)
    m = selectors.methodology_latest(body.methodology)
    year_check(m, body.year)
    rows = engine.what_if(
        selectors.engine_nodes(m),
        selectors.leaf_points(m, body.year),
        scores=body.scores,
        weights=body.weights,
        groups=m.groups,
    )
    return _jsonable(rows)


class WhatIfVersionIn(Schema):
    methodology: str = Field(..., max_length=64)
    version: str | None = Field(None, max_length=32, description="default: the year's")
    year: int = Field(..., ge=2000, le=2100)
    target_methodology: str = Field(..., max_length=64)
    target_version: str | None = Field(None, max_length=32)


@router.post("/what-if/methodology")
def what_if_methodology(request: HttpRequest, body: WhatIfVersionIn) -> dict[str, Any]:
    """The year's actual scores on another methodology version (or framework), carried over
    by node code: per subject before and after, and the carried, unmapped and dropped leaves.
    Nothing is stored."""
    _staff(request)
    return _jsonable(
        what_if_version(
            methodology=selectors.methodology_for_year(body.methodology, body.year, body.version),
            year=body.year,
            target=selectors.methodology_version(body.target_methodology, body.target_version),
        )
    )


class ComputedLeafOut(Schema):
    node: str
    ratio: float | None
    points: float | None
    note: str


@router.post("/assessments/{assessment_id}/compute", response=list[ComputedLeafOut])
def compute_assessment(request: HttpRequest, assessment_id: int) -> list[dict[str, Any]]:
    """Recompute the assessment's computed leaves from dossiers, petitions and ratings."""
    actor = _staff(request)
    assessment = Assessment.objects.select_related("methodology").filter(pk=assessment_id).first()
    if assessment is None:
        raise NotFound(
            "unknown_assessment",
            _("There is no assessment {assessment_id}."),
            assessment_id=assessment_id,
        )
    leaves = assessment_compute(assessment=assessment, actor=actor)
    return [{"node": code, **values} for code, values in leaves.items()]


class ScenarioIn(Schema):
    methodology: str = Field(..., max_length=64)
    year: int = Field(..., ge=2000, le=2100)
    name: str = Field(..., max_length=200)
    scores: dict[str, dict[str, Decimal]] = Field(default_factory=dict)
    weights: dict[str, Decimal] = Field(default_factory=dict)


class ScenarioOut(Schema):
    id: int
    name: str
    methodology: str
    version: str
    year: int
    overlay: dict[str, Any]
    created_at: str


class ScenarioListQuery(RankQuery):
    pass


class CompareQuery(Schema):
    # Row ids: SQLite cannot bind an integer past 64 bits (a server error, found by the fuzz).
    a: int = Field(..., ge=1, le=2**63 - 1)
    b: int = Field(..., ge=1, le=2**63 - 1)


def _scenario_out(scenario: Scenario) -> dict[str, Any]:
    return {
        "id": scenario.pk,
        "name": scenario.name,
        "methodology": scenario.methodology.code,
        "version": scenario.methodology.version,
        "year": scenario.year,
        "overlay": scenario.overlay,
        "created_at": scenario.created_at.isoformat(),
    }


@router.post("/scenarios", response={201: ScenarioOut})
def post_scenario(request: HttpRequest, body: ScenarioIn) -> HttpStatus:
    scenario = scenario_save(
        actor=_staff(request),
        methodology=selectors.methodology_latest(body.methodology),
        year=body.year,
        name=body.name,
        scores=body.scores,
        weights=body.weights,
    )
    return HttpStatus(201, _scenario_out(scenario))


@router.get("/scenarios", response=list[ScenarioOut])
def list_scenarios(request: HttpRequest, query: Query[ScenarioListQuery]) -> list[dict[str, Any]]:
    reject_unknown_params(request.GET, {"methodology", "year"})
    _staff(request)
    rows = Scenario.objects.filter(
        methodology__code=query.methodology, year=query.year
    ).select_related("methodology")[:200]
    return [_scenario_out(s) for s in rows]


@router.get("/scenarios/compare")
def compare_scenarios(request: HttpRequest, query: Query[CompareQuery]) -> dict[str, Any]:
    """Two saved scenarios side by side with the baseline, per subject."""
    reject_unknown_params(request.GET, {"a", "b"})
    _staff(request)
    found = Scenario.objects.select_related("methodology").in_bulk([query.a, query.b])
    for key in (query.a, query.b):
        if key not in found:
            raise NotFound(
                "unknown_scenario",
                _("There is no scenario {key}."),
                key=key,
            )
    first, second = found[query.a], found[query.b]
    return {
        "a": _scenario_out(first),
        "b": _scenario_out(second),
        "rows": _jsonable(scenario_compare(first, second)),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


class ExternalYearOut(Schema):
    year: int
    score: float | None
    rank: int | None
    components: dict[str, float | None]


@router.get("/external/{index}", response=list[ExternalYearOut], auth=PUBLIC)
def external(request: HttpRequest, index: str, province: int | None = None) -> list[dict[str, Any]]:
    """Published PCI/PAPI values of a province (default: the one served,
    MOTCUA_PROVINCE_CODE), per year."""
    reject_unknown_params(request.GET, {"province"})
    return external_series(index, province or settings.MOTCUA_PROVINCE_CODE)


class ExternalCompareQuery(Schema):
    province: int | None = None  # default: the province served (MOTCUA_PROVINCE_CODE)
    year: int | None = Field(None, ge=2005, le=2100)


@router.get("/external/{index}/compare", auth=PUBLIC)
def external_compare_api(
    request: HttpRequest, index: str, query: Query[ExternalCompareQuery]
) -> dict[str, Any]:
    """The province against all provinces' median, its region's average and the best province,
    per sub-index and overall (gap to the leader), and its own series over the years."""
    reject_unknown_params(request.GET, {"province", "year"})
    province = query.province or settings.MOTCUA_PROVINCE_CODE
    return _jsonable(external_compare(index, province, query.year))


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


@router.post("/scores/{score_id}/evidence", response={201: list[EvidenceOut]})
def post_evidence(
    request: HttpRequest, score_id: int, file: File[list[UploadedFile]]
) -> HttpStatus:
    """Evidence files (multipart field ``file``, one or more; PDF/JPEG/PNG checked by content)
    for a score: the assessed agency's own staff or the reform office."""
    actor = _staff(request)
    score = Score.objects.select_related("assessment", "node").filter(pk=score_id).first()
    if score is None:
        raise NotFound("unknown_score", _("There is no score {score_id}."), score_id=score_id)
    files = [(f.name or "", f.read(MAX_UPLOAD_BYTES + 1)) for f in file]
    stored = score_evidence_add(actor=actor, score=score, files=files)
    return HttpStatus(
        201,
        [
            {
                "id": e.pk,
                "name": e.name,
                "content_type": e.content_type,
                "size": e.size,
                "url": reverse("indices:evidence", args=[e.pk]),
            }
            for e in stored
        ],
    )


# --- the service index (Decision 766) ---------------------------------------------------------


class ServiceMetricOut(Schema):
    code: str
    name: str
    numerator: int
    denominator: int
    ratio: float | None
    points: float
    max_points: float


class ServiceGroupOut(Schema):
    code: str
    name: str
    max_points: float
    score: float
    metrics: list[ServiceMetricOut]


class ServiceItemOut(Schema):
    agency: str
    agency_name: str
    level: str
    total: float
    rank: int
    groups: list[ServiceGroupOut]


class ServiceProvinceOut(Schema):
    agency: str | None
    agency_name: str
    level: str
    total: float
    groups: list[ServiceGroupOut]


class ServiceIndexOut(Schema):
    period: str
    items: list[ServiceItemOut]
    province: ServiceProvinceOut


class ServiceRecordsOut(Schema):
    period: str
    agency: str
    metric: str
    part: str
    kind: str
    total: int
    page: int
    page_size: int
    rows: list[dict[str, Any]]


@router.get("/service", response=ServiceIndexOut, auth=PUBLIC)
def service_index_api(
    request: HttpRequest,
    period: str = Query(..., max_length=32, description="YYYY, YYYY-Qn, YYYY-MM or A..B"),
    level: str = Query("all", max_length=16, description="department, commune or all"),
) -> JsonResponse:
    """Decision 766's service index of every agency of a level, ranked within its level (ties
    share the best rank), and the province's. Public, like the national portal's."""
    reject_unknown_params(request.GET, {"period", "level"})
    parsed = service.parse_period(period, today=timezone.localdate())
    # Built to ServiceIndexOut's shape by service.service_index (its tests pin every field), so
    # it is sent as is: validating thousands of nested objects again cost most of the request.
    return JsonResponse(service.service_index(parsed, service.level_check(level)))


@router.get("/service/records", response=ServiceRecordsOut)
def service_records_api(
    request: HttpRequest,
    period: str = Query(..., max_length=32),
    agency: str = Query(..., max_length=32),
    metric: str = Query(..., max_length=16),
    part: str = Query(..., max_length=16, description="numerator or denominator"),
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(20, ge=1, le=100),
) -> dict[str, Any]:
    """The records one number of the service index counts (staff only): dossiers, petitions,
    ratings or procedures, with `total` equal to the number on the index."""
    reject_unknown_params(request.GET, {"period", "agency", "metric", "part", "page", "page_size"})
    user = _staff(request)
    parsed = service.parse_period(period, today=timezone.localdate())
    return service_records(
        user=user,
        period=parsed,
        agency_code=agency,
        metric=metric,
        part=part,
        page=page,
        page_size=page_size,
    )
