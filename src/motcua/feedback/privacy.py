"""Keeping senders' personal data out of what is published: masking phone numbers, emails and
ID numbers in public text, and stripping location and camera data from photos."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

MASK = "[đã ẩn]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Vietnamese phone numbers: 0 or +84 / 84 then 8–10 digits, spaces, dots or dashes between.
_PHONE = re.compile(r"(?<![\w+])(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
# Citizen ID (12 digits) and the older identity card (9 digits).
_ID_NUMBER = re.compile(r"(?<!\d)(?:\d{12}|\d{9})(?!\d)")


def redact(text: str, known: Iterable[str] = ()) -> str:
    """`text` with emails, phone numbers, ID numbers and the `known` values masked."""
    if not text:
        return text
    for value in sorted({v.strip() for v in known if v and len(v.strip()) >= 4}, key=len)[::-1]:
        text = re.sub(re.escape(value), MASK, text, flags=re.IGNORECASE)
    text = _EMAIL.sub(MASK, text)
    text = _PHONE.sub(MASK, text)
    return _ID_NUMBER.sub(MASK, text)


def contains_personal_data(text: str, known: Iterable[str]) -> list[str]:
    """Which of the `known` values (phone, email, ID number) appear in `text`."""
    folded = text.lower()
    digits = re.sub(r"\D", "", text)
    found = []
    for value in known:
        value = (value or "").strip()
        if len(value) < 4:
            continue
        value_digits = re.sub(r"\D", "", value)
        if value.lower() in folded or (len(value_digits) >= 8 and value_digits in digits):
            found.append(value)
    return found


# --- photos ------------------------------------------------------------------------------------

_JPEG_KEEP_APP = {0xE0, 0xE2, 0xEE}  # JFIF, ICC colour profile, Adobe colour transform
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
_EXIF_ORIENTATION = 0x0112


class UnreadableImage(ValueError):
    pass


def strip_photo_metadata(kind: str, content: bytes) -> bytes:
    """The image without EXIF (GPS position, camera, time), XMP, IPTC or text chunks.

    A JPEG keeps only its orientation, so phone photos are not shown on their side.
    Raises UnreadableImage when the file's structure is broken.
    """
    if kind == "jpeg":
        return _strip_jpeg(content)
    if kind == "png":
        return _strip_png(content)
    return content


def _orientation(tiff: bytes) -> int | None:
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return None
    order: Literal["little", "big"] = "little" if tiff[:2] == b"II" else "big"
    ifd = int.from_bytes(tiff[4:8], order)
    if ifd + 2 > len(tiff):
        return None
    count = int.from_bytes(tiff[ifd : ifd + 2], order)
    for index in range(count):
        entry = ifd + 2 + 12 * index
        if entry + 12 > len(tiff):
            return None
        if int.from_bytes(tiff[entry : entry + 2], order) == _EXIF_ORIENTATION:
            value = int.from_bytes(tiff[entry + 8 : entry + 10], order)
            return value if 1 <= value <= 8 else None
    return None


def _orientation_segment(orientation: int) -> bytes:
    tiff = (
        b"MM\x00\x2a"
        + (8).to_bytes(4, "big")
        + (1).to_bytes(2, "big")
        + _EXIF_ORIENTATION.to_bytes(2, "big")
        + (3).to_bytes(2, "big")  # SHORT
        + (1).to_bytes(4, "big")
        + orientation.to_bytes(2, "big")
        + b"\x00\x00"
        + (0).to_bytes(4, "big")
    )
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload


def _strip_jpeg(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise UnreadableImage("not a JPEG")
    leading: list[bytes] = []  # APP0 segments that must stay first
    rest: list[bytes] = []
    orientation: int | None = None
    position = 2
    while True:
        if position >= len(data) or data[position] != 0xFF:
            raise UnreadableImage("broken JPEG marker")
        while position < len(data) and data[position] == 0xFF:
            position += 1
        if position >= len(data):
            raise UnreadableImage("truncated JPEG")
        marker = data[position]
        position += 1
        if marker == 0xD9:  # end of image before any scan
            rest.append(b"\xff\xd9")
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            rest.append(bytes((0xFF, marker)))
            continue
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2 or position + length > len(data):
            raise UnreadableImage("truncated JPEG segment")
        segment = bytes((0xFF, marker)) + data[position : position + length]
        payload = data[position + 2 : position + length]
        position += length
        if marker == 0xDA:  # start of scan: the compressed image follows, copied as it is
            rest.append(segment + data[position:])
            break
        if marker == 0xE1:
            if payload.startswith(b"Exif\x00\x00"):
                orientation = _orientation(payload[6:]) or orientation
            continue
        if marker == 0xFE or (0xE0 <= marker <= 0xEF and marker not in _JPEG_KEEP_APP):
            continue
        (leading if marker == 0xE0 and not rest else rest).append(segment)
    exif = [_orientation_segment(orientation)] if orientation and orientation != 1 else []
    return b"".join([b"\xff\xd8", *leading, *exif, *rest])


def _strip_png(data: bytes) -> bytes:
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        raise UnreadableImage("not a PNG")
    out = [signature]
    position = len(signature)
    while position < len(data):
        if position + 12 > len(data):
            raise UnreadableImage("truncated PNG chunk")
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            raise UnreadableImage("truncated PNG chunk")
        if kind not in _PNG_DROP:
            out.append(data[position:end])
        position = end
        if kind == b"IEND":
            break
    return b"".join(out)
