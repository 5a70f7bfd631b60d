"""Real files for upload tests: uploads are parsed (PDF) and re-encoded (images), so fakes fail."""

from __future__ import annotations

import io

from PIL import Image

_PAGE = (
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
)


def one_page_pdf(comment: bytes = b"") -> bytes:
    """A one-page PDF a parser opens; `comment` tells two such files apart."""
    return b"%PDF-1.4\n" + (b"% " + comment + b"\n" if comment else b"") + _PAGE


def small_png() -> bytes:
    """A real 4×4 PNG."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()
