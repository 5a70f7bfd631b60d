"""Draws a form template filled with a dossier's data as a printable PDF (fpdf2, DejaVu Serif)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import qrcode
from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos
from qrcode.constants import ERROR_CORRECT_M

from .formatting import LOCAL_TZ, MissingKeyError, fill
from .loader import MISSING_KEYS, FormTemplate, find_template, missing_keys, row_scope

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVuSerifCondensed"
FONT_FILES = {
    "": "DejaVuSerifCondensed.ttf",
    "B": "DejaVuSerifCondensed-Bold.ttf",
    "I": "DejaVuSerifCondensed-Italic.ttf",
}
DEFAULT_FONT_SIZE = 10.0
DEFAULT_MARGINS_MM = (10.0, 10.0, 12.0, 15.0)  # top, right, bottom, left (left wider: binding)
LINE_SPACING = 1.3
MIN_FIT_SIZE = 6.5

BAD_CHOICE = "Value {value!r} of {key!r} is not one of: {choices}."


class FormPDF(FPDF):
    """An FPDF page set up from a template's `page` block, with our fonts loaded."""

    def __init__(self, template: FormTemplate) -> None:
        page = template.spec["page"]
        super().__init__(
            orientation="L" if template.landscape else "P",
            unit="mm",
            format=template.page_size_mm,
        )
        top, right, bottom, left = page.get("margins", DEFAULT_MARGINS_MM)
        self.set_margins(left=left, top=top, right=right)
        self.set_auto_page_break(auto=True, margin=bottom)
        for style, filename in FONT_FILES.items():
            self.add_font(FONT_FAMILY, style, str(FONT_DIR / filename))
        self.base_size = float(template.spec.get("font_size", DEFAULT_FONT_SIZE))
        self.page_numbers = bool(page.get("numbers", False))
        self.set_lang("vi-VN")
        self.set_creator("motcua")
        self.style()

    def style(self, *, bold: bool = False, italic: bool = False, size: float | None = None) -> None:
        """Bold wins over italic: the shipped fonts have no bold italic."""
        self.set_font(FONT_FAMILY, "B" if bold else "I" if italic else "", size or self.base_size)

    @property
    def lh(self) -> float:
        """The line height for the current font size, in mm."""
        return self.font_size * LINE_SPACING

    def footer(self) -> None:
        if self.page_numbers:
            self.set_y(-self.b_margin + 3)
            self.style(italic=True, size=self.base_size - 1)
            self.cell(0, self.lh, f"Trang {self.page_no()}/{{nb}}", align="R")


class _Context:
    def __init__(self, template: FormTemplate, data: Mapping[str, Any]) -> None:
        self.template = template
        self.data = data

    def fill(self, text: str, spec: Mapping[str, Any] | None = None, scope: Any = None) -> str:
        result = fill(text, self.data if scope is None else scope)
        return result.upper() if spec and spec.get("upper") else result


