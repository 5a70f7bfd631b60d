"""`{% rating_block dossier %}`: the applicant's rating of a returned dossier, or a button to
give one, for the portal's dossier page (which then needs no change of its view)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from motcua.dossiers.models import Dossier, Status
from motcua.surveys.models import Stage
from motcua.surveys.selectors import rating_current

register = template.Library()


@register.inclusion_tag("surveys/_dossier_rating.html")
def rating_block(dossier: Dossier) -> dict[str, Any]:
    if dossier.status != Status.RETURNED:
        return {"show": False}
    return {
        "show": True,
        "rating": rating_current(dossier, Stage.RETURN),
        "url": reverse("surveys:portal_rate", args=[dossier.code]),
    }
