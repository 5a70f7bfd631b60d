"""Storing a file as a dossier document and in its owner's personal store, and handing one
out: every download of a personal document is checked in `access` and written to the audit
log with who, which document of which dossier, and why."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.audit.services import event_record
from motcua.common.errors import ApiError, render
from motcua.org.models import User

from .access import document_get_for_download
from .models import Document, Dossier

# Why a civil servant opens an applicant's document; "other" needs the reason in words.
DOWNLOAD_PURPOSES = {
    "handling": _("Handling the dossier (appraisal, decision)"),
    "completeness": _("Checking the dossier is complete and valid"),
    "verification": _("Checking a document against its original"),
    "applicant_request": _("At the applicant's request"),
    "other": _("Other reason (write it below)"),
}
OWN_COPY = "own_copy"  # the applicant downloading their own document or result
DOWNLOAD_ACTION = "document_download"
REASON_MIN_LENGTH = 5

# The form's own "required" message words it otherwise: a context keeps the two apart.
ERR_PURPOSE = (
    "download_purpose_required",
    pgettext_lazy("document download API", "Choose why you open the document."),
)
ERR_REASON = (
    "download_reason_required",
    _("Write why you open the document (at least 5 characters)."),
)


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


def _is_applicant(user: User, document: Document) -> bool:
    if document.owner_id is not None and document.owner_id == user.pk:
        return True
    dossier = document.dossier
    return dossier is not None and dossier.applicant_user_id == user.pk


@transaction.atomic
def document_download(
    *,
    actor: User,
    document_id: int,
    dossier_code: str | None = None,
    purpose: str = "",
    reason: str = "",
    at: dt.datetime | None = None,
) -> Document:
    """Check that `actor` may have the file and record that they took it. The applicant needs
    no purpose (their own copy); staff and administrators name one, and "other" in words."""
    document = document_get_for_download(user=actor, pk=document_id, code=dossier_code)
    reason = reason.strip()
    if _is_applicant(actor, document):
        purpose = OWN_COPY
    elif purpose not in DOWNLOAD_PURPOSES:
        raise ApiError(
            *ERR_PURPOSE, errors=[{"field": "purpose", "message": render(ERR_PURPOSE[1], "vi")}]
        )
    elif purpose == "other" and len(reason) < REASON_MIN_LENGTH:
        raise ApiError(
            *ERR_REASON, errors=[{"field": "reason", "message": render(ERR_REASON[1], "vi")}]
        )
    event_record(
        at=at or timezone.now(),
        actor_id=actor.pk,
        agency_id=actor.agency_id,
        subject_type="document",
        subject_id=str(document.pk),
        action=DOWNLOAD_ACTION,
        reason=reason or str(DOWNLOAD_PURPOSES.get(purpose, "")),
        payload={
            "dossier": document.dossier.code if document.dossier else None,
            "kind": document.kind,
            "title": document.title,
            "purpose": purpose,
            "username": actor.username,
        },
    )
    return document
