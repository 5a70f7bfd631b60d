"""The periodic report an agency (or the province) files: dossier statistics and the Decision
766 service index of a period against the previous one, as an Excel workbook (tables) and a
printable Vietnamese PDF (tables and charts). Built from the dashboards' own selectors, so the
report says what the dashboard says."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font

from motcua.common.pdffonts import FONT_FAMILY, add_fonts
from motcua.common.xlsx import first_sheet
from motcua.indices.service import Period
from motcua.org.models import Agency

from . import selectors

BAND_NAMES = {"excellent": "Xuất sắc", "good": "Tốt", "average": "Trung bình", "weak": "Yếu"}
HEADER = Font(bold=True)


def report_data(
    agency: Agency | None, period: Period, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The dashboard of the agency (None: the province) with the report's title."""
    data = (
        selectors.province_dashboard(period, now=now)
        if agency is None
        else selectors.agency_dashboard(agency, period, now=now)
    )
    subject = "Toàn tỉnh / thành phố" if agency is None else agency.name
    data["subject"] = subject
    data["title"] = f"Báo cáo kết quả giải quyết thủ tục hành chính kỳ {period.label}"
    data["made_at"] = timezone.localtime(now or timezone.now())
    return data


def filename(agency: Agency | None, period: Period, extension: str) -> str:
    scope = "toan-tinh" if agency is None else agency.code
    return f"bao-cao-{scope}-{period.label.replace('..', '_')}.{extension}"


def _fmt(value: Any, share: bool = False) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:,.1f}" if share else f"{value:,.2f}"
    else:
        text = f"{value:,}"
    text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{text} %" if share else text


def _change(value: Any) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else ""
    return f"{sign}{_fmt(value)}"


def figure_rows(data: dict[str, Any]) -> list[list[str]]:
    return [
        [
            f["label"],
            _fmt(f["value"], f["is_share"]),
            _fmt(f["previous"], f["is_share"]),
            _change(f["change"]),
            f"{f['numerator']}/{f['denominator']}" if f["is_share"] else "",
        ]
        for f in data["figures"]
    ]


def group_rows(index: dict[str, Any] | None) -> list[list[str]]:
    if not index:
        return []
    return [
        [g["code"], g["name"], _fmt(g["score"]), _fmt(g["max_points"])] for g in index["groups"]
    ]


def ranking_rows(rows: Sequence[dict[str, Any]]) -> list[list[str]]:
    return [
        [
            str(r["rank"]),
            r["agency_name"],
            _fmt(r["total"]),
            BAND_NAMES.get(r["band"] or "", ""),
            "—" if r["previous_rank"] is None else str(r["previous_rank"]),
            "—" if r["rank_change"] is None else f"{r['rank_change']:+d}",
        ]
        for r in rows
    ]


# --- Excel -------------------------------------------------------------------------------------


def _sheet(workbook: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]):
    sheet = workbook.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(list(row))
    for column, width in zip("ABCDEFGH", (44, 16, 16, 14, 16, 14, 14, 14), strict=False):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    return sheet


