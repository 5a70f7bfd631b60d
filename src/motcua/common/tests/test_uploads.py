"""Uploads are judged by their bytes: a renamed file, a PDF with a script or a path is refused."""

import pytest

from motcua.common.errors import ApiError
from motcua.common.uploads import check_upload

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


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
    assert checked.kind == kind and checked.safe_name == name and checked.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("to-khai.pdf", PNG, "file_type_mismatch"),  # a picture renamed .pdf
        ("virus.exe.pdf", b"MZ\x90\x00", "file_type_mismatch"),
        ("bao-cao.docx", PDF, "file_type_mismatch"),
        (
            "khai-sinh.pdf",
            PDF.replace(b"/Type /Catalog", b"/OpenAction << /JS (app.alert(1)) >>"),
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
