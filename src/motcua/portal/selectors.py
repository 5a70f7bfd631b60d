"""Reads for the portal: an applicant's dossiers and documents, and public tracking."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.audit.selectors import events_for
from motcua.catalog.models import OnlineLevel, Procedure
from motcua.common.errors import NotFound
from motcua.common.text import masked_name  # noqa: F401 - the portal views call it from here
from motcua.dossiers.labels import label
from motcua.dossiers.models import Action, Document, Dossier
from motcua.dossiers.online import PROVINCE_DESK_CODE
from motcua.dossiers.selectors import is_withdrawal, with_withdrawal
from motcua.org.models import Agency, User

from .models import ExternalAccount

# What the public timeline shows: steps (labelled as everywhere, by `Action`), never the
# officers' notes or personal data.
PUBLIC_ACTIONS = frozenset(
    {
        Action.SUBMIT,
        Action.PAY,
        Action.ACCEPT,
        Action.RECEIVE,
        Action.FORWARD,
        Action.REQUEST_SUPPLEMENT,
        Action.SUPPLEMENT,
        Action.APOLOGIZE,
        Action.FINISH,
        Action.RETURN,
        Action.REFUSE,
        Action.STOP,
    }
)
# Reasons the applicant is meant to read; other notes stay internal.
PUBLIC_REASONS = {"request_supplement", "refuse", "apologize", "stop"}


@dataclass(frozen=True)
class InPerson:
    """Where a procedure not offered online is applied for: the one-stop desk that receives it
    (None for a commune-level procedure: the commune's own desk) and the agency that decides."""

    desk: Agency | None
    competent_agency: str
    reason: str


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    label: str
    agency: str
    reason: str


def apply_in_person(procedure: Procedure) -> InPerson | None:
    """None when the procedure may be applied for online; otherwise why not and where to go."""
    if procedure.status != Procedure.Status.ACTIVE:
        reason = "not_in_force"
    elif procedure.online_level == OnlineLevel.NONE:
        reason = "not_online"
    else:
        return None
    desk = None
    if procedure.level_province or procedure.level_central:
        desk = Agency.objects.filter(code=PROVINCE_DESK_CODE).first()
    competent = procedure.competent_agency.name if procedure.competent_agency else ""
    return InPerson(
        desk=desk,
        competent_agency=competent or procedure.competent_agency_text,
        reason=reason,
    )


def my_dossiers(user: User) -> QuerySet[Dossier]:
    return (
        with_withdrawal(Dossier.objects.filter(applicant_user=user))
        .select_related("procedure", "receiving_agency")
        .order_by("-received_at")
    )


def my_dossier(*, user: User, code: str) -> Dossier:
    """The applicant's own dossier; anyone else's is a 404 that reveals nothing."""
    dossier = (
        my_dossiers(user).select_related("lead_agency", "current_agency").filter(code=code).first()
    )
    if dossier is None:
        raise NotFound("dossier_not_found", _("Dossier not found."))
    return dossier


def my_store(user: User) -> list[Document]:
    """Documents the applicant submitted before and results issued to them, one per content."""
    seen: set[str] = set()
    unique = []
    for document in Document.objects.filter(owner=user, reused_from__isnull=True).order_by(
        "-created_at"
    )[:200]:
        if document.sha256 not in seen:
            seen.add(document.sha256)
            unique.append(document)
    return unique


def my_result(*, user: User, code: str) -> Document:
    dossier = my_dossier(user=user, code=code)
    result = dossier.documents.filter(kind=Document.Kind.RESULT).order_by("-created_at").first()
    if result is None:
        raise NotFound(
            "no_electronic_result",
            _("This dossier has no electronic result yet."),
        )
    return result


def tracked_dossier(*, code: str, key: str) -> Dossier:
    """Code plus the secret key printed on the slip; a wrong pair looks like a missing one."""
    # Codes are stored in capitals (the agencies' electronic identifiers); people type them
    # any way, with spaces around from a copy and paste.
    dossier = (
        with_withdrawal(Dossier.objects.all())
        .select_related("procedure", "receiving_agency")
        .filter(code=code.strip().upper())
        .first()
    )
    if dossier is None or not hmac.compare_digest(dossier.lookup_key, key.strip().upper()):
        raise NotFound(
            "dossier_not_found",
            _("The dossier code or lookup key is wrong."),
        )
    return dossier


def public_timeline(dossier: Dossier) -> list[Step]:
    return [
        Step(
            at=e.at,
            label=label(Action, Action.WITHDRAW if is_withdrawal(e, dossier) else e.action),
            agency=(e.agency.short_name or e.agency.name) if e.agency else "",
            reason=e.reason if e.action in PUBLIC_REASONS else "",
        )
        for e in events_for("dossier", dossier.code)
        if e.action in PUBLIC_ACTIONS
    ]


# The provider key under which docs/identity.md configures VNeID, the login backed by the
# national population database: a dossier of an account linked to it took its data from there.
POPULATION_DATABASE_PROVIDER = "vneid"


def signed_in_through_population_database(user: User) -> bool:
    return ExternalAccount.objects.filter(user=user, provider=POPULATION_DATABASE_PROVIDER).exists()
