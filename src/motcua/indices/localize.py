"""Vietnamese first, English when the reader chose English: picking a stored name pair."""

from __future__ import annotations

from typing import Any

from motcua.common.language import in_language as local_name

__all__ = ["local_name", "name_of"]


def name_of(item: Any) -> str:
    """The reader's name of a model or dict with ``name_vi``/``name_en`` (or ``name``)."""
    get = item.get if isinstance(item, dict) else lambda key: getattr(item, key, "")
    return local_name(get("name_vi") or get("name") or "", get("name_en") or "")