def report_xlsx(data: dict[str, Any]) -> bytes:
    """The report as a workbook: figures, the index by group, rankings, trend (with charts)."""
    workbook = Workbook()
    cover = first_sheet(workbook)
    cover.title = "Tổng hợp"
    cover.append([data["title"]])
    cover["A1"].font = Font(bold=True, size=13)
    cover.append([f"Đơn vị: {data['subject']}"])
    cover.append(
        [
            f"Kỳ báo cáo: {data['period'].label} ({data['period'].first:%d/%m/%Y} – "
            f"{data['period'].last:%d/%m/%Y}); so với kỳ {data['previous'].label}"
        ]
    )
    cover.append([f"Lập lúc: {data['made_at']:%H:%M %d/%m/%Y}"])
    cover.append([])
    cover.append(["Chỉ tiêu", "Kỳ này", "Kỳ trước", "Thay đổi", "Tử số/Mẫu số"])
    for cell in cover[6]:
        cell.font = HEADER
    for f in data["figures"]:
        cover.append(
            [
                f["label"],
                f["value"],
                f["previous"],
                f["change"],
                f"{f['numerator']}/{f['denominator']}" if f["is_share"] else None,
            ]
        )
    cover.column_dimensions["A"].width = 48
    for column in "BCDE":
        cover.column_dimensions[column].width = 16
    index = data["index"]
    if index:
        _sheet(
            workbook,
            "Chỉ số 766",
            ["Mã", "Nhóm chỉ tiêu / chỉ tiêu", "Điểm", "Tối đa", "Tử số", "Mẫu số", "Tỷ lệ"],
            [
                row
                for g in index["groups"]
                for row in (
                    [g["code"], g["name"], g["score"], g["max_points"], None, None, None],
                    *(
                        [
                            m["code"],
                            m["name"],
                            m["points"],
                            m["max_points"],
                            m["numerator"],
                            m["denominator"],
                            m["ratio"],
                        ]
                        for m in g["metrics"]
                    ),
                )
            ]
            + [["", "Tổng điểm", index["total"], 100, None, None, None]],
        )
    ranking_header = ["Hạng", "Cơ quan", "Điểm", "Xếp loại", "Hạng kỳ trước", "Thay đổi hạng"]
    for key, title in (("departments", "Xếp hạng sở ngành"), ("communes", "Xếp hạng cấp xã")):
        if data.get(key):
            rows = [
                [
                    r["rank"],
                    r["agency_name"],
                    r["total"],
                    BAND_NAMES.get(r["band"] or "", ""),
                    r["previous_rank"],
                    r["rank_change"],
                ]
                for r in data[key]
            ]
            _sheet(workbook, title, ranking_header, rows)
    if data.get("metrics"):
        _sheet(
            workbook,
            "Điểm bị mất",
            ["Mã", "Chỉ tiêu", "Điểm", "Tối đa", "Mất", "Cần thêm (hồ sơ/bản ghi)"],
            [
                [m["code"], m["name"], m["points"], m["max_points"], m["lost"], m["needed"]]
                for m in data["metrics"]
            ],
        )
    if data.get("procedures"):
        _sheet(
            workbook,
            "Thủ tục trễ hạn",
            ["Mã thủ tục", "Tên thủ tục", "Đã giải quyết", "Trễ hạn", "Tỷ lệ trễ (%)"],
            [
                [p["procedure"], p["name"], p["finished"], p["late"], p["late_share"]]
                for p in data["procedures"]
            ],
        )
    if data.get("staff"):
        _sheet(
            workbook,
            "Khối lượng cán bộ",
            ["Cán bộ", "Vai trò", "Tiếp nhận", "Chuyển bước", "Tổng"],
            [
                [s["name"], s["role"], s["received"], s["handed_on"], s["total"]]
                for s in data["staff"]
            ],
        )
    trend = _sheet(
        workbook,
        "Xu hướng",
        ["Tháng", "Tiếp nhận", "Đã giải quyết", "Trễ hạn", "Đúng hạn (%)"],
        [
            [t["month"], t["received"], t["finished"], t["finished_late"], t["on_time_share"]]
            for t in data["trend"]
        ],
    )
    _trend_charts(trend, len(data["trend"]))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _trend_charts(sheet: Any, months: int) -> None:
    bars = BarChart()
    bars.title = "Hồ sơ theo tháng"
    bars.add_data(
        Reference(sheet, min_col=2, max_col=4, min_row=1, max_row=months + 1), titles_from_data=True
    )
    bars.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=months + 1))
    bars.height, bars.width = 8, 18
    sheet.add_chart(bars, "G2")
    line = LineChart()
    line.title = "Tỷ lệ đúng hạn (%)"
    line.add_data(Reference(sheet, min_col=5, min_row=1, max_row=months + 1), titles_from_data=True)
    line.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=months + 1))
    line.height, line.width = 8, 18
    sheet.add_chart(line, "G20")


# --- PDF ---------------------------------------------------------------------------------------


class _ReportPDF(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        add_fonts(self)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT_FAMILY, "I", 8)
        self.cell(0, 6, f"Trang {self.page_no()}/{{nb}}", align="C")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(FONT_FAMILY, "B", 11)
        self.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT_FAMILY, "", 9)

    def grid(self, widths: Sequence[int], header: Sequence[str], rows: Sequence[Sequence[str]]):
        self.set_font(FONT_FAMILY, "", 9)
        with self.table(
            col_widths=tuple(widths),
            headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 245)),
            line_height=5,
            text_align=tuple("LEFT" if i < 2 else "RIGHT" for i in range(len(widths))),
        ) as table:
            table.row(list(header))
            for row in rows:
                table.row(list(row))

    def bars(self, title: str, labels: Sequence[str], values: Sequence[float], maximum: float):
        """A horizontal bar chart: one bar per label, scaled to `maximum`."""
        self.heading(title)
        left, width, bar = self.l_margin + 55, self.w - self.l_margin - self.r_margin - 75, 5
        if self.get_y() + len(labels) * (bar + 2) > self.h - 20:
            self.add_page()
        for label, value in zip(labels, values, strict=True):
            y = self.get_y()
            self.set_xy(self.l_margin, y)
            self.cell(55, bar, label[:38])
            self.set_fill_color(31, 95, 168)
            length = max(0.0, min(1.0, value / maximum if maximum else 0)) * width
            if length:
                self.rect(left, y + 0.5, length, bar - 1, style="F")
            self.set_xy(left + length + 2, y)
            self.cell(20, bar, _fmt(float(value)))
            self.set_y(y + bar + 2)


