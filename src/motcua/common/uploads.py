"""Checking uploaded files by their content, not their name: type, size, PDF scripts, names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from motcua.common.errors import ApiError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": "pdf", "jpg": "jpeg", "jpeg": "jpeg", "png": "png"}
# Names of PDF features that run code or open things when the file is viewed.
PDF_ACTIVE_CONTENT = (
    b"/JavaScript",
    b"/JS",
    b"/Launch",
    b"/EmbeddedFile",
    b"/OpenAction",
    b"/AA",
    b"/RichMedia",
    b"/XFA",
)
_UNSAFE_NAME = re.compile(r"[\x00-\x1f/\\:*?\"<>|]")


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    safe_name: str
    size: int


def _reject(code: str, vi: str, en: str, name: str) -> ApiError:
    return ApiError(code, vi, en, errors=[{"field": name, "message": en}])


def safe_filename(name: str) -> str:
    """A name with no directory part, control or reserved characters; Vietnamese letters kept."""
    name = unicodedata.normalize("NFC", name).strip()
    if (
        not name
        or "/" in name
        or "\\" in name
        or name.startswith(".")
        or ".." in name
        or _UNSAFE_NAME.search(name)
    ):
        raise _reject(
            "unsafe_filename",
            f"Tên tệp “{name[:80]}” không hợp lệ.",
            f"File name “{name[:80]}” is not allowed.",
            name[:80],
        )
    return name[:200]


def check_upload(
    name: str,
    content: bytes,
    *,
    allowed: tuple[str, ...] = ("pdf", "jpeg", "png"),
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> CheckedFile:
    """Raise ApiError unless `content` really is an allowed type matching its extension."""
    safe = safe_filename(name)
    if len(content) > max_bytes:
        raise _reject(
            "file_too_large",
            f"Tệp “{safe}” lớn hơn {max_bytes // (1024 * 1024)} MB.",
            f"File “{safe}” is larger than {max_bytes // (1024 * 1024)} MB.",
            safe,
        )
    if not content:
        raise _reject("file_empty", f"Tệp “{safe}” rỗng.", f"File “{safe}” is empty.", safe)
    kind = next((k for k, magic in SIGNATURES.items() if content.startswith(magic)), None)
    claimed = EXTENSIONS.get(safe.rsplit(".", 1)[-1].lower()) if "." in safe else None
    if kind is None or kind not in allowed or claimed != kind:
        raise _reject(
            "file_type_mismatch",
            f"Tệp “{safe}” không phải PDF, JPEG hoặc PNG đúng như tên tệp.",
            f"File “{safe}” is not a PDF, JPEG or PNG matching its name.",
            safe,
        )
    if kind == "pdf" and any(marker in content for marker in PDF_ACTIVE_CONTENT):
        raise _reject(
            "pdf_active_content",
            f"Tệp PDF “{safe}” chứa mã lệnh (JavaScript) hoặc tệp nhúng; không nhận.",
            f"PDF “{safe}” contains scripts or embedded files; not accepted.",
            safe,
        )
    return CheckedFile(
        kind=kind, content_type=CONTENT_TYPES[kind], safe_name=safe, size=len(content)
    )
