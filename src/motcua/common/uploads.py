"""Checking uploaded files by their content, not their name: type, size, names; PDFs parsed
(pikepdf) and refused when they would run code or carry files; photos re-encoded (Pillow) so
no location, camera data or appended image survives; uploads read no further than the limit."""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from dataclasses import dataclass
from typing import Any, Protocol

import pikepdf
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from motcua.common.errors import ApiError, Message

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# A photo or scan larger than this many pixels is refused before it is decoded (a small file
# can decode to gigabytes: a "decompression bomb").
MAX_IMAGE_PIXELS = 50_000_000
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": "pdf", "jpg": "jpeg", "jpeg": "jpeg", "png": "png"}
# Dictionary keys that only exist to hold scripts, attached files or XFA forms.
PDF_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/XFA", "/RichMediaContent"}
)
# Action types (/S) that run code, start programs, open other files (a UNC path leaks the
# viewer's Windows credentials) or send form data away. Links (/URI, /GoTo) and the
# destination fpdf2 and others write as /OpenAction are ordinary.
PDF_ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/ImportData",
        "/SubmitForm",
        "/GoToR",
        "/GoToE",
        "/Rendition",
        "/RichMediaExecute",
        "/Movie",
        "/Sound",
    }
)
PDF_ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/Filespec"})
PDF_ACTIVE_SUBTYPES = frozenset({"/RichMedia", "/FileAttachment", "/Movie", "/Sound", "/Screen"})
_UNSAFE_NAME = re.compile(r"[\x00-\x1f/\\:*?\"<>|]")
_EXIF_ORIENTATION = 0x0112


class Upload(Protocol):
    """What Django's UploadedFile (and django-ninja's) offers."""

    # Read-only members: Django's UploadedFile computes `size`.
    @property
    def name(self) -> str | None: ...
    @property
    def size(self) -> int | None: ...

    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    safe_name: str
    size: int
    # What to store: the PDF as sent, an image re-encoded without its metadata.
    content: bytes


def _reject(code: str, message: Message, field: str, /, **values: Any) -> ApiError:
    # The file's name is the field: a form with several files marks the one refused.
    return ApiError(code, message, field_name=field, **values)


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
            "unsafe_filename", _("File name “{name}” is not allowed."), name[:80], name=name[:80]
        )
    return name[:200]


def _too_large(safe: str, max_bytes: int) -> ApiError:
    megabytes = f"{max_bytes / (1024 * 1024):g}"
    return _reject(
        "file_too_large",
        _("File “{safe}” is larger than {megabytes} MB."),
        safe,
        safe=safe,
        megabytes=megabytes,
    )


