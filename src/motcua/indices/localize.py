"""Vietnamese first, English when the reader chose English: picking a stored name pair."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def english() -> bool:
    return (get_language() or "vi").startswith("en")


def local_name(vi: str, en: str) -> str:
    """The Vietnamese name, or the English one (when there is one) for an English reader."""
    return en if english() and en else vi


def name_of(item: Any) -> str:
    """The reader's name of a model or dict with ``name_vi``/``name_en`` (or ``name``)."""
    get = item.get if isinstance(item, dict) else lambda key: getattr(item, key, "")
    return local_name(get("name_vi") or get("name") or "", get("name_en") or "")
