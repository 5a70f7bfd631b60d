"""PDFs are judged by their parsed object tree, not by grepping bytes.

The byte search refused ordinary files (Chrome's font names start `/AAAAAA+`, fpdf2 writes an
/OpenAction destination, raw scan pixels can spell `/JS`) and let through a script whose names
were hex-escaped (`/J#61vaScript`), which every parser reads back as JavaScript.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import zlib

import pikepdf
import pytest
from fpdf import FPDF
from PIL import Image

from motcua.common.errors import ApiError
from motcua.common.uploads import check_upload


def _pdf_from_objects(*objects: bytes) -> bytes:
    """A well-formed PDF (real cross-reference table) from the bodies of objects 1..n."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def fpdf2_form() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="To khai dang ky khai sinh - Phuong Le Chan, Hai Phong")
    return bytes(pdf.output())


def pillow_scan() -> bytes:
    """What a scanner app writes: one JPEG page per sheet (Pillow's PDF writer)."""
    page = Image.effect_noise((850, 1100), 40).convert("RGB")
    out = io.BytesIO()
    page.save(out, "PDF", resolution=100)
    return out.getvalue()


def raw_pixel_scan() -> bytes:
    """A gray scan stored as uncompressed samples; the pixel bytes happen to spell names."""
    rng = random.Random(31)
    width, height = 200, 200
    pixels = bytearray(rng.randrange(256) for _ in range(width * height))
    pixels[5000:5020] = b"/JavaScript /JS /AA "
    return _pdf_from_objects(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
        b"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 200 /Height 200 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n"
        % len(pixels)
        + bytes(pixels)
        + b"\nendstream",
        b"<< /Length 26 >>\nstream\nq 200 0 0 200 0 0 cm /Im0 Do Q\nendstream",
    )


def escaped_javascript() -> bytes:
    return _pdf_from_objects(
        b"<< /Type /Catalog /Pages 2 0 R /Open#41ction << /S /J#61vaScript "
        b"/J#53 (app.alert\\('x'\\)) >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    )


def javascript_in_an_object_stream() -> bytes:
    """The script sits in a compressed object stream: no byte search can see it."""
    pdf = pikepdf.open(io.BytesIO(fpdf2_form()))
    action = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    )
    pdf.Root.OpenAction = action
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    return out.getvalue()


def link_annotation_launching_a_program() -> bytes:
    return _pdf_from_objects(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [<< /Type /Annot "
        b"/Subtype /Link /Rect [0 0 595 842] /A << /S /L#61unch /F (cmd.exe) >> >>] >>",
    )


def attached_file() -> bytes:
    pdf = pikepdf.open(io.BytesIO(fpdf2_form()))
    pdf.attachments["hoa-don.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00")
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def chrome_print(tmp_path) -> bytes:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    page = tmp_path / "to-khai.html"
    page.write_text(
        '<html lang="vi"><body style="font-family: DejaVu Sans">'
        "<h1>Tờ khai đăng ký khai sinh</h1><p>Họ và tên: Nguyễn Thị Ngữ, "
        'phường Lê Chân, Hải Phòng. <a href="https://dichvucong.gov.vn/">Cổng DVC</a></p>'
        "</body></html>",
        encoding="utf-8",
    )
    target = tmp_path / "to-khai.pdf"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return target.read_bytes()


@pytest.mark.parametrize(
    ("producer", "marker"),
    [
        (fpdf2_form, b"/OpenAction"),
        (raw_pixel_scan, b"/JavaScript"),
        (pillow_scan, None),
    ],
)
def test_ordinary_pdfs_are_accepted(producer, marker):
    content = producer()
    if marker:
        assert marker in content  # what the byte search refused
    checked = check_upload("to-khai.pdf", content)
    assert checked.kind == "pdf" and checked.content == content


@pytest.mark.skipif(
    not shutil.which("chromium"), reason="needs Chromium (scripts/test.sh installs)"
)
def test_chrome_save_as_pdf_is_accepted(tmp_path):
    content = chrome_print(tmp_path)
    assert b"/AA" in content  # the subset font prefix, /AAAAAA+DejaVuSans…
    assert check_upload("to-khai.pdf", content).kind == "pdf"


@pytest.mark.parametrize(
    "producer",
    [
        escaped_javascript,
        javascript_in_an_object_stream,
        link_annotation_launching_a_program,
        attached_file,
    ],
)
def test_active_content_is_found_however_it_is_written(producer):
    content = producer()
    with pytest.raises(ApiError) as refused:
        check_upload("to-khai.pdf", content)
    assert refused.value.code == "pdf_active_content"
    assert "JavaScript" in refused.value.message


def test_a_damaged_pdf_is_refused_with_its_own_reason():
    broken = zlib.compress(b"not a pdf at all")
    with pytest.raises(ApiError) as refused:
        check_upload("to-khai.pdf", b"%PDF-1.4\n" + broken)
    assert refused.value.code == "pdf_unreadable"
