"""The DejaVu fonts every PDF of the platform is set in (they carry Vietnamese): the printed
forms, the index report, the demo's sample documents."""

from __future__ import annotations

import logging
from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVuSerifCondensed"
FONT_FILES = {
    "": "DejaVuSerifCondensed.ttf",
    "B": "DejaVuSerifCondensed-Bold.ttf",
    "I": "DejaVuSerifCondensed-Italic.ttf",
}

# fpdf2 subsets fonts with fontTools, which logs every glyph at INFO; keep a project's INFO logs
# readable unless someone configured that logger on purpose.
_SUBSET_LOGGER = logging.getLogger("fontTools.subset")
if _SUBSET_LOGGER.level == logging.NOTSET:
    _SUBSET_LOGGER.setLevel(logging.WARNING)


def add_fonts(pdf: FPDF, family: str = FONT_FAMILY) -> None:
    """Register the regular, bold and italic faces on `pdf` under `family`."""
    for style, filename in FONT_FILES.items():
        pdf.add_font(family, style, str(FONT_DIR / filename))
