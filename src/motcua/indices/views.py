"""Index pages: the public ranking with a server-drawn bar chart, and for civil servants one
subject's lost points, year-over-year change and cheapest next steps (also as Excel)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.common.errors import NotFound

from . import selectors
from .export import lost_points_workbook
from .external_compare import external_compare
from .models import Assessment, Evidence
from .report import assessment_report, report_pdf

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


def ranking_page(request: HttpRequest) -> HttpResponse:
    methodology, year, years = _choose(request)
    rows = selectors.ranking_table(methodology, year) if year else []
    previous = (
        {r["subject"]: r for r in selectors.ranking_table(methodology, year - 1)} if year else {}
    )
    for row in rows:
        before = previous.get(row["subject"])
        row["change"] = row["percent"] - before["percent"] if before else None
        row["previous_rank"] = before["rank"] if before else None
    kinds = sorted({r["kind"] for r in rows})
    return render(
        request,
        "indices/ranking.html",
        {
            "methodology": methodology,
            "methodologies": selectors.methodology_list(),
            "year": year,
            "years": years,
            "sections": [
                {
                    "kind": kind,
                    "rows": [r for r in rows if r["kind"] == kind],
                    "chart": bar_chart([r for r in rows if r["kind"] == kind], methodology.groups),
                }
                for kind in kinds
            ],
        },
    )


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
    return render(
        request,
        "indices/subject.html",
        {
            "methodology": methodology,
            "year": year,
            "subject": subject,
            "lost": [r for r in report["lost"] if r["lost_total"] > 0],
            "yoy": yoy,
            "contributions": contributions,
            "moves": report["moves"],
            "move_names": names,
            "uncertainty": report["uncertainty"],
            "assessment_id": _assessment_id(methodology, year, subject),
            "profile": report["profile"],
            "radar": radar_chart(report["profile"]),
        },
    )


@login_required
def subject_xlsx(request: HttpRequest, subject: str) -> HttpResponse:
    methodology, year, report = _staff_report(request, subject)
    content = lost_points_workbook(f"{methodology.name_vi} — {subject} — {year}", report["lost"])
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
    response = HttpResponse(
        report_pdf(assessment_report(assessment)), content_type="application/pdf"
    )
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
    """Public: a province's PCI/PAPI against the median, its region and the leader."""
    try:
        province = int(request.GET.get("province") or 31)
        year = int(request.GET["year"]) if request.GET.get("year") else None
    except ValueError as exc:
        raise Http404 from exc
    try:
        data = external_compare(index, province, year)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "indices/external.html",
        {"c": data, "chart": line_chart(data["series"])},
    )


@login_required
def score_tree_page(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Civil servants: one assessment's scores as a tree (domain → criterion → sub-criterion)
    with max / self / appraised / lost, the appraisal reason and the evidence files."""
    if not getattr(request.user, "is_civil_servant", False):
        raise PermissionDenied
    assessment = (
        Assessment.objects.select_related("methodology", "agency", "unit")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise Http404
    return render(
        request,
        "indices/score_tree.html",
        {
            "assessment": assessment,
            "subject": selectors.subject_key(assessment),
            "tree": selectors.score_tree(assessment),
        },
    )


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
