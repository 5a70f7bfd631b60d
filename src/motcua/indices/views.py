"""Index pages: the public ranking with server-drawn bar and rank-uncertainty charts (and Excel),
and for civil servants one subject's lost points, year-over-year change and cheapest next steps
(also as Excel)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from motcua.common.errors import ApiError, NotFound
from motcua.common.language import is_english
from motcua.common.uploads import MAX_UPLOAD_BYTES
from motcua.org.models import Agency, Unit
from motcua.org.signed_in import signed_in_user

from . import selectors, service
from .export import XLSX, external_workbook, lost_points_workbook, ranking_workbook
from .external_compare import external_compare
from .external_import import definitions, external_values_upload, may_import_external
from .localize import local_name, name_of
from .models import Assessment, Evidence, Methodology, Score
from .report import assessment_report, report_pdf
from .scenarios import what_if_version
from .services import may_self_assess, score_evidence_add

DEFAULT_METHODOLOGY = "hp-departments"
CHART_WIDTH = 640
LABEL_WIDTH = 150
VALUE_WIDTH = 60
ROW_HEIGHT = 22


def _choose(request: HttpRequest) -> tuple[Any, int | None, list[int]]:
    code = request.GET.get("m") or DEFAULT_METHODOLOGY
    try:
        methodology = selectors.methodology_latest(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    years = selectors.years_assessed(methodology)
    try:
        year = int(request.GET.get("y") or (years[-1] if years else 0)) or None
    except ValueError:
        year = None
    return methodology, year, years


def bar_chart(rows: list[dict[str, Any]], groups: list[dict[str, Any]]) -> dict[str, Any]:
    """Geometry of a horizontal bar chart of index % (the template draws the SVG). The axis
    starts at a round number below the lowest score, and says so, so small gaps stay visible."""
    if not rows:
        return {"bars": [], "height": 0}
    low = min(Decimal(r["percent"]) for r in rows)
    start = max(0, int(low // 10) * 10 - 10)
    span = Decimal(100 - start) or Decimal(1)
    plot = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH

    def x(value: Any) -> float:
        return float(LABEL_WIDTH + (Decimal(value) - start) / span * plot)

    bars = [
        {
            "y": 20 + i * ROW_HEIGHT,
            "text_y": 20 + i * ROW_HEIGHT + 15,
            "width": max(0.0, x(r["percent"]) - LABEL_WIDTH),
            "value_x": x(r["percent"]) + 4,
            "row": r,
        }
        for i, r in enumerate(rows)
    ]
    height = 44 + len(rows) * ROW_HEIGHT
    lines = [
        {"x": x(g["min_percent"]), "label": f"{g['code']} ≥ {g['min_percent']}"}
        for g in groups
        if start < Decimal(str(g["min_percent"])) < 100
    ]
    ticks = [{"x": x(v), "label": v} for v in range(start, 101, 10 if 100 - start > 30 else 5)]
    return {
        "bars": bars,
        "lines": lines,
        "ticks": ticks,
        "height": height,
        "axis_y": height - 6,
        "width": CHART_WIDTH,
        "label_x": LABEL_WIDTH - 6,
        "plot_x": LABEL_WIDTH,
        "start": start,
    }


def uncertainty_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Geometry of the rank-uncertainty chart (the template draws the SVG): one row per unit,
    a line from its 5th to its 95th percentile rank, a dot at the median and a mark at its
    actual rank; rank 1 on the left."""
    rows = [r for r in rows if r.get("uncertainty")]
    if not rows:
        return {"rows": [], "height": 0}
    worst = max(max(r["rank"], r["uncertainty"]["p95"]) for r in rows)
    plot = CHART_WIDTH - LABEL_WIDTH - 20

    def x(rank: int) -> float:
        return round(LABEL_WIDTH + 10 + (rank - 1) / max(worst - 1, 1) * plot, 1)

    marks = [
        {
            "y": 20 + i * ROW_HEIGHT + 8,
            "text_y": 20 + i * ROW_HEIGHT + 12,
            "x5": x(r["uncertainty"]["p5"]),
            "x95": x(r["uncertainty"]["p95"]),
            "x_median": x(r["uncertainty"]["median"]),
            "x_rank": x(r["rank"]),
            "row": r,
        }
        for i, r in enumerate(rows)
    ]
    height = 44 + len(rows) * ROW_HEIGHT
    step = 1 if worst <= 15 else 5
    ticks = [{"x": x(v), "label": v} for v in sorted({1, *range(step, worst + 1, step)})]
    return {
        "rows": marks,
        "ticks": ticks,
        "height": height,
        "axis_y": height - 6,
        "width": CHART_WIDTH,
        "label_x": LABEL_WIDTH - 6,
    }


