"""Excel exports (openpyxl; numbers stay numbers): a subject's lost points, the public ranking
table and the external (PCI/PAPI) comparison table. Headers are in the request's language
(Vietnamese unless the reader chose English), through gettext."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from motcua.common.xlsx import first_sheet

from .localize import name_of

HEADERS = (
    (pgettext_lazy("index", "Code"), 10),
    (gettext_lazy("Name"), 60),
    (pgettext_lazy("index", "Level"), 8),
    (gettext_lazy("Maximum"), 12),
    (gettext_lazy("Self-assessed"), 12),
    (gettext_lazy("Appraised"), 14),
    (gettext_lazy("Lost in self-assessment"), 16),
    (gettext_lazy("Lost in appraisal"), 16),
    (gettext_lazy("Total lost"), 12),
    (gettext_lazy("Note"), 60),
)
KEYS = (
    "code",
    "name",
    "level",
    "max_points",
    "self_points",
    "appraised_points",
    "lost_self",
    "lost_appraisal",
    "lost_total",
)


def lost_points_workbook(
    title: str, rows: list[dict[str, Any]], *, no_data: dict[str, str] | None = None
) -> bytes:
    """Per node the lost points; a computed leaf without data (``no_data``: code → why) has
    empty points and says "No data" and why, instead of a silent 0."""
    no_data = no_data or {}
    workbook = Workbook()
    sheet = first_sheet(workbook)
    sheet.title = _("Lost points")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append([str(h) for h, _width in HEADERS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for index, (_header, width) in enumerate(HEADERS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for row in rows:
        values = [row[k] for k in KEYS]
        cells = [
            float(v) if k not in ("code", "name", "level") else v
            for k, v in zip(KEYS, values, strict=True)
        ]
        if row["code"] in no_data:
            cells[4:9] = [None] * 5
            cells.append(f"{_('No data')}: {no_data[row['code']]}")
        sheet.append(cells)
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _number(value: Any) -> Any:
    """Decimals as floats (Excel numbers), ints as ints, missing values as empty cells."""
    if value is None or isinstance(value, (int, str)):
        return value
    return float(value)


def table_workbook(
    sheet_title: Any, title: str, columns: list[tuple[Any, int]], rows: list[list[Any]]
) -> bytes:
    """A title row, bold headers (row 2) and the rows with numbers kept as numbers."""
    workbook = Workbook()
    sheet = first_sheet(workbook)
    sheet.title = str(sheet_title)[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append([str(h) for h, _width in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for index, (_header, width) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for row in rows:
        sheet.append([_number(v) for v in row])
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


RANKING_COLUMNS = [
    (pgettext_lazy("index", "Rank"), 8),
    (gettext_lazy("Unit"), 40),
    (pgettext_lazy("index", "Code"), 14),
    (gettext_lazy("Points"), 10),
    (gettext_lazy("Index (percent)"), 12),
    (pgettext_lazy("index", "Group"), 10),
    (gettext_lazy("Change since last year (percentage points)"), 16),
    (gettext_lazy("Last year's rank"), 12),
    (gettext_lazy("Median rank (simulated)"), 14),
    (gettext_lazy("5th percentile rank"), 12),
    (gettext_lazy("95th percentile rank"), 12),
    (gettext_lazy("Criteria without data"), 12),
]


def ranking_workbook(title: str, rows: list[dict[str, Any]]) -> bytes:
    """The /chi-so/ ranking table: rank, unit, points, index %, group, change, uncertainty."""
    data = []
    for r in rows:
        u = r.get("uncertainty") or {}
        data.append(
            [
                r["rank"],
                r["name"],
                r["subject"],
                r["points"],
                r["percent"],
                r["group"],
                r.get("change"),
                r.get("previous_rank"),
                u.get("median"),
                u.get("p5"),
                u.get("p95"),
                r.get("no_data", 0),
            ]
        )
    return table_workbook(_("Ranking"), title, RANKING_COLUMNS, data)


def external_workbook(compare: dict[str, Any]) -> bytes:
    """The external comparison table (PCI/PAPI): a province against median, region, leader."""
    columns = [
        (_("Sub-index"), 40),
        (str(compare["province_name"]), 14),
        (_("Median of all provinces"), 14),
        (_("Region average"), 14),
        (_("Best"), 12),
        (_("Best province"), 24),
        (_("Gap to the leader"), 16),
    ]
    keys = ("score", "median", "region_average", "best", "best_name", "gap_to_best")
    rows = [[name_of(r)] + [r[k] for k in keys] for r in compare["rows"]]
    rows.append([_("Overall")] + [compare["overall"][k] for k in keys])
    title = f"{name_of(compare)} — {compare['province_name']} — {compare['year']}"
    return table_workbook(str(compare["index"]).upper(), title, columns, rows)