def qr_png(payload: str) -> io.BytesIO:
    """The payload as a black-on-white QR code, PNG in memory."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(payload)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    buffer.seek(0)
    return buffer


def _form_number(pdf: FormPDF, ctx: _Context) -> None:
    pdf.style(bold=True, size=pdf.base_size - 1)
    pdf.cell(0, pdf.lh, ctx.template.spec["form_number"], align="R")
    pdf.ln(pdf.lh)


def _header(pdf: FormPDF, block: Mapping[str, Any], ctx: _Context) -> None:
    x0, y0 = pdf.l_margin, pdf.get_y()
    left_width = pdf.epw * float(block.get("left_width", 0.45))
    size = float(block.get("size", pdf.base_size - 0.5))
    bottoms = [
        _header_column(pdf, ctx, x0, left_width, y0, block.get("left", []), size),
        _header_column(
            pdf, ctx, x0 + left_width, pdf.epw - left_width, y0, block.get("right", []), size
        ),
    ]
    pdf.set_xy(x0, max(bottoms) + float(block.get("space_after", 4)))


def _header_column(
    pdf: FormPDF,
    ctx: _Context,
    x: float,
    width: float,
    y: float,
    lines: list[Mapping[str, Any]],
    size: float,
) -> float:
    last_width = width
    for line in lines:
        if "rule" in line:
            rule = last_width * float(line["rule"])
            pdf.set_line_width(0.25)
            pdf.line(x + (width - rule) / 2, y + 0.5, x + (width + rule) / 2, y + 0.5)
            y += 2.0
            continue
        text = ctx.fill(line["text"], line)
        if not text.strip():
            continue
        line_size = float(line.get("size", size))
        pdf.style(bold=line.get("bold", False), italic=line.get("italic", False), size=line_size)
        while line.get("fit") and pdf.get_string_width(text) > width - 2 and line_size > MIN_FIT_SIZE:
            line_size -= 0.25
            pdf.set_font_size(line_size)
        pdf.set_xy(x, y)
        pdf.multi_cell(width, pdf.lh, text, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        last_width = min(pdf.get_string_width(text), width - 2)
        y = pdf.get_y()
    return y


def _title(pdf: FormPDF, block: Mapping[str, Any], ctx: _Context) -> None:
    x0, y0 = pdf.l_margin, pdf.get_y()
    payload = ctx.fill(block["qr"]) if block.get("qr") else ""
    qr_size = float(block.get("qr_size", 20))
    inset = qr_size + 2 if payload else 0.0
    width = pdf.epw - 2 * inset
    lines: list[tuple[str, Mapping[str, Any]]] = [
        (ctx.fill(block.get("text", ctx.template.spec["title"]), block), {"bold": True, **block})
    ]
    for sub in block.get("subtitle", []):
        sub = {"text": sub, "italic": True} if isinstance(sub, str) else sub
        lines.append((ctx.fill(sub["text"], sub), sub))
    lines = [(text, spec) for text, spec in lines if text.strip()]

    def draw(dry_run: bool) -> float:
        height = 0.0
        for index, (text, spec) in enumerate(lines):
            default = pdf.base_size + 2 if index == 0 else pdf.base_size
            pdf.style(
                bold=spec.get("bold", False),
                italic=spec.get("italic", False),
                size=float(spec.get("size", default)),
            )
            if dry_run:
                height += pdf.multi_cell(width, pdf.lh, text, dry_run=True, output="HEIGHT")
            else:
                pdf.set_x(x0 + inset)
                pdf.multi_cell(width, pdf.lh, text, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        return height

    text_height = draw(dry_run=True)
    pdf.set_y(y0 + max(0.0, (qr_size - text_height) / 2) if payload else y0)
    draw(dry_run=False)
    bottom = pdf.get_y()
    if payload:
        pdf.image(qr_png(payload), x=x0 + pdf.epw - qr_size, y=y0, w=qr_size, h=qr_size)
        bottom = max(bottom, y0 + qr_size)
    pdf.set_xy(x0, bottom + float(block.get("space_after", 3)))


def _paragraph(pdf: FormPDF, block: Mapping[str, Any], ctx: _Context) -> None:
    text = ctx.fill(block.get("text", ""), block)
    if not text.strip():
        return
    pdf.style(
        bold=block.get("bold", False),
        italic=block.get("italic", False),
        size=block.get("size"),
    )
    pdf.set_x(pdf.l_margin)
    align = block.get("align", "J")
    pdf.multi_cell(0, pdf.lh, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(float(block.get("space_after", 1)))


def _fields(pdf: FormPDF, block: Mapping[str, Any], ctx: _Context) -> None:
    size = block.get("size")
    for item in block.get("items", []):
        parts = []
        for part in item.get("row", [item]):
            label = ctx.fill(part.get("label", ""))
            value = ctx.fill(part.get("value", ""), part)
            if part.get("optional") and not value.strip():
                continue
            parts.append((label, value, part))
        if not parts:
            continue
        pdf.set_x(pdf.l_margin)
        for index, (label, value, part) in enumerate(parts):
            pdf.style(size=size)
            if index:
                pdf.write(pdf.lh, "    ")
            if label:
                pdf.style(bold=part.get("label_bold", False), size=size)
                pdf.write(pdf.lh, label + (" " if value else ""))
            if value:
                pdf.style(bold=part.get("bold", False), size=size)
                pdf.write(pdf.lh, value)
        pdf.ln(pdf.lh)
    pdf.ln(float(block.get("space_after", 1)))


def _empty(pdf: FormPDF, block: Mapping[str, Any], ctx: _Context) -> None:
    if block.get("empty_text"):
        _paragraph(pdf, {"text": block["empty_text"], "italic": True}, ctx)


def _table(pdf: FormPDF, block: Mapping[str, Any], ctx: _Context) -> None:
    rows = ctx.data[block["source"]]
    if not rows:
        _empty(pdf, block, ctx)
        return
    columns = block["columns"]
    size = float(block.get("font_size", pdf.base_size - 1))
    pdf.style(size=size)
    with pdf.table(
        col_widths=[float(column.get("width", 1)) for column in columns],
        width=pdf.epw,
        line_height=pdf.lh,
        first_row_as_headings=True,
        repeat_headings=1,
        headings_style=FontFace(emphasis="BOLD", size_pt=size),
        text_align="LEFT",
        padding=(0.8, 1.0),
    ) as table:
        heading = table.row()
        for column in columns:
            heading.cell(ctx.fill(column.get("title", "")), align="C")
        for index, row in enumerate(rows, start=1):
            scope = row_scope(row, index)
            cells = table.row()
            for column in columns:
                cells.cell(_cell_text(ctx, column, scope), align=column.get("align", "L"))
    pdf.ln(float(block.get("space_after", 2)))


def _cell_text(ctx: _Context, column: Mapping[str, Any], scope: Mapping[str, Any]) -> str:
    text = ctx.fill(column.get("value", ""), column, scope=scope)
    choices = column.get("choices")
    if choices is None:
        return text
    if text not in choices:
        key = column.get("value", "")
        raise ValueError(BAD_CHOICE.format(value=text, key=key, choices=", ".join(choices)))
    return fill(choices[text], scope)


def _list(pdf: FormPDF, block: Mapping[str, Any], ctx: _Context) -> None:
    items = ctx.data[block["source"]]
    if not items:
        _empty(pdf, block, ctx)
        return
    indent = float(block.get("indent", 4))
    marker_width = float(block.get("marker_width", 6))
    pdf.style(size=block.get("size"))
    for index, item in enumerate(items, start=1):
        scope = row_scope(item, index)
        marker = ctx.fill(block.get("marker", "{n}."), scope=scope)
        text = ctx.fill(block.get("item", "{item}"), block, scope=scope)
        if pdf.get_y() + pdf.lh > pdf.page_break_trigger:
            pdf.add_page()
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(marker_width, pdf.lh, marker)
        pdf.multi_cell(
            pdf.epw - indent - marker_width,
            pdf.lh,
            text,
            align=block.get("align", "J"),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.ln(float(block.get("space_after", 1)))


def _signatures(pdf: FormPDF, block: Mapping[str, Any], ctx: _Context) -> None:
    columns = block.get("columns", [])
    if not columns:
        return
    width = pdf.epw / max(len(columns), 2)
    # One signer signs on the right half, as on the official forms.
    first_x = pdf.l_margin + (width if len(columns) == 1 else 0)
    space = float(block.get("space", 18))
    pdf.style(bold=True)
    needed = float(block.get("space_before", 3)) + 4 * pdf.lh + space
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    y0 = pdf.get_y() + float(block.get("space_before", 3))
    bottom = y0
    for index, column in enumerate(columns):
        x = first_x + index * width
        pdf.set_xy(x, y0)
        for key, style, gap in (("role", {"bold": True}, 0.0), ("note", {"italic": True}, space)):
            text = ctx.fill(column.get(key, ""), column if key == "role" else None)
            if text:
                pdf.style(**style)
                pdf.set_x(x)
                pdf.multi_cell(width, pdf.lh, text, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
            pdf.set_y(pdf.get_y() + gap)
        name = ctx.fill(column.get("name", ""))
        if name:
            pdf.style(bold=True)
            pdf.set_x(x)
            pdf.multi_cell(width, pdf.lh, name, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(pdf.l_margin, bottom + float(block.get("space_after", 2)))


def _space(pdf: FormPDF, block: Mapping[str, Any], ctx: _Context) -> None:
    pdf.ln(float(block.get("height", 3)))


_DRAWERS: dict[str, Callable[[FormPDF, Mapping[str, Any], _Context], None]] = {
    "header": _header,
    "title": _title,
    "paragraph": _paragraph,
    "fields": _fields,
    "table": _table,
    "list": _list,
    "signatures": _signatures,
    "space": _space,
}


def render_form(form: str, data: Mapping[str, Any], *, on: dt.date | None = None) -> bytes:
    """Renders one of FORM_CODES filled with `data` as PDF bytes.

    The template is the newest one in force on `on` (default: today in Asia/Ho_Chi_Minh).
    Raises ValueError for an unknown form, for data keys the template needs but `data` lacks
    (all named at once), for a naive datetime and for a value outside a column's choices.
    """
    if on is None:
        on = dt.datetime.now(LOCAL_TZ).date()
    elif isinstance(on, dt.datetime):
        on = on.astimezone(LOCAL_TZ).date()
    template = find_template(form, on)
    missing = missing_keys(template, data)
    if missing:
        raise ValueError(MISSING_KEYS.format(form=form, keys=", ".join(missing)))
    ctx = _Context(template, data)
    pdf = FormPDF(template)
    spec = template.spec
    pdf.set_title(f"{spec['form_number']}: {spec['title']}")
    pdf.set_subject(spec["legal_note"])
    if "agency_name" in data:
        pdf.set_author(str(data["agency_name"]))
    pdf.add_page()
    _form_number(pdf, ctx)
    try:
        for block in template.blocks:
            _DRAWERS[block["type"]](pdf, block, ctx)
    except MissingKeyError as exc:  # a placeholder the up-front check cannot see
        raise ValueError(MISSING_KEYS.format(form=form, keys=exc.key)) from exc
    return bytes(pdf.output())
