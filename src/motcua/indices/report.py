"""A unit's or agency's year on one methodology as a printable PDF (Vietnamese): total, index %,
group, rank, the domain table, where the most points were lost and the change since last year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from motcua.common.pdffonts import FONT_FAMILY, add_fonts

from . import engine, selectors
from .models import Assessment

TOP_LOST = 10
NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
KIND_LABELS = {
    "department": "sở, ban, ngành",
    "ward_committee": "phường",
    "commune_committee": "xã, đặc khu",
    "commune": "xã, phường",
}


def assessment_report(assessment: Assessment) -> dict[str, Any]:
    """Everything the PDF shows, from the same selectors and engine as the pages."""
    methodology, year = assessment.methodology, assessment.year
    subject = selectors.subject_key(assessment)
    nodes = selectors.engine_nodes(methodology)
    self_points = selectors.leaf_points(methodology, year, "self").get(subject, {})
    appraised = selectors.leaf_points(methodology, year).get(subject, {})
    ranking = selectors.ranking_table(methodology, year)
    row = next(r for r in ranking if r["subject"] == subject)
    peers = sum(1 for r in ranking if r["kind"] == row["kind"])
    lost = engine.lost_points(nodes, self_points, appraised)
    order = {n["code"]: i for i, n in enumerate(nodes)}
    domains = sorted((r for r in lost if r["level"] == 1), key=lambda r: order[r["code"]])
    leaves = set(engine.leaf_codes(nodes))
    top_lost = [r for r in lost if r["code"] in leaves and r["lost_total"] > 0][:TOP_LOST]
    previous = selectors.leaf_points(methodology, year - 1).get(subject)
    yoy = (
        engine.yoy_decomposition(
            {"nodes": nodes, "leaves": previous}, {"nodes": nodes, "leaves": appraised}
        )
        if previous is not None
        else None
    )
    names = {n["code"]: n["name"] for n in nodes}
    return {
        "title": methodology.name_vi,
        "version": methodology.version,
        "year": year,
        "subject": subject,
        "name": (assessment.agency or assessment.unit).name,  # type: ignore[union-attr]
        "points": row["points"],
        "max_points": row["max_points"],
        "percent": row["percent"],
        "group": row["group"],
        "rank": row["rank"],
        "peers": peers,
        "kind": row["kind"],
        "domains": domains,
        "top_lost": top_lost,
        "yoy": yoy,
        "names": names,
    }


def _num(value: Any) -> str:
    """Vietnamese number format: decimal comma, at most two decimals, no trailing zeros."""
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if text not in ("", "-0") else "0"


class _ReportPDF(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        add_fonts(self)
        self.set_margins(left=18, top=15, right=15)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_lang("vi-VN")
        self.set_creator("motcua")
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT_FAMILY, "I", 8)
        self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="C")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(FONT_FAMILY, "B", 11)
        self.multi_cell(0, 6, text, **NEXT_LINE)
        self.set_font(FONT_FAMILY, "", 9)

    def row(self, widths: list[float], cells: list[str], *, bold: bool = False) -> None:
        """One bordered table row; a long name wraps and the other cells stretch to match."""
        self.set_font(FONT_FAMILY, "B" if bold else "", 9)
        line_height = 5.5
        counts = [
            len(self.multi_cell(w, line_height, text, dry_run=True, output="LINES")) or 1
            for w, text in zip(widths, cells, strict=True)
        ]
        height = max(counts) * line_height
        if self.will_page_break(height):
            self.add_page()
        top, x = self.get_y(), self.l_margin
        for i, (w, text, count) in enumerate(zip(widths, cells, counts, strict=True)):
            self.set_xy(x, top)
            self.multi_cell(w, height / count, text, border=1, align="L" if i < 2 else "R")
            x += w
        self.set_xy(self.l_margin, top + height)


def report_pdf(report: dict[str, Any]) -> bytes:
    pdf = _ReportPDF()
    pdf.add_page()
    pdf.set_title(f"Báo cáo chỉ số CCHC {report['name']} {report['year']}")
    pdf.set_font(FONT_FAMILY, "B", 14)
    pdf.multi_cell(
        0,
        7,
        f"BÁO CÁO KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {report['year']}",
        align="C",
        **NEXT_LINE,
    )
    pdf.set_font(FONT_FAMILY, "", 10)
    pdf.multi_cell(
        0, 6, f"{report['title']} (phiên bản {report['version']})", align="C", **NEXT_LINE
    )
    pdf.ln(2)
    pdf.set_font(FONT_FAMILY, "B", 12)
    pdf.multi_cell(0, 7, f"Đơn vị: {report['name']}", **NEXT_LINE)
    pdf.set_font(FONT_FAMILY, "", 10)
    kind = KIND_LABELS.get(report["kind"], report["kind"])
    for line in (
        f"Tổng điểm: {_num(report['points'])}/{_num(report['max_points'])}",
        f"Chỉ số: {_num(report['percent'])}%",
        f"Xếp loại: nhóm {report['group']}",
        f"Xếp hạng: {report['rank']}/{report['peers']} ({kind})",
    ):
        pdf.multi_cell(0, 6, line, **NEXT_LINE)

    pdf.heading("1. Kết quả theo lĩnh vực")
    widths = [12, 78, 20, 20, 22, 20]
    pdf.row(widths, ["TT", "Lĩnh vực", "Tối đa", "Tự chấm", "Thẩm định", "Mất điểm"], bold=True)
    for r in report["domains"]:
        pdf.row(
            widths,
            [
                r["code"],
                r["name"],
                _num(r["max_points"]),
                _num(r["self_points"]),
                _num(r["appraised_points"]),
                _num(r["lost_total"]),
            ],
        )
    pdf.row(
        widths,
        [
            "",
            "Tổng cộng",
            _num(report["max_points"]),
            _num(sum((r["self_points"] for r in report["domains"]), Decimal(0))),
            _num(report["points"]),
            _num(report["max_points"] - report["points"]),
        ],
        bold=True,
    )

    pdf.heading("2. Các tiêu chí mất nhiều điểm nhất")
    if report["top_lost"]:
        widths = [16, 86, 18, 26, 26]
        pdf.row(widths, ["Mã", "Tiêu chí", "Tối đa", "Đạt", "Mất điểm"], bold=True)
        for r in report["top_lost"]:
            pdf.row(
                widths,
                [
                    r["code"],
                    r["name"],
                    _num(r["max_points"]),
                    _num(r["appraised_points"]),
                    _num(r["lost_total"]),
                ],
            )
    else:
        pdf.multi_cell(0, 6, "Không mất điểm ở tiêu chí nào.", **NEXT_LINE)

    pdf.heading(f"3. So với năm {report['year'] - 1}")
    yoy = report["yoy"]
    if yoy is None:
        pdf.multi_cell(0, 6, f"Chưa có kết quả năm {report['year'] - 1} để so sánh.", **NEXT_LINE)
    else:
        sign = "+" if yoy["change"] > 0 else ""
        pdf.multi_cell(
            0,
            6,
            f"Chỉ số năm {report['year'] - 1}: {_num(yoy['before'])}% → năm {report['year']}: "
            f"{_num(yoy['after'])}% (thay đổi {sign}{_num(yoy['change'])} điểm phần trăm).",
            **NEXT_LINE,
        )
        widths = [16, 118, 38]
        pdf.row(widths, ["TT", "Lĩnh vực", "Đóng góp (điểm %)"], bold=True)
        for code, value in yoy["contributions"].items():
            mark = "+" if value > 0 else ""
            pdf.row(widths, [code, report["names"].get(code, code), f"{mark}{_num(value)}"])
    return bytes(pdf.output())
