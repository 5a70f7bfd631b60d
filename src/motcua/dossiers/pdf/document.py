"""The PDF page of a form: paper, margins, the shipped DejaVu fonts, page numbers, QR codes."""

from __future__ import annotations

import io

import qrcode
from fpdf import FPDF
from qrcode.constants import ERROR_CORRECT_M

from motcua.common.pdffonts import FONT_FAMILY, add_fonts

from .loader import FormTemplate

DEFAULT_FONT_SIZE = 10.0
DEFAULT_MARGINS_MM = (10.0, 10.0, 12.0, 15.0)  # top, right, bottom, left (left wider: binding)
LINE_SPACING = 1.25


class FormPDF(FPDF):
    """An FPDF page set up from a template's `page` block, with our fonts loaded."""

    def __init__(self, template: FormTemplate, *, page_numbers: bool = False) -> None:
        page = template.spec["page"]
        super().__init__(
            orientation="L" if template.landscape else "P",
            unit="mm",
            format=template.page_size_mm,
        )
        top, right, bottom, left = page.get("margins", DEFAULT_MARGINS_MM)
        self.set_margins(left=left, top=top, right=right)
        self.set_auto_page_break(auto=True, margin=bottom)
        add_fonts(self)
        self.base_size = float(template.spec.get("font_size", DEFAULT_FONT_SIZE))
        self.page_numbers = page_numbers
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


def qr_png(payload: str) -> io.BytesIO:
    """The payload as a black-on-white QR code, PNG in memory."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(payload)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    buffer.seek(0)
    return buffer
