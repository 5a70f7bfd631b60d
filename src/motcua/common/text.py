"""Vietnamese text folding for search, a collation key for sorting names, and masking a
name shown in public."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
_LEADING_PROCEDURE_WORD = re.compile(r"^thu tuc\s+")

# Vietnamese alphabetical order; letters with marks sort after the base letter.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn


def fold(text: str) -> str:
    """Lowercase, drop every diacritic, map đ→d and collapse everything else to single spaces.

    `fold("Đăng ký Khai sinh!") == "dang ky khai sinh"`; used on indexed text and queries alike.
    """
    text = text.replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _NON_WORD.sub(" ", stripped).strip()


def fold_name(name: str) -> str:
    """The folded name without the 'Thủ tục' prefix many published names carry."""
    return _LEADING_PROCEDURE_WORD.sub("", fold(name))


def vi_sort_key(text: str) -> tuple:
    """A key that sorts Vietnamese words in dictionary order (a < ă < â < b …, tones last)."""
    letters: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFC", text.lower()):
        base = unicodedata.normalize("NFD", char)
        marks = base[1:]
        letter = base[0]
        if "\u0306" in marks:
            letter = {"a": "ă"}.get(letter, letter)
        if "\u0302" in marks:
            letter = {"a": "â", "e": "ê", "o": "ô"}.get(letter, letter)
        if "\u031b" in marks:
            letter = {"o": "ơ", "u": "ư"}.get(letter, letter)
        index = _ALPHABET.find(letter)
        letters.append(index if index >= 0 else 100 + ord(letter))
        tones.append(next((_TONES[m] for m in marks if m in _TONES), 0))
    return (letters, tones)


def masked_name(name: str) -> str:
    """“Nguyễn Thị Ngữ” → “N. T. Ngữ”: enough for the applicant to recognise, no more."""
    parts = name.split()
    if len(parts) < 2:
        return name[:1] + "…"
    return " ".join(p[0] + "." for p in parts[:-1]) + " " + parts[-1]
