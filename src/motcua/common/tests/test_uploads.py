"""Uploads are judged by their bytes: a renamed file, a PDF with a script or a path is refused."""

import io

import pytest
from PIL import Image

from motcua.common.errors import ApiError
from motcua.common.uploads import check_upload

# a one-page PDF that a parser opens (uploads are parsed, not grepped)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
)


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 90, 160)).save(out, fmt)
    return out.getvalue()


PNG = _image("PNG")
JPEG = _image("JPEG")


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("Tờ khai đăng ký khai sinh.pdf", PDF, "pdf"),
        ("giấy chứng sinh.PNG", PNG, "png"),
        ("ảnh chụp CCCD.jpg", JPEG, "jpeg"),
    ],
)
def test_real_files_pass(name, content, kind):
    checked = check_upload(name, content)
    assert (
        checked.kind == kind and checked.safe_name == name and checked.size == len(checked.content)
    )


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("to-khai.pdf", PNG, "file_type_mismatch"),  # a picture renamed .pdf
        ("virus.exe.pdf", b"MZ\x90\x00", "file_type_mismatch"),
        ("bao-cao.docx", PDF, "file_type_mismatch"),
        (
            "khai-sinh.pdf",
            PDF.replace(
                b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"
            ),
            "pdf_active_content",
        ),
        ("../../etc/passwd.pdf", PDF, "unsafe_filename"),
        ("C:\\Users\\a.pdf", PDF, "unsafe_filename"),
        ("trống.pdf", b"", "file_empty"),
    ],
)
def test_bad_files_are_refused_with_a_named_reason(name, content, code):
    with pytest.raises(ApiError) as error:
        check_upload(name, content)
    assert error.value.code == code
    assert error.value.message and error.value.message_en


def test_size_limit():
    with pytest.raises(ApiError) as error:
        check_upload("lon.pdf", PDF + b" " * 2048, max_bytes=1024)
    assert error.value.code == "file_too_large"
