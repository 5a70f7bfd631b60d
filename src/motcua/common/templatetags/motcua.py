"""Template filters: amounts of money as Vietnamese write them."""

from django import template

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """50000 → “50.000”: the dot groups thousands in Vietnamese whatever the page language."""
    if amount is None or amount == "":
        return ""
    return f"{int(amount):,}".replace(",", ".")