def report_pdf(data: dict[str, Any]) -> bytes:
    """The report as a printable A4 PDF in Vietnamese: figures, the index and its groups (with
    a chart), rankings or the agency's lost points, procedures and staff, the monthly trend."""
    pdf = _ReportPDF()
    pdf.set_title(data["title"])
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", 13)
    pdf.multi_cell(0, 7, data["title"].upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "", 10)
    period, before = data["period"], data["previous"]
    for line in (
        f"Đơn vị: {data['subject']}",
        f"Kỳ báo cáo: {period.label} ({period.first:%d/%m/%Y} – {period.last:%d/%m/%Y}); "
        f"so với kỳ {before.label}",
        f"Lập lúc {data['made_at']:%H:%M ngày %d/%m/%Y} từ số liệu của hệ thống một cửa.",
    ):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.heading("1. Tình hình tiếp nhận và giải quyết hồ sơ")
    pdf.grid(
        (70, 25, 25, 25, 35),
        ["Chỉ tiêu", "Kỳ này", "Kỳ trước", "Thay đổi", "Tử/mẫu số"],
        figure_rows(data),
    )
    index = data["index"]
    pdf.heading("2. Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)")
    if index:
        band = BAND_NAMES.get(data.get("band") or "", "")
        previous = data.get("index_previous")
        pdf.multi_cell(
            0,
            6,
            f"Tổng điểm: {_fmt(index['total'])}/100 ({band}); kỳ trước: {_fmt(previous)}"
            + (f"; xếp hạng {index['rank']}/{data['level_size']}" if "rank" in index else ""),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.grid((20, 100, 30, 30), ["Mã", "Nhóm chỉ tiêu", "Điểm", "Tối đa"], group_rows(index))
        pdf.bars(
            "Biểu đồ: tỷ lệ điểm đạt theo nhóm (%)",
            [g["name"] for g in index["groups"]],
            [g["score"] * 100 / g["max_points"] if g["max_points"] else 0 for g in index["groups"]],
            100,
        )
    else:
        pdf.multi_cell(
            0, 6, "Đơn vị không thuộc đối tượng xếp hạng.", new_x="LMARGIN", new_y="NEXT"
        )
    section = 3
    header = ["Hạng", "Cơ quan", "Điểm", "Xếp loại", "Hạng trước", "Thay đổi"]
    for key, title in (("departments", "sở, ban, ngành"), ("communes", "UBND cấp xã")):
        if data.get(key):
            pdf.heading(f"{section}. Xếp hạng {title}")
            pdf.grid((14, 84, 20, 24, 20, 18), header, ranking_rows(data[key]))
            section += 1
    if data.get("metrics"):
        pdf.heading(f"{section}. Các chỉ tiêu bị mất điểm (mất nhiều nhất trước)")
        pdf.grid(
            (18, 100, 20, 20, 22),
            ["Mã", "Chỉ tiêu", "Điểm", "Mất", "Cần thêm"],
            [
                [
                    m["code"],
                    m["name"],
                    _fmt(m["points"]),
                    _fmt(m["lost"]),
                    "—" if m["needed"] is None else str(m["needed"]),
                ]
                for m in data["metrics"]
                if m["lost"] > 0
            ],
        )
        section += 1
    if data.get("procedures"):
        pdf.heading(f"{section}. Thủ tục có tỷ lệ trễ hạn cao nhất")
        pdf.grid(
            (24, 96, 20, 20, 20),
            ["Mã", "Thủ tục", "Đã giải quyết", "Trễ", "Tỷ lệ trễ"],
            [
                [
                    p["procedure"],
                    p["name"],
                    str(p["finished"]),
                    str(p["late"]),
                    _fmt(p["late_share"], True),
                ]
                for p in data["procedures"][:15]
            ],
        )
        section += 1
    trend = data["trend"]
    pdf.heading(f"{section}. Xu hướng theo tháng")
    pdf.grid(
        (30, 35, 35, 35, 45),
        ["Tháng", "Tiếp nhận", "Đã giải quyết", "Trễ hạn", "Đúng hạn"],
        [
            [
                t["month"],
                _fmt(t["received"]),
                _fmt(t["finished"]),
                _fmt(t["finished_late"]),
                _fmt(t["on_time_share"], True),
            ]
            for t in trend
        ],
    )
    pdf.bars(
        "Biểu đồ: hồ sơ tiếp nhận theo tháng",
        [t["month"] for t in trend],
        [float(t["received"]) for t in trend],
        max([float(t["received"]) for t in trend] + [1.0]),
    )
    return bytes(pdf.output())
