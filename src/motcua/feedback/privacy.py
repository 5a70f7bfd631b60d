"""Keeping senders' personal data out of what is published: masking phone numbers, emails and
ID numbers in public text, and stripping location and camera data from photos."""

from __future__ import annotations

import re
from collections.abc import Iterable

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


# Photos lose their location and camera data in common.uploads.check_upload, which re-encodes
# every JPEG and PNG it accepts (reencode_image).
