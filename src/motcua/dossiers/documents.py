"""Storing a file as a dossier document and in its owner's personal store."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile

from motcua.org.models import User

from .models import Document, Dossier


def store_document(
    *,
    owner: User | None,
    dossier: Dossier | None,
    kind: str,
    title: str,
    content: bytes,
    original_name: str,
    content_type: str,
    digitised: bool = False,
) -> Document:
    document = Document(
        owner=owner,
        dossier=dossier,
        kind=kind,
        title=title,
        original_name=original_name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        digitised=digitised,
    )
    document.file.save(original_name, ContentFile(content), save=False)
    document.save()
    return document
