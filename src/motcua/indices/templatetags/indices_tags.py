"""``{{ methodology|local_name }}``: a stored Vietnamese/English name pair in the reader's
language."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.indices.localize import name_of

register = template.Library()


@register.filter
def local_name(item: Any) -> str:
    return name_of(item)
