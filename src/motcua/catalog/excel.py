"""Excel (.xlsx) import and export of the catalog, in the columns agencies exchange."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import IO, Any
from zipfile import BadZipFile

from django.core.files import File
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from motcua.common.xlsx import first_sheet

from .completeness import ProcedureGaps, required_parts
from .models import Procedure
from .rows import (
    COLUMN_BY_HEADER,
    COLUMNS,
    ONLINE_LABEL_VI,
    ProcedureRow,
    RowError,
    parse_rows,
    procedure_as_row,
    row_error,
)
from .services import ImportRejected

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 50_000
SHEET_TITLE = "Thủ tục hành chính"


def read_workbook(stream: IO[bytes] | File) -> list[ProcedureRow]:
    """Parse the first sheet; raises ImportRejected listing every problem, row by row."""
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportRejected(
            [row_error(0, "", gettext_lazy("Not a valid Excel (.xlsx) workbook ({exc})."), exc=exc)]
        ) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise ImportRejected([row_error(1, "", gettext_lazy("The file is empty."))])
    keys: list[str | None] = []
    errors: list[RowError] = []
    for label in header:
        text = str(label or "").strip()
        column = COLUMN_BY_HEADER.get(text.lower())
        if text and column is None:
            errors.append(row_error(1, text, gettext_lazy("Unknown column “{text}”."), text=text))
        keys.append(column.key if column else None)
    missing = [c for c in COLUMNS if c.required and c.key not in keys]
    errors += [
        row_error(1, c.vi, gettext_lazy("Column “{column}” is missing."), column=c.label)
        for c in missing
    ]
    if errors:
        raise ImportRejected(errors)
    raw_rows: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(rows, start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        if len(raw_rows) >= MAX_ROWS:
            raise ImportRejected(
                [row_error(number, "", gettext_lazy("More than {limit:,} rows."), limit=MAX_ROWS)]
            )
        raw_rows.append((number, {k: v for k, v in zip(keys, values, strict=False) if k}))
    parsed, row_errors = parse_rows(raw_rows)
    if row_errors:
        raise ImportRejected(row_errors)
    return parsed


def _header(sheet: Any) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="9B1C1C")
        cell.alignment = Alignment(wrap_text=True, vertical="center")


COMPLETENESS_SHEET = "Mức độ đầy đủ"
COMPLETENESS_HEADERS = (
    "STT",
    "Mã thủ tục",
    "Tên thủ tục",
    "Lĩnh vực",
    "Cơ quan thực hiện",
    "Dịch vụ công trực tuyến",
    "Số thành phần còn thiếu",
    "Thành phần còn thiếu",
)


def write_completeness_workbook(rows: list[ProcedureGaps], *, filters_text: str) -> bytes:
    """The completeness report as agencies file it: Vietnamese headers only (the sheet goes to
    the reform office as is), one row per procedure, then a mark under each part it lacks so
    the sheet can be filtered by part."""
    parts = required_parts()
    workbook = Workbook()
    sheet = first_sheet(workbook)
    sheet.title = COMPLETENESS_SHEET
    sheet.append([*COMPLETENESS_HEADERS, *(part.vi for part in parts)])
    _header(sheet)
    for number, row in enumerate(rows, start=1):
        procedure = row.procedure
        missing = {part.code for part in row.missing}
        agency = procedure.competent_agency
        sheet.append(
            [
                number,
                procedure.code,
                procedure.name,
                procedure.field.name,
                agency.name if agency else procedure.competent_agency_text,
                ONLINE_LABEL_VI[procedure.online_level] or "Không",
                len(row.missing),
                "; ".join(part.vi for part in row.missing) or "Đầy đủ",
                *("Thiếu" if part.code in missing else "" for part in parts),
            ]
        )
    widths = [6, 12, 70, 28, 34, 14, 12, 50]
    for index in range(1, sheet.max_column + 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = widths[index - 1] if index <= len(widths) else 14
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = sheet.dimensions
    about = workbook.create_sheet("Thông tin")
    about.append(["Báo cáo", "Mức độ đầy đủ nội dung thủ tục hành chính (Quyết định 766/QĐ-TTg)"])
    about.append(["Điều kiện lọc", filters_text or "Tất cả thủ tục đang hiệu lực"])
    about.append(["Số thủ tục", len(rows)])
    about.append(["Xuất lúc", f"{dt.datetime.now().astimezone():%d/%m/%Y %H:%M}"])
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 70
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_workbook(procedures: QuerySet[Procedure]) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = first_sheet(workbook)
    sheet.title = SHEET_TITLE
    sheet.append([c.vi for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="9B1C1C")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for procedure in procedures.select_related("field").order_by("code").iterator(chunk_size=2000):
        sheet.append(procedure_as_row(procedure))
    widths = {
        "code": 12,
        "name": 70,
        "field": 28,
        "level": 12,
        "competent_agency": 30,
        "legal_basis": 40,
        "source": 40,
    }
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = widths.get(column.key, 16)
        if column.key in {"effective_from", "abolished_on"}:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "C2"
    # Vietnamese only, like the data sheet; the English names are listed because an import
    # accepts them as headers too.
    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Bắt buộc", "Tên cột tiếng Anh (cũng được chấp nhận khi nhập)"])
    for column in COLUMNS:
        guide.append([column.vi, "x" if column.required else "", column.en])
    guide.append([])
    guide.append([f"Xuất lúc {dt.datetime.now().astimezone():%d/%m/%Y %H:%M}"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
