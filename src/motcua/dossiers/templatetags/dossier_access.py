"""Template filters that ask `dossiers.access`, so a page offers only the links it may serve."""

from __future__ import annotations

from django import template

from motcua.dossiers.access import may_download_documents
from motcua.dossiers.models import Dossier
from motcua.org.models import User

register = template.Library()


@register.filter
def downloadable_by(dossier: Dossier, user: User) -> bool:
    """`{% if dossier|downloadable_by:request.user %}`: may this user have its files?"""
    return may_download_documents(user, dossier)