def read_upload(upload: Upload, *, max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    """The upload's bytes, never reading more than `max_bytes` + 1 of them.

    A file larger than the limit is refused from its recorded size without being read."""
    safe = safe_filename(upload.name or "")
    if upload.size is not None and upload.size > max_bytes:
        raise _too_large(safe, max_bytes)
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise _too_large(safe, max_bytes)
    return content


def pdf_active_feature(pdf: pikepdf.Pdf) -> str | None:
    """The first script, launch, attachment or XFA feature in the parsed object tree.

    Every object the cross-reference table knows (those packed in object streams too) is
    visited, with the direct dictionaries and arrays inside it; names are compared as the
    parser decoded them, so `/J#61vaScript` is `/JavaScript`. Stream data (pages, fonts,
    images) is content, not structure, and is not searched."""
    stack: list[Any] = [pdf.trailer, *pdf.objects]
    while stack:
        item = stack.pop()
        kind = item._type_code
        if kind == pikepdf.ObjectType.array:
            stack.extend(c for c in item if isinstance(c, pikepdf.Object) and not c.is_indirect)
            continue
        if kind == pikepdf.ObjectType.stream:
            item = item.stream_dict
        elif kind != pikepdf.ObjectType.dictionary:
            continue
        for key in item.keys():  # noqa: SIM118 - pikepdf dictionaries iterate differently
            if key in PDF_ACTIVE_KEYS:
                return key
            value = item.get(key)
            if key in ("/S", "/Type", "/Subtype") and isinstance(value, pikepdf.Name):
                name = str(value)
                if (
                    (key == "/S" and name in PDF_ACTIVE_ACTIONS)
                    or (key == "/Type" and name in PDF_ACTIVE_TYPES)
                    or (key == "/Subtype" and name in PDF_ACTIVE_SUBTYPES)
                ):
                    return name
            elif isinstance(value, pikepdf.Object) and not value.is_indirect:
                stack.append(value)
    return None


def _check_pdf(safe: str, content: bytes) -> None:
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            feature = pdf_active_feature(pdf)
    except pikepdf.PasswordError as exc:
        raise _reject(
            "pdf_encrypted",
            _("PDF “{safe}” is password-protected; send a copy without a password."),
            safe,
            safe=safe,
        ) from exc
    except pikepdf.PdfError as exc:
        raise _reject(
            "pdf_unreadable", _("PDF “{safe}” is damaged or cannot be read."), safe, safe=safe
        ) from exc
    if feature is not None:
        raise _reject(
            "pdf_active_content",
            _("PDF “{safe}” contains scripts, launch actions or embedded files; not accepted."),
            safe,
            safe=safe,
        )


class UnreadableImage(ValueError):
    """The bytes start like a JPEG or PNG but do not decode as one."""


def reencode_image(kind: str, content: bytes) -> bytes:
    """The picture decoded and encoded afresh: no EXIF (GPS position, camera, time), XMP,
    IPTC, comments, text chunks, or anything appended after the image (a second JPEG with
    its own GPS block survived segment-stripping). A JPEG keeps its quantisation tables, so
    it loses no quality, and its orientation, so phone photos do not turn on their side; the
    colour profile stays. Raises UnreadableImage for anything Pillow cannot fully decode."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content), formats=["JPEG" if kind == "jpeg" else "PNG"])
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise UnreadableImage("too many pixels")
            image.load()
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError, EOFError) as exc:
        raise UnreadableImage(str(exc)) from exc
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise UnreadableImage("too many pixels") from exc
    # Pillow writes back what it read into `info` (a JPEG's comment, for one): start clean.
    icc = image.info.get("icc_profile")
    transparency = image.info.get("transparency")
    image.info = {}
    out = io.BytesIO()
    extra: dict[str, Any] = {"icc_profile": icc} if icc else {}
    if kind == "jpeg":
        orientation = image.getexif().get(_EXIF_ORIENTATION)
        if isinstance(orientation, int) and 2 <= orientation <= 8:
            exif = Image.Exif()
            exif[_EXIF_ORIENTATION] = orientation
            extra["exif"] = exif.tobytes()
        try:
            image.save(out, "JPEG", quality="keep", subsampling="keep", **extra)
        except (ValueError, OSError):  # tables Pillow cannot reuse (e.g. arithmetic coding)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=92, **extra)
    else:
        if transparency is not None:
            extra["transparency"] = transparency
        image.save(out, "PNG", **extra)
    return out.getvalue()


def check_upload(
    name: str,
    content: bytes,
    *,
    allowed: tuple[str, ...] = ("pdf", "jpeg", "png"),
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> CheckedFile:
    """Raise ApiError unless `content` really is an allowed type matching its extension and,
    for a PDF, carries no active content; images come back re-encoded in `content`."""
    safe = safe_filename(name)
    if len(content) > max_bytes:
        raise _too_large(safe, max_bytes)
    if not content:
        raise _reject("file_empty", _("File “{safe}” is empty."), safe, safe=safe)
    kind = next((k for k, magic in SIGNATURES.items() if content.startswith(magic)), None)
    claimed = EXTENSIONS.get(safe.rsplit(".", 1)[-1].lower()) if "." in safe else None
    if kind is None or kind not in allowed or claimed != kind:
        raise _reject(
            "file_type_mismatch",
            _("File “{safe}” is not a PDF, JPEG or PNG matching its name."),
            safe,
            safe=safe,
        )
    if kind == "pdf":
        _check_pdf(safe, content)
        stored = content
    else:
        try:
            stored = reencode_image(kind, content)
        except UnreadableImage as exc:
            raise _reject(
                "image_unreadable",
                _("Image “{safe}” is damaged or cannot be read."),
                safe,
                safe=safe,
            ) from exc
    return CheckedFile(
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        safe_name=safe,
        size=len(stored),
        content=stored,
    )
