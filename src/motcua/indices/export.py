"""Excel export of a subject's lost-points table (openpyxl; numbers stay numbers)."""

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
