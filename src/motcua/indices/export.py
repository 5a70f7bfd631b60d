"""Excel exports (openpyxl; numbers stay numbers): a subject's lost points, the public ranking
table and the external (PCI/PAPI) comparison table."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

HEADERS = (
    ("Mã / Code", 10),
    ("Tên / Name", 60),
    ("Cấp / Level", 8),
    ("Điểm tối đa / Max", 12),
    ("Tự chấm / Self", 12),
    ("Thẩm định / Appraised", 14),
    ("Mất khi tự chấm / Lost in self-assessment", 16),
    ("Mất khi thẩm định / Lost in appraisal", 16),
    ("Tổng mất / Total lost", 12),
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


def lost_points_workbook(title: str, rows: list[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Mat diem"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append([h for h, _ in HEADERS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for index, (_, width) in enumerate(HEADERS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for row in rows:
        values = [row[k] for k in KEYS]
        sheet.append(
            [
                float(v) if k not in ("code", "name", "level") else v
                for k, v in zip(KEYS, values, strict=True)
            ]
        )
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
    sheet_title: str, title: str, columns: list[tuple[str, int]], rows: list[list[Any]]
) -> bytes:
    """A title row, bold headers (row 2) and the rows with numbers kept as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append([h for h, _ in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for index, (_, width) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for row in rows:
        sheet.append([_number(v) for v in row])
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


RANKING_COLUMNS = [
    ("Hạng", 8),
    ("Đơn vị", 40),
    ("Mã", 14),
    ("Điểm", 10),
    ("Chỉ số (%)", 12),
    ("Xếp loại", 10),
    ("Thay đổi so với năm trước (điểm %)", 16),
    ("Hạng năm trước", 12),
    ("Hạng trung vị (mô phỏng)", 14),
    ("Hạng phân vị 5 %", 12),
    ("Hạng phân vị 95 %", 12),
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
            ]
        )
    return table_workbook("Xep hang", title, RANKING_COLUMNS, data)


def external_workbook(compare: dict[str, Any]) -> bytes:
    """The external comparison table (PCI/PAPI): a province against median, region, leader."""
    columns = [
        ("Chỉ số thành phần", 40),
        (str(compare["province_name"]), 14),
        ("Trung vị các tỉnh", 14),
        ("Trung bình vùng", 14),
        ("Cao nhất", 12),
        ("Tỉnh cao nhất", 24),
        ("Khoảng cách với tỉnh dẫn đầu", 16),
    ]
    keys = ("name", "score", "median", "region_average", "best", "best_name", "gap_to_best")
    rows = [[r[k] for k in keys] for r in compare["rows"]]
    rows.append(["Tổng"] + [compare["overall"][k] for k in keys[1:]])
    title = f"{compare['name']} — {compare['province_name']} — {compare['year']}"
    return table_workbook(str(compare["index"]).upper(), title, columns, rows)
