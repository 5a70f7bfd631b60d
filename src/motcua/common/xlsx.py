"""The worksheet a new openpyxl workbook opens on, typed as one: openpyxl's ``active`` may be
none or a chart sheet in general, never for a workbook just created."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet


def first_sheet(workbook: Workbook) -> Worksheet:
    sheet = workbook.active
    if not isinstance(sheet, Worksheet):
        raise TypeError("the workbook opened on no worksheet")
    return sheet
