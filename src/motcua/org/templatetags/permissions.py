"""`{% if user|can:"apply_online" %}`: templates ask the same table as the code."""

from __future__ import annotations

from django import template

from motcua.org.models import User
from motcua.org.permissions import Capability
from motcua.org.permissions import can as _can

register = template.Library()


@register.filter
def can(user: User, capability: str) -> bool:
    return _can(user, Capability(capability))
