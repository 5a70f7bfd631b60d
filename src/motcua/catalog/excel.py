"""Excel (.xlsx) import and export of the catalog, in the columns agencies exchange."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import IO, Any
from zipfile import BadZipFile

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from .models import Procedure
from .rows import (
    COLUMN_BY_HEADER,
    COLUMNS,
    ProcedureRow,
    RowError,
    parse_rows,
    procedure_as_row,
    row_error,
)
from .services import ImportRejected

MAX_ROWS = 50_000
SHEET_TITLE = "Thủ tục hành chính"


def read_workbook(stream: IO[bytes]) -> list[ProcedureRow]:
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


def write_workbook(procedures: QuerySet[Procedure]) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
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
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(column.key, 16)
        if column.key in {"effective_from", "abolished_on"}:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "C2"
    guide = workbook.create_sheet("Hướng dẫn - Guide")
    guide.append(["Cột / Column", "Bắt buộc / Required", "English"])
    for column in COLUMNS:
        guide.append([column.vi, "x" if column.required else "", column.en])
    guide.append([])
    guide.append([f"Xuất lúc / Exported at {dt.datetime.now().astimezone():%d/%m/%Y %H:%M}"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
