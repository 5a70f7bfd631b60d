"""The province's report by agency for a period: every department's and commune committee's
headline figures and service index in one table, too large to build during a request, so the
task worker builds it (services.report_build)."""

from __future__ import annotations

import io
from typing import Any

from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Font

from motcua.common.pdffonts import FONT_FAMILY
from motcua.common.xlsx import first_sheet
from motcua.indices.service import Period, evaluate

from . import figures as fig
from .reports import BAND_NAMES, _fmt, _ReportPDF
from .selectors import band_of

LEVEL_NAMES = {"department": "Sở, ban, ngành", "commune": "UBND cấp xã"}


def rows(period: Period) -> list[dict[str, Any]]:
    evaluation = evaluate(period, extra=fig.INPUTS)
    result = []
    for item in evaluation.items:
        counts = evaluation.counts.get(item["agency_id"], {})
        values = fig.figures(counts, {})
        result.append(
            {
                "level": item["level"],
                "agency": item["agency"],
                "agency_name": item["agency_name"],
                "total": item["total"],
                "rank": item["rank"],
                "band": BAND_NAMES.get(band_of(evaluation.methodology, item["total"]) or "", ""),
                "figures": {f["code"]: f for f in values},
            }
        )
    return result


def build(period: Period) -> tuple[bytes, bytes]:
    """(Excel, PDF) of every agency's figures and index for the period."""
    table = rows(period)
    return _xlsx(period, table), _pdf(period, table)


def _xlsx(period: Period, table: list[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = first_sheet(workbook)
    sheet.title = "Theo cơ quan"
    header = ["Cấp", "Mã", "Cơ quan", "Điểm 766", "Hạng", "Xếp loại"] + [
        f"{f.label} (%)" if f.is_share else str(f.label) for f in fig.FIGURES
    ]
    sheet.append(
        [
            f"Báo cáo theo cơ quan kỳ {period.label} ({period.first:%d/%m/%Y} – "
            f"{period.last:%d/%m/%Y})"
        ]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for r in table:
        sheet.append(
            [
                LEVEL_NAMES.get(r["level"], r["level"]),
                r["agency"],
                r["agency_name"],
                r["total"],
                r["rank"],
                r["band"],
            ]
            + [r["figures"][f.code]["value"] for f in fig.FIGURES]
        )
    sheet.column_dimensions["C"].width = 44
    sheet.freeze_panes = "D3"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


SHOWN = ("received", "finished", "late", "online", "satisfied", "petitions_on_time")


def _pdf(period: Period, table: list[dict[str, Any]]) -> bytes:
    pdf = _ReportPDF()
    pdf.set_title(f"Báo cáo theo cơ quan kỳ {period.label}")
    pdf.add_page(orientation="L")
    pdf.set_font(FONT_FAMILY, "B", 13)
    pdf.multi_cell(
        0,
        7,
        f"BÁO CÁO KẾT QUẢ GIẢI QUYẾT TTHC THEO CƠ QUAN KỲ {period.label}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FONT_FAMILY, "", 8)
    header = ["Hạng", "Cơ quan", "Điểm 766", "Xếp loại"] + [
        str(fig.BY_CODE[c].label) for c in SHOWN
    ]
    with pdf.table(
        col_widths=(12, 70, 18, 20, *([26] * len(SHOWN))),
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 245)),
        line_height=4.5,
    ) as grid:
        grid.row(header)
        for r in table:
            cells = [str(r["rank"]), r["agency_name"], _fmt(r["total"]), r["band"]]
            for code in SHOWN:
                f = r["figures"][code]
                cells.append(_fmt(f["value"], f["is_share"]))
            grid.row(cells)
    return bytes(pdf.output())