def _with_uncertainty(methodology: Any, year: int | None, rows: list[dict[str, Any]]) -> None:
    """Adds ``uncertainty`` ({median, p5, p95}) to each row of one kind (no year: no rows)."""
    if year is None:
        return
    subjects = [r["subject"] for r in rows]
    result = selectors.rank_uncertainty(methodology, year, subjects)
    for row in rows:
        row["uncertainty"] = result.get(row["subject"])


KIND_ORDER = ("department", "ward_committee", "commune_committee")
KIND_LABELS = {
    "department": gettext_lazy("Departments"),
    "ward_committee": pgettext_lazy("index", "Wards"),
    "commune_committee": pgettext_lazy("index", "Communes and special zones"),
}


def _kinds(rows: list[dict[str, Any]]) -> list[str]:
    """Departments, then wards, then communes and special zones (the published tables)."""
    present = {r["kind"] for r in rows}
    return [k for k in KIND_ORDER if k in present] + sorted(present - set(KIND_ORDER))


def ranking_page(request: HttpRequest) -> HttpResponse:
    methodology, year, years = _choose(request)
    rows = _ranking_rows(methodology, year)
    kinds = _kinds(rows)
    sections = []
    for kind in kinds:
        section_rows = [r for r in rows if r["kind"] == kind]
        _with_uncertainty(methodology, year, section_rows)
        sections.append(
            {
                "kind": kind,
                # what the template has no heading of its own for (units, other agencies)
                "label": dict(Unit.Kind.choices + Agency.Kind.choices).get(kind, kind),
                "rows": section_rows,
                "chart": bar_chart(section_rows, methodology.groups),
                "uncertainty": uncertainty_chart(section_rows),
            }
        )
    return render(
        request,
        "indices/ranking.html",
        {
            "methodology": methodology,
            "methodologies": selectors.methodology_list(),
            "year": year,
            "years": years,
            "runs": selectors.UNCERTAINTY_RUNS,
            "spread": round(selectors.UNCERTAINTY_SPREAD * 100),
            "sections": sections,
        },
    )


