"""Thin views of the dashboards: the home of each role, the province and agency dashboards,
the records behind their numbers, their reports and the reports built by the task worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from motcua.common.errors import ApiError
from motcua.common.errors import PermissionDenied as DeniedError
from motcua.dossiers import selectors as dossier_selectors
from motcua.indices.drilldown import column_records, service_records
from motcua.indices.service import Period
from motcua.org.models import Agency, User
from motcua.org.permissions import Capability, can
from motcua.org.signed_in import signed_in_user

from . import figures as fig
from . import geo, reports, selectors, services
from .access import agency_for, own_agency, sees_province
from .models import CommuneBoundary, Report
from .periods import chosen, current_quarter
from .warnings import early_warnings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 20


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a user lands after logging in: the province dashboard for those who follow every
    agency, the agency dashboard for a leader, the day's work for desk officers and
    specialists, their own page for citizens."""
    user = signed_in_user(request)
    if sees_province(user):
        return redirect("dashboards:province")
    if can(user, Capability.APPLY_ONLINE):
        return redirect("portal:my_page")
    agency = own_agency(user)
    if user.role == User.Role.AGENCY_LEADER and agency is not None:
        return redirect("dashboards:agency", code=agency.code)
    if user.is_civil_servant:
        return redirect("work")
    return redirect("home")


@login_required
def work(request: HttpRequest) -> HttpResponse:
    """The day's work: for a desk officer the desk's queue due today, for a specialist the
    dossiers they handle; the agency's early warnings beside it."""
    user = signed_in_user(request)
    if not user.is_civil_servant:
        raise PermissionDenied
    now = timezone.now()
    soon = dossier_selectors.dossier_queue(user=user, status="open", due="soon", page_size=50)
    late = dossier_selectors.dossier_queue(user=user, status="open", due="late", page_size=50)
    mine = services.own_work(user, now) if user.role == User.Role.SPECIALIST else []
    agency = own_agency(user)
    warnings = early_warnings(now=now, agency_ids=[agency.pk]) if agency else None
    return render(
        request,
        "dashboards/work.html",
        {
            "soon": soon,
            "late": late,
            "mine": mine,
            "agency": agency,
            "warnings": warnings,
            "at_desk": user.role == User.Role.DESK_OFFICER,
        },
    )


def _period_or_error(request: HttpRequest) -> tuple[Period | None, str]:
    try:
        return chosen(request.GET, timezone.localdate()), ""
    except ApiError as exc:
        return None, exc.text


def _period_context(request: HttpRequest, period: Period | None) -> dict[str, Any]:
    today = timezone.localdate()
    year = today.year
    quarter = current_quarter(today)
    month = f"{today:%Y-%m}"
    return {
        "period_text": request.GET.get("period") or (period.label if period else quarter),
        "period_from": request.GET.get("from", ""),
        "period_to": request.GET.get("to", ""),
        "presets": [
            (month, "Tháng này"),
            (quarter, "Quý này"),
            (str(year), "Năm nay"),
            (str(year - 1), "Năm trước"),
        ],
    }


def _links(period: Period, agency: str | None) -> dict[str, str]:
    """The records page of each headline figure (its numerator)."""
    base = reverse("dashboards:records")
    result = {}
    for figure in fig.FIGURES:
        query = {"period": period.label, "figure": figure.code}
        if agency:
            query["agency"] = agency
        result[figure.code] = f"{base}?{urlencode(query)}"
    return result


def _metric_link(period: Period, agency: str, metric: str, part: str = "numerator") -> str:
    query = {"period": period.label, "agency": agency, "metric": metric, "part": part}
    return f"{reverse('dashboards:records')}?{urlencode(query)}"


