"""Draws a form template's blocks filled with a dossier's data: `render_form`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.utils import timezone
from fpdf import FontFace
from fpdf.enums import XPos, YPos

from .document import FormPDF, qr_png
from .formatting import MissingKeyError, fill
from .loader import MISSING_KEYS, FormTemplate, find_template, missing_keys, row_scope

MIN_FIT_SIZE = 6.5  # pt: the smallest a header line shrinks to before it wraps
BAD_CHOICE = "Value {value!r} of {key!r} is not one of: {choices}."


class _Context:
    def __init__(self, template: FormTemplate, data: Mapping[str, Any]) -> None:
        self.template = template
        self.data = data

    def fill(self, text: str, spec: Mapping[str, Any] | None = None, scope: Any = None) -> str:
        result = fill(text, self.data if scope is None else scope)
        return result.upper() if spec and spec.get("upper") else result


def _form_number(pdf: FormPDF, ctx: _Context) -> None:
    pdf.style(bold=True, size=pdf.base_size - 1)
    pdf.cell(0, pdf.lh, ctx.template.spec["form_number"], align="R")
    pdf.ln(pdf.lh)


def _header(pdf: FormPDF, block: Mapping[str, Any], ctx: _Context) -> None:
    x0, y0 = pdf.l_margin, pdf.get_y()
    left_width = pdf.epw * float(block.get("left_width", 0.46))
    size = float(block.get("size", pdf.base_size - 0.5))
    bottoms = [
        _header_column(pdf, ctx, x0, left_width, y0, block.get("left", []), size),
        _header_column(
            pdf, ctx, x0 + left_width, pdf.epw - left_width, y0, block.get("right", []), size
        ),
    ]
    pdf.set_xy(x0, max(bottoms) + float(block.get("space_after", 3)))


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
            pdf.line(x + (width - rule) / 2, y + 1.0, x + (width + rule) / 2, y + 1.0)
            y += 2.5
            continue
        text = ctx.fill(line["text"], line)
        if not text.strip():
            continue
        line_size = float(line.get("size", size))
        pdf.style(bold=line.get("bold", False), italic=line.get("italic", False), size=line_size)
        while (
            line.get("fit") and pdf.get_string_width(text) > width - 2 and line_size > MIN_FIT_SIZE
        ):
            line_size -= 0.25
            pdf.set_font_size(line_size)
        pdf.set_xy(x, y)
        pdf.multi_cell(width, pdf.lh, text, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        last_width = min(pdf.get_string_width(text), width - 2)
        y = pdf.get_y()
    return y


def _balanced(pdf: FormPDF, text: str, width: float) -> str:
    """A title that needs two lines, broken where both halves are nearly as wide.

    A title with its own line breaks is left as written.
    """
    available = width - 2 * pdf.c_margin
    words = text.split()
    if "\n" in text or pdf.get_string_width(text) <= available or len(words) < 2:
        return text
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    fitting = [s for s in splits if max(map(pdf.get_string_width, s)) <= available]
    if not fitting:
        return text  # three lines or more: leave it to multi_cell
    return "\n".join(min(fitting, key=lambda s: max(map(pdf.get_string_width, s))))


def _title(pdf: FormPDF, block: Mapping[str, Any], ctx: _Context) -> None:
    x0, y0 = pdf.l_margin, pdf.get_y()
    payload = ctx.fill(block["qr"]) if block.get("qr") else ""
    qr_size = float(block.get("qr_size", 18))
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
            default = pdf.base_size + 1.5 if index == 0 else pdf.base_size
            pdf.style(
                bold=spec.get("bold", False),
                italic=spec.get("italic", False),
                size=float(spec.get("size", default)),
            )
            text = _balanced(pdf, text, width)
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
        align="LEFT",
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
    return str(choices[text])


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


_SignatureStack = list[tuple[str, dict[str, bool], float]]  # (text, style, space after) lines


def _signatures(pdf: FormPDF, block: Mapping[str, Any], ctx: _Context) -> None:
    columns = block.get("columns", [])
    if not columns:
        return
    width = pdf.epw / max(len(columns), 2)
    # One signer signs on the right half, as on the official forms.
    first_x = pdf.l_margin + (width if len(columns) == 1 else 0)
    space = float(block.get("space", 15))
    stacks = [
        [
            (ctx.fill(column.get("role", ""), column), {"bold": True}, 0.0),
            (ctx.fill(column.get("note", "")), {"italic": True}, space),
            (ctx.fill(column.get("name", "")), {"bold": True}, 0.0),
        ]
        for column in columns
    ]

    def draw(x: float, y: float, stack: _SignatureStack, dry: bool) -> float:
        for text, style, gap in stack:
            if text:
                pdf.style(**style)
                if dry:
                    y += pdf.multi_cell(width, pdf.lh, text, dry_run=True, output="HEIGHT")
                else:
                    pdf.set_xy(x, y)
                    pdf.multi_cell(width, pdf.lh, text, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
                    y = pdf.get_y()
            y += gap
        return y

    space_before = float(block.get("space_before", 3))
    needed = space_before + max(draw(0, 0, stack, dry=True) for stack in stacks)
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    y0 = pdf.get_y() + space_before
    bottom = max(
        draw(first_x + index * width, y0, stack, dry=False) for index, stack in enumerate(stacks)
    )
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

    The template is the newest one in force on `on` (default: today in the province's time zone).
    Raises ValueError for an unknown form, for data keys the template needs but `data` lacks
    (all named at once), for a naive datetime and for a value outside a column's choices.
    """
    if on is None:
        on = timezone.localdate(timezone=timezone.get_default_timezone())
    elif isinstance(on, dt.datetime):
        on = timezone.localdate(on, timezone=timezone.get_default_timezone())
    template = find_template(form, on)
    missing = missing_keys(template, data)
    if missing:
        raise ValueError(MISSING_KEYS.format(form=form, keys=", ".join(missing)))
    numbers = template.spec["page"].get("numbers", "auto")
    pdf = _draw(template, data, page_numbers=numbers is True)
    if numbers == "auto" and pdf.pages_count > 1:
        # Only now do we know the slip runs over a page: draw it again, numbered.
        pdf = _draw(template, data, page_numbers=True)
    return bytes(pdf.output())


def _draw(template: FormTemplate, data: Mapping[str, Any], *, page_numbers: bool) -> FormPDF:
    ctx = _Context(template, data)
    pdf = FormPDF(template, page_numbers=page_numbers)
    spec = template.spec
    pdf.set_title(f"{spec['form_number']}: {' '.join(spec['title'].split())}")
    pdf.set_subject(spec["legal_note"])
    if "agency_name" in data:
        pdf.set_author(str(data["agency_name"]))
    pdf.add_page()
    _form_number(pdf, ctx)
    try:
        for block in template.blocks:
            _DRAWERS[block["type"]](pdf, block, ctx)
    except MissingKeyError as exc:  # a placeholder the up-front check cannot see
        raise ValueError(MISSING_KEYS.format(form=template.form, keys=exc.key)) from exc
    return pdf
