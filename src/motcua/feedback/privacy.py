"""Keeping senders' personal data out of what is published: masking phone, ID, passport, bank
account and licence plate numbers and emails in public text (as people really write them),
telling which kinds a text holds, and stripping location and camera data from photos."""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "[đã ẩn]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Spans never masked, found first: dates, times, money amounts and dossier codes, whose
# digits would otherwise look like phone or account numbers.
_KEEP = re.compile(
    r"""
    \b\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)\d{2}\b          # 15/01/2026, 15-01-2026, 15.01.2026
    | \b(?:19|20)\d{2}-\d{2}-\d{2}(?:[T\s]\d{2}:\d{2}(?::\d{2})?)?  # 2026-01-15, with a time
    | \b\d{1,2}[:h]\d{2}\b                                  # 8:30, 8h30
    | \b\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?\s*(?:đồng|đ|vnđ|vnd|triệu|tỷ|nghìn|ngàn)(?!\w)
    | \b\d+(?:[.,]\d+)?\s*(?:đồng|vnđ|vnd|triệu|tỷ|nghìn|ngàn)(?!\w)
    | \b(?:[A-Z0-9]+\.)*[A-Z0-9]+-\d{6}-\d{3,6}\b              # H31.300.00-260115-0001
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Bank account numbers: 9–16 digits (spaces, dots or dashes between) after a word that says
# so; only the number is masked, so the sentence still reads.
_BANK = re.compile(
    r"""
    (?P<lead>(?:\bSTK|\bTK|\bs[ốo]\s+t[àa]i\s+kho[ảa]n|\bt[àa]i\s+kho[ảa]n|\baccount
      |\b(?:Vietcombank|VCB|BIDV|Agribank|Vietinbank|Techcombank|TCB|MB\s?Bank|MBBank|VPBank
      |ACB|Sacombank|TPBank|SHB|HDBank|VIB|OCB|SeABank|MSB|LienVietPostBank|BVBank))
      (?:\s+(?:ng[âa]n\s+h[àa]ng\s+)?[^\W\d_]{1,12})?\s*(?:s[ốo])?\s*[:.\-]?\s*)
    (?P<number>\d(?:[\s.\-]?\d){8,15})(?!\d)
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Licence plates: 15A-123.45, 29A1-234.56, 15-B1 123.45, 30E-12345, 29A-1234, 15LD-012.34.
_PLATE = re.compile(
    r"(?<![\w.])\d{2}\s?-?\s?[A-Z]{1,2}\d?\s?-?\s?(?:\d{3}\.?\d{2}|\d{4})(?![\w]|[.,]\d)"
)
# Passports: one capital letter and 7 or 8 digits (C1234567, B12345678).
_PASSPORT = re.compile(r"(?<![\w.\-/])[A-Z]\d{7,8}(?![\w]|[.,/\-]\d)")
# Phone candidates: 0, 84 or +84 first, optionally in parentheses, then digits with one
# space, dot, dash or slash between groups; `_phone` keeps only real phone lengths.
_PHONE = re.compile(
    r"(?<![\w+.,/\-])(?:\(\s*(?:\+\s?84|84|0)[\d\s]{0,4}\)|\+\s?84|84|0)"
    r"(?:[\s.\-/]{0,2}\d){6,12}(?![\w]|[.,/\-]\d)"
)
# Citizen ID (12 digits, often in groups of 3 or 4) and the older identity card (9 digits).
_ID_NUMBER = re.compile(
    r"(?<![\w.,/\-])\d(?:\d{8}|\d{11}|(?:[\s.\-]?\d){8}(?![\s.\-]?\d)|(?:[\s.\-]?\d){11})"
    r"(?![\w]|[.,/\-]\d)"
)
# Any other run of 9–16 digits written together: an account or card number.
_LONG_NUMBER = re.compile(r"(?<![\w.,/\-])\d{9,16}(?![\w]|[.,/\-]\d)")

KINDS = ("email", "bank_account", "licence_plate", "passport", "phone", "id_number")


def _phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if digits.startswith("84"):
        digits = "0" + digits[2:]
    # Mobiles: 10 digits (03, 05, 07, 08, 09); landlines: 11 digits (02 and the area code).
    return (len(digits) == 10 and digits[1] in "35789") or (len(digits) == 11 and digits[1] == "2")


_PATTERNS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("email", _EMAIL, ""),
    ("bank_account", _BANK, "number"),
    ("licence_plate", _PLATE, ""),
    ("passport", _PASSPORT, ""),
    ("phone", _PHONE, ""),
    ("id_number", _ID_NUMBER, ""),
    ("bank_account", _LONG_NUMBER, ""),
)


def _mask(text: str, found: set[str] | None = None) -> str:
    """`text` with every pattern masked outside the kept spans; kinds found go to `found`."""
    for kind, pattern, group in _PATTERNS:
        keep = [m.span() for m in _KEEP.finditer(text)]

        def replace(
            match: re.Match[str],
            kind: str = kind,
            group: str = group,
            keep: list[tuple[int, int]] = keep,
        ) -> str:
            start, end = match.span(group or 0)
            if any(start < k_end and k_start < end for k_start, k_end in keep):
                return match.group()
            if kind == "phone" and not _phone(match.group()):
                return match.group()
            if found is not None:
                found.add(kind)
            whole = match.group()
            offset = match.start()
            return whole[: start - offset] + MASK + whole[end - offset :]

        text = pattern.sub(replace, text)
    return text


def redact(text: str, known: Iterable[str] = ()) -> str:
    """`text` with emails, phone numbers, ID, passport, bank account and licence plate numbers
    and the `known` values masked."""
    if not text:
        return text
    for value in sorted({v.strip() for v in known if v and len(v.strip()) >= 4}, key=len)[::-1]:
        text = re.sub(re.escape(value), MASK, text, flags=re.IGNORECASE)
    return _mask(text)


def personal_data_kinds(text: str) -> list[str]:
    """Which kinds of personal data (see KINDS) `text` seems to hold; a petition holding any is
    kept from the public until a moderator releases it."""
    found: set[str] = set()
    _mask(text or "", found)
    return [kind for kind in KINDS if kind in found]


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
