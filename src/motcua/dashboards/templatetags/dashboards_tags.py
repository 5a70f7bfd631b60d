from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(container: Mapping[Any, Any] | Sequence[Any], key: Any) -> Any:
    """container[key] in a template: a dict's value or a list's item, None when missing."""
    try:
        return container[key]
    except (KeyError, IndexError, TypeError):
        return None