def _ranking_rows(methodology: Any, year: int | None) -> list[dict[str, Any]]:
    rows = selectors.ranking_table(methodology, year) if year else []
    no_data = selectors.no_data_counts(methodology, year) if year else {}
    previous = (
        {r["subject"]: r for r in selectors.ranking_table(methodology, year - 1)} if year else {}
    )
    for row in rows:
        before = previous.get(row["subject"])
        row["change"] = row["percent"] - before["percent"] if before else None
        row["previous_rank"] = before["rank"] if before else None
        row["no_data"] = no_data.get(row["subject"], 0)
    return rows


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def ranking_xlsx(request: HttpRequest) -> HttpResponse:
    """Public: the ranking table of /chi-so/ (one kind, or all) as Excel."""
    code = request.GET.get("methodology") or DEFAULT_METHODOLOGY
    try:
        methodology = selectors.methodology_latest(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    years = selectors.years_assessed(methodology)
    try:
        year = int(request.GET.get("year") or (years[-1] if years else 0))
    except ValueError as exc:
        raise Http404 from exc
    if year not in years:
        raise Http404
    kind = request.GET.get("kind") or ""
    rows = _ranking_rows(methodology, year)
    kinds = _kinds(rows)
    if kind and kind not in kinds:
        raise Http404
    out = []
    for each in kinds:
        if kind and each != kind:
            continue
        section = [r for r in rows if r["kind"] == each]
        _with_uncertainty(methodology, year, section)
        out.extend(section)
    title = f"{name_of(methodology)} ({methodology.version}) — {year}" + (
        f" — {KIND_LABELS[kind]}" if kind in KIND_LABELS else (f" — {kind}" if kind else "")
    )
    suffix = f"-{kind}" if kind else ""
    return _xlsx(ranking_workbook(title, out), f"xep-hang-{methodology.code}-{year}{suffix}.xlsx")


def _staff_report(request: HttpRequest, subject: str) -> tuple[Any, int, dict[str, Any]]:
    if not getattr(request.user, "is_civil_servant", False):
        raise PermissionDenied
    methodology, year, _ = _choose(request)
    if year is None:
        raise Http404
    try:
        report = selectors.subject_report(methodology, year, subject)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return methodology, year, report


def _assessment_id(methodology: Any, year: int, subject: str) -> int | None:
    rows = Assessment.objects.filter(methodology=methodology, year=year)
    if subject.startswith("unit:"):
        rows = rows.filter(unit__code=subject.removeprefix("unit:"))
    else:
        rows = rows.filter(agency__code=subject)
    return rows.values_list("pk", flat=True).first()


RADAR_SIZE = 360
RADAR_RADIUS = 130


def radar_chart(profile: list[dict[str, Any]]) -> dict[str, Any]:
    """Geometry of a radar chart: one spoke per domain (0 % at the centre, 100 % at the rim),
    the subject's polygon and its kind's average (the template draws the SVG)."""
    if len(profile) < 3:
        return {"spokes": []}
    centre = RADAR_SIZE / 2

    def point(i: int, percent: Any, radius: float = RADAR_RADIUS) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / len(profile)
        r = radius * min(float(percent or 0), 100.0) / 100
        return round(centre + r * math.cos(angle), 1), round(centre + r * math.sin(angle), 1)

    def polygon(key: str) -> str:
        return " ".join("{},{}".format(*point(i, row[key])) for i, row in enumerate(profile))

    spokes = []
    for i, row in enumerate(profile):
        x, y = point(i, 100)
        lx, ly = point(i, 100, RADAR_RADIUS + 18)
        anchor = "middle" if abs(lx - centre) < 5 else ("start" if lx > centre else "end")
        spokes.append({"x": x, "y": y, "label_x": lx, "label_y": ly, "anchor": anchor, **row})
    rings = [
        {
            "points": " ".join("{},{}".format(*point(i, level)) for i in range(len(profile))),
            "label": level,
        }
        for level in (25, 50, 75, 100)
    ]
    return {
        "spokes": spokes,
        "rings": rings,
        "own": polygon("percent"),
        "average": polygon("average_percent"),
        "size": RADAR_SIZE,
        "centre": centre,
    }


@login_required
def subject_page(request: HttpRequest, subject: str) -> HttpResponse:
    methodology, year, report = _staff_report(request, subject)
    names = report["domain_names"]
    yoy = report["yoy"]
    contributions = (
        [
            {"code": code, "name": names.get(code, code), "value": value}
            for code, value in yoy["contributions"].items()
        ]
        if yoy
        else []
    )
    assessment_id = _assessment_id(methodology, year, subject)
    no_data = (
        selectors.no_data_leaves(Assessment.objects.get(pk=assessment_id)) if assessment_id else []
    )
    without_data = {r["code"] for r in no_data}
    return render(
        request,
        "indices/subject.html",
        {
            "methodology": methodology,
            "year": year,
            "subject": subject,
            "subject_name": selectors.subject_name(subject),
            "no_data": no_data,
            "lost": [
                r for r in report["lost"] if r["lost_total"] > 0 and r["code"] not in without_data
            ],
            "yoy": yoy,
            "contributions": contributions,
            "moves": report["moves"],
            "move_names": names,
            "uncertainty": report["uncertainty"],
            "assessment_id": assessment_id,
            "profile": report["profile"],
            "radar": radar_chart(report["profile"]),
        },
    )


@login_required
def subject_xlsx(request: HttpRequest, subject: str) -> HttpResponse:
    methodology, year, report = _staff_report(request, subject)
    assessment_id = _assessment_id(methodology, year, subject)
    no_data = (
        {
            r["code"]: r["why"]
            for r in selectors.no_data_leaves(Assessment.objects.get(pk=assessment_id))
        }
        if assessment_id
        else {}
    )
    content = lost_points_workbook(
        f"{name_of(methodology)} — {selectors.subject_name(subject)} — {year}",
        report["lost"],
        no_data=no_data,
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"mat-diem-{methodology.code}-{subject}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def assessment_pdf(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """One assessment's year as a PDF report (civil servants, like the lost-points page)."""
    if not getattr(request.user, "is_civil_servant", False):
        raise PermissionDenied
    assessment = (
        Assessment.objects.select_related("methodology", "agency", "unit")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise Http404
    with translation.override("vi"):  # the printed report is Vietnamese throughout
        content = report_pdf(assessment_report(assessment))
    response = HttpResponse(content, content_type="application/pdf")
    subject = selectors.subject_key(assessment).replace(":", "-")
    filename = f"bao-cao-{assessment.methodology.code}-{subject}-{assessment.year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


LINE_WIDTH = 640
LINE_HEIGHT = 240
LINE_LEFT = 48
LINE_RIGHT = 16
LINE_TOP = 16
LINE_BOTTOM = 32


def line_chart(series: list[dict[str, Any]]) -> dict[str, Any]:
    """Geometry of a line chart of scores over years (the template draws the SVG). The value
    axis spans round numbers (multiples of 5) around the lowest and highest score."""
    points = [s for s in series if s["score"] is not None]
    if not points:
        return {"points": []}
    low = min(Decimal(p["score"]) for p in points)
    high = max(Decimal(p["score"]) for p in points)
    start = math.floor(low / 5) * 5
    end = math.ceil(high / 5) * 5
    if end <= start:
        end = start + 5
    first, last = points[0]["year"], points[-1]["year"]
    plot_w = LINE_WIDTH - LINE_LEFT - LINE_RIGHT
    plot_h = LINE_HEIGHT - LINE_TOP - LINE_BOTTOM

    def x(year: int) -> float:
        return LINE_LEFT + (
            plot_w * (year - first) / (last - first) if last > first else plot_w / 2
        )

    def y(value: Any) -> float:
        return float(LINE_TOP + plot_h - (Decimal(value) - start) / (end - start) * plot_h)

    dots = [{"x": round(x(p["year"]), 1), "y": round(y(p["score"]), 1), **p} for p in points]
    return {
        "points": dots,
        "polyline": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "ticks": [{"y": round(y(v), 1), "label": v} for v in range(start, end + 1, 5)],
        "width": LINE_WIDTH,
        "height": LINE_HEIGHT,
        "left": LINE_LEFT,
        "right": LINE_WIDTH - LINE_RIGHT,
        "axis_y": LINE_HEIGHT - LINE_BOTTOM,
        "year_y": LINE_HEIGHT - 10,
        "start": start,
        "end": end,
    }


def external_page(request: HttpRequest, index: str) -> HttpResponse:
    """Public: a province's PCI/PAPI against the median, its region and the leader. With no
    values imported yet the page says so; the reform office imports a CSV on the page."""
    if index not in definitions()["indices"]:
        raise Http404
    result: dict[str, int] | None = None
    error: ApiError | None = None
    if request.method == "POST":
        result, error = _external_upload(request)
    try:
        data: dict[str, Any] | None = _external_data(request, index)
    except Http404:
        if request.GET.get("year") or request.GET.get("province"):
            raise
        data = None
    spec = definitions()["indices"][index]
    return render(
        request,
        "indices/external.html",
        {
            "c": data,
            "index": index,
            "index_name": local_name(spec["name_vi"], spec["name_en"]),
            "chart": line_chart(data["series"]) if data else {"points": []},
            "may_import": may_import_external(request.user),
            "staff": getattr(request.user, "is_civil_servant", False),
            "imported": result,
            "error": error,
            "error_message": error.text if error else "",
            "english": is_english(),
        },
        status=error.status if error else 200,
    )


def _external_upload(request: HttpRequest) -> tuple[dict[str, int] | None, ApiError | None]:
    if not may_import_external(request.user):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None:
        return None, ApiError("external_file_required", gettext_lazy("No CSV file was chosen."))
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        return None, ApiError(
            "file_too_large", gettext_lazy("The CSV file is too large."), status=413
        )
    try:
        result = external_values_upload(
            actor=request.user, content=upload.read(), source=upload.name or ""
        )
    except ApiError as exc:
        return None, exc
    return result, None


def _external_data(request: HttpRequest, index: str) -> dict[str, Any]:
    try:
        province = int(request.GET.get("province") or settings.MOTCUA_PROVINCE_CODE)
        year = int(request.GET["year"]) if request.GET.get("year") else None
    except ValueError as exc:
        raise Http404 from exc
    try:
        return external_compare(index, province, year)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def external_xlsx(request: HttpRequest, index: str) -> HttpResponse:
    """Public: the comparison table of /chi-so/ben-ngoai/<index>/ as Excel."""
    data = _external_data(request, index)
    filename = f"{index}-{data['province']}-{data['year']}.xlsx"
    return _xlsx(external_workbook(data), filename)


@login_required
def score_tree_page(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Civil servants: one assessment's scores as a tree (domain → criterion → sub-criterion)
    with max / self / appraised / lost, the appraisal reason and the evidence files; those who
    may self-assess it get an upload form on every scored leaf."""
    if not getattr(request.user, "is_civil_servant", False):
        raise PermissionDenied
    assessment = _assessment_or_404(assessment_id)
    return _score_tree(request, assessment)


def _assessment_or_404(assessment_id: int) -> Assessment:
    assessment = (
        Assessment.objects.select_related("methodology", "agency", "unit")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise Http404
    return assessment


def _score_tree(
    request: HttpRequest,
    assessment: Assessment,
    *,
    error: ApiError | None = None,
    error_node: str = "",
) -> HttpResponse:
    uploaded = request.GET.get("uploaded", "")
    return render(
        request,
        "indices/score_tree.html",
        {
            "assessment": assessment,
            "subject": selectors.subject_key(assessment),
            "subject_name": assessment.subject.name,
            "tree": selectors.score_tree(assessment),
            "may_upload": may_self_assess(signed_in_user(request), agency_id=assessment.agency_id),
            "uploaded": int(uploaded) if uploaded.isdigit() else 0,
            "uploaded_node": request.GET.get("node", ""),
            "error": error,
            "error_message": error.text if error else "",
            "error_node": error_node,
        },
        status=error.status if error else 200,
    )


@login_required
@require_POST
def evidence_upload(request: HttpRequest, score_id: int) -> HttpResponse:
    """The score tree's upload form: the same service, checks and permission as
    ``POST /api/v1/indices/scores/{id}/evidence``; back to the tree, or the tree with the
    error and nothing stored."""
    if not getattr(request.user, "is_civil_servant", False):
        raise PermissionDenied
    score = (
        Score.objects.select_related("assessment__methodology", "assessment__agency", "node")
        .filter(pk=score_id)
        .first()
    )
    if score is None:
        raise Http404
    files = [(f.name or "", f.read(MAX_UPLOAD_BYTES + 1)) for f in request.FILES.getlist("file")]
    try:
        stored = score_evidence_add(actor=signed_in_user(request), score=score, files=files)
    except ApiError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        return _score_tree(request, score.assessment, error=exc, error_node=score.node.code)
    url = reverse("indices:score_tree", args=[score.assessment_id])
    return redirect(f"{url}?uploaded={len(stored)}&node={score.node.code}#node-{score.node.code}")


@login_required
def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    """An evidence file, for civil servants (like the scores it backs)."""
    if not getattr(request.user, "is_civil_servant", False):
        raise PermissionDenied
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    return FileResponse(
        evidence.file.open("rb"), filename=evidence.name, content_type=evidence.content_type
    )


@login_required
def what_if_page(request: HttpRequest) -> HttpResponse:
    """Civil servants: this year's actual scores recomputed on another methodology version
    (or framework), leaves carried over by code, with the leaves that could not be mapped."""
    if not getattr(request.user, "is_civil_servant", False):
        raise PermissionDenied
    methodology, year, _years = _choose(request)
    years = selectors.years_assessed_any_version(methodology.code)
    if year is None and years and not request.GET.get("y"):
        year = years[-1]
    if year:  # the version the year was assessed on, not necessarily the newest
        try:
            methodology = selectors.methodology_for_year(methodology.code, year)
        except NotFound as exc:
            raise Http404(exc.message) from exc
    versions = list(Methodology.objects.order_by("code", "-effective_from", "-id"))
    target_key = request.GET.get("t") or ""
    result: dict[str, Any] | None = None
    error: ApiError | None = None
    target: Methodology | None = None
    if target_key and year:
        code, _sep, version = target_key.partition("@")
        try:
            target = selectors.methodology_version(code, version or None)
            result = what_if_version(methodology=methodology, year=year, target=target)
        except ApiError as exc:
            error = exc
    return render(
        request,
        "indices/what_if.html",
        {
            "methodology": methodology,
            "methodologies": selectors.methodology_list(),
            "year": year,
            "years": years,
            "versions": [m for m in versions if m.pk != methodology.pk],
            "target_key": target_key,
            "target": target,
            "result": result,
            "error": error,
            "error_message": error.text if error else "",
        },
        status=error.status if error else 200,
    )


def _current_quarter(today: Any) -> str:
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def service_index_page(request: HttpRequest) -> HttpResponse:
    """The Decision 766 service index of a period, per level, as the API gives it (public)."""
    today = timezone.localdate()
    period_text = request.GET.get("period") or _current_quarter(today)
    level = request.GET.get("level") or service.ALL
    context: dict[str, Any] = {"period": period_text, "level": level, "levels": SERVICE_LEVELS}
    try:
        body = service.service_index(
            service.parse_period(period_text, today=today), service.level_check(level)
        )
    except ApiError as exc:
        context["error_message"] = exc.text
        return render(request, "indices/service.html", context, status=400)
    context["sections"] = [
        {"level": code, "label": label, "items": [i for i in body["items"] if i["level"] == code]}
        for code, label in SERVICE_LEVELS
        if code != service.ALL and level in (code, service.ALL)
    ]
    context["province"] = body["province"]
    context["groups"] = body["province"]["groups"]
    return render(request, "indices/service.html", context)


SERVICE_LEVELS = (
    ("department", gettext_lazy("Departments")),
    ("commune", gettext_lazy("Commune-level People's Committees")),
    (service.ALL, gettext_lazy("All levels")),
)