def _chart(
    key: str,
    title: str,
    kind: str,
    labels: list[str],
    series: list[tuple[str, list]],
    **options: Any,
) -> dict[str, Any]:
    """One chart for the vendored Chart.js, with its table view and a text alternative."""
    summary = "; ".join(
        f"{name}: "
        + ", ".join(
            f"{label} {value if value is not None else '—'}"
            for label, value in zip(labels, values, strict=True)
        )
        for name, values in series
    )
    return {
        "id": key,
        "title": title,
        "type": kind,
        "labels": labels,
        "series": [{"label": name, "data": values} for name, values in series],
        "headers": [name for name, _values in series],
        "rows": [
            [label, *values]
            for label, *values in zip(labels, *(v for _n, v in series), strict=True)
        ],
        "summary": f"{title}. {summary}",
        **options,
    }


def _charts(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The dashboard's charts, labels in Vietnamese: the monthly trend, the on-time share and
    the 766 groups."""
    trend = data["trend"]
    months = [t["month"] for t in trend]
    charts = [
        _chart(
            "trend",
            "Hồ sơ theo tháng",
            "bar",
            months,
            [
                ("Tiếp nhận", [t["received"] for t in trend]),
                ("Đã giải quyết", [t["finished"] for t in trend]),
                ("Trễ hạn", [t["finished_late"] for t in trend]),
            ],
        ),
        _chart(
            "on-time",
            "Tỷ lệ hồ sơ đúng hạn theo tháng (%)",
            "line",
            months,
            [("Đúng hạn (%)", [t["on_time_share"] for t in trend])],
            max=100,
        ),
    ]
    index = data.get("index")
    if index:
        groups = index["groups"]
        charts.append(
            _chart(
                "groups",
                "Chỉ số 766 theo nhóm (điểm)",
                "bar",
                [g["name"] for g in groups],
                [
                    ("Điểm đạt", [g["score"] for g in groups]),
                    ("Điểm tối đa", [g["max_points"] for g in groups]),
                ],
                horizontal=True,
            )
        )
    return charts


def _chart_data(charts: list[dict[str, Any]]) -> dict[str, Any]:
    keep = ("type", "labels", "series", "max", "horizontal")
    return {c["id"]: {k: c[k] for k in keep if k in c} for c in charts}


def _dashboard_error(request: HttpRequest, template: str, message: str, **extra: Any):
    context = {"error_message": message, **_period_context(request, None), **extra}
    return render(request, template, context, status=400)


@login_required
def province(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not sees_province(user):
        raise PermissionDenied
    period, error = _period_or_error(request)
    if period is None:
        return _dashboard_error(request, "dashboards/province.html", error)
    now = timezone.now()
    data = selectors.province_dashboard(period, now=now)
    warnings = early_warnings(
        now=now, evaluations=(data["evaluation"], data["evaluation_previous"])
    )
    return render(
        request,
        "dashboards/province.html",
        {
            **data,
            **_period_context(request, period),
            "links": _links(period, None),
            "charts": (charts := _charts(data)),
            "chart_data": _chart_data(charts),
            "map_scores": selectors.scores_for_map(data["evaluation"]),
            "has_map": CommuneBoundary.objects.exists(),
            "warnings": warnings,
            "query": urlencode({"period": period.label}),
        },
    )


@login_required
def agency(request: HttpRequest, code: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = agency_for(user, code)
    period, error = _period_or_error(request)
    if period is None:
        return _dashboard_error(request, "dashboards/agency.html", error, agency=subject)
    now = timezone.now()
    data = selectors.agency_dashboard(subject, period, now=now)
    warnings = early_warnings(
        now=now,
        agency_ids=[subject.pk],
        evaluations=(data["evaluation"], data["evaluation_previous"]),
    )
    for metric in data["metrics"]:
        metric["link"] = _metric_link(period, subject.code, metric["code"])
    return render(
        request,
        "dashboards/agency.html",
        {
            **data,
            **_period_context(request, period),
            "links": _links(period, subject.code),
            "charts": (charts := _charts(data)),
            "chart_data": _chart_data(charts),
            "warnings": warnings,
            "query": urlencode({"period": period.label}),
            "sees_province": sees_province(user),
        },
    )


def _report_scope(request: HttpRequest, code: str | None) -> Agency | None:
    user = signed_in_user(request)
    if code is None:
        if not sees_province(user):
            raise PermissionDenied
        return None
    return agency_for(user, code)


def _report(request: HttpRequest, code: str | None, extension: str) -> HttpResponse:
    subject = _report_scope(request, code)
    period, error = _period_or_error(request)
    if period is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    data = reports.report_data(subject, period)
    if extension == "xlsx":
        content, content_type = reports.report_xlsx(data), XLSX
    else:
        content, content_type = reports.report_pdf(data), "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    name = reports.filename(subject, period, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def province_report(request: HttpRequest, extension: str) -> HttpResponse:
    return _report(request, None, extension)


@login_required
def agency_report(request: HttpRequest, code: str, extension: str) -> HttpResponse:
    return _report(request, code, extension)


@login_required
def records(request: HttpRequest) -> HttpResponse:
    """The records behind a dashboard number: a headline figure (`figure`) of an agency or the
    province, or a 766 metric's numerator or denominator (`metric`, `part`) of an agency."""
    user = signed_in_user(request)
    if not user.is_civil_servant:
        raise PermissionDenied
    period, error = _period_or_error(request)
    code = request.GET.get("agency") or None
    figure_code, metric = request.GET.get("figure", ""), request.GET.get("metric", "")
    part = request.GET.get("part", "numerator")
    try:
        page = max(1, min(int(request.GET.get("page") or 1), 100_000))
    except ValueError:
        page = 1
    context: dict[str, Any] = {"agency_code": code, "figure": None, "metric": metric, "part": part}
    try:
        if period is None:
            raise ApiError("bad_period", error)
        if metric:
            if code is None:
                raise ApiError("agency_required", "Chọn một cơ quan để xem hồ sơ của chỉ tiêu.")
            result = service_records(
                user=user,
                period=period,
                agency_code=code,
                metric=metric,
                part=part,
                page=page,
                page_size=PAGE_SIZE,
            )
        else:
            figure = fig.BY_CODE.get(figure_code)
            if figure is None:
                raise ApiError("unknown_figure", f"Không có chỉ tiêu “{figure_code}”.")
            context["figure"] = figure
            result = column_records(
                user=user,
                period=period,
                agency_code=code,
                names=figure.numerator,
                page=page,
                page_size=PAGE_SIZE,
            )
    except DeniedError as exc:
        raise PermissionDenied(exc.text) from None
    except ApiError as exc:
        context["error_message"] = exc.text
        return render(request, "dashboards/records.html", context, status=400)
    subject = Agency.objects.filter(code=code).first() if code else None
    query = request.GET.copy()
    query.pop("page", None)
    pages = max(1, -(-result["total"] // PAGE_SIZE))
    context.update(
        {
            "result": result,
            "subject": subject,
            "period": period,
            "pages": pages,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page < pages else None,
            "query_string": query.urlencode(),
        }
    )
    return render(request, "dashboards/records.html", context)


@login_required
def boundaries(request: HttpRequest) -> JsonResponse:
    """The communes' boundaries as GeoJSON (the scores are on the dashboard page)."""
    if not sees_province(signed_in_user(request)):
        raise PermissionDenied
    return JsonResponse(geo.map_features({}))


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The reports built by the task worker for this user, and a form to ask for one."""
    user = signed_in_user(request)
    if not sees_province(user):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            services.report_request(user=user, period_text=request.POST.get("period", ""))
        except ApiError as exc:
            error = exc.text
        else:
            return redirect("dashboards:reports")
    return render(
        request,
        "dashboards/reports.html",
        {
            "reports": Report.objects.filter(requested_by=user)[:50],
            "error_message": error,
            "period_text": request.POST.get("period") or current_quarter(timezone.localdate()),
        },
        status=400 if error else 200,
    )


@login_required
def report_file(request: HttpRequest, pk: int, extension: str) -> FileResponse:
    user = signed_in_user(request)
    report = Report.objects.filter(pk=pk, requested_by=user, status=Report.Status.READY).first()
    if report is None:
        raise Http404
    name = report.xlsx if extension == "xlsx" else report.pdf
    path = services.report_path(name)
    if not name or not Path(path).exists():
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename=Path(name).name)
