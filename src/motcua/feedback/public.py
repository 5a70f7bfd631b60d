"""The one place that decides what of a petition is published, for the web pages and Open311
alike: never the sender, personal data masked in free text, hidden content withheld."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import Petition, State
from .privacy import redact


@dataclass(frozen=True)
class PublicPetition:
    id: int
    status: str  # Open311: open | closed
    state: str
    state_label: str
    service_code: str
    service_name: str
    description: str
    status_notes: str
    agency_responsible: str
    service_notice: str
    requested_datetime: dt.datetime
    updated_datetime: dt.datetime
    expected_datetime: dt.datetime
    address: str
    address_id: str
    ward_name: str
    lat: float | None
    long: float | None
    photo_ids: list[int] = field(default_factory=list)
    external_media_url: str = ""
    answer_text: str = ""
    answer_published_at: dt.datetime | None = None
    answer_agency: str = ""
    duplicate_of_id: int | None = None
    hidden: bool = False


def sender_values(petition: Petition) -> list[str]:
    return [
        petition.sender_phone,
        petition.sender_email,
        petition.sender_id_number,
        petition.sender_name,
    ]


def _answer_text(petition: Petition) -> str:
    answer = getattr(petition, "answer", None)
    return answer.text if answer is not None else ""


def status_notes(petition: Petition) -> str:
    """The published answer; for other closures, why the petition was closed."""
    text = _answer_text(petition)
    if text:
        return text
    if petition.state == State.DUPLICATE and petition.duplicate_of_id:
        note = _("Duplicate of petition %(id)s; it is answered there.") % {
            "id": petition.duplicate_of_id
        }
        original_answer = _answer_text(petition.duplicate_of) if petition.duplicate_of else ""
        return f"{note}\n{original_answer}" if original_answer else note
    if petition.hidden and petition.state == State.HIDDEN:
        return _("Closed: the content breaks the rules for petitions.")
    if petition.state == State.FORWARDED:
        return _("Forwarded to %(agency)s.") % {"agency": petition.agency.name}
    return ""


def publish(petition: Petition) -> PublicPetition:
    known = sender_values(petition)
    hidden = petition.hidden
    answer = getattr(petition, "answer", None)
    description = (
        _("The content of this petition has been hidden by a moderator.")
        if hidden
        else redact(petition.description, known)
    )
    return PublicPetition(
        id=petition.pk,
        status=petition.open311_status,
        state=petition.state,
        state_label=str(petition.get_state_display()),
        service_code=petition.category.code,
        service_name=petition.category.name,
        description=description,
        status_notes=redact(status_notes(petition), known),
        agency_responsible=petition.agency.name,
        service_notice=petition.service_notice,
        requested_datetime=petition.received_at,
        updated_datetime=petition.updated_at,
        expected_datetime=petition.due_at,
        address="" if hidden else redact(petition.address, known),
        address_id=petition.ward.code if petition.ward else "",
        ward_name=petition.ward.name if petition.ward else "",
        lat=petition.lat,
        long=petition.long,
        photo_ids=[] if hidden else [photo.pk for photo in petition.photos.all()],
        external_media_url="" if hidden else petition.external_media_url,
        answer_text=redact(answer.text, known) if answer else "",
        answer_published_at=answer.published_at if answer else None,
        answer_agency=answer.agency.name if answer else "",
        duplicate_of_id=petition.duplicate_of_id,
        hidden=hidden,
    )
