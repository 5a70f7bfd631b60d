"""Template filters and tags: amounts of money as Vietnamese write them, the site name."""

from django import template
from django.conf import settings

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """50000 → “50.000”: the dot groups thousands in Vietnamese whatever the page language."""
    if amount is None or amount == "":
        return ""
    return f"{int(amount):,}".replace(",", ".")


@register.simple_tag
def site_name() -> str:
    """The site's name for pages rendered without a request (the 500 and CSRF error pages)."""
    return settings.MOTCUA_SITE_NAME
