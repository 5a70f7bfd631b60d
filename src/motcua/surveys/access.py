"""Who may rate which dossier, decided here only: the portal (the applicant's own account),
the signed link in the notification, and the kiosk (the code plus the slip's lookup key).
Pages, the API and the service all ask this module, so they cannot disagree."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.common.errors import ApiError, Conflict, NotFound, PermissionDenied
from motcua.common.urls import absolute_url
from motcua.dossiers.labels import label
from motcua.dossiers.models import Dossier, Status
from motcua.org.models import User

from .models import RatingChannel, Stage

LINK_SALT = "rating"
LINK_MAX_AGE = 30 * 24 * 3600  # seconds: the link in a notification works for 30 days

# A dossier may be rated at receipt once the desk accepted it (its clock started), and at
# return once the result was returned.
RECEIPT_STATUSES = (
    Status.RECEIVED,
    Status.PROCESSING,
    Status.WAITING_SUPPLEMENT,
    Status.RESULT_READY,
    Status.RETURNED,
)

ERR_NOT_FOUND = ("dossier_not_found", _("No such dossier of yours."))
ERR_KEY = ("wrong_code_or_key", _("The dossier code or lookup key is wrong."))
ERR_LINK_INVALID = ("rating_link_invalid", _("This rating link is not valid."))
ERR_LINK_EXPIRED = (
    "rating_link_expired",
    _("This rating link has expired (30 days). You can still rate in the portal or at the desk."),
)
ERR_LINK_OTHER = ("rating_link_mismatch", _("This rating link is for another dossier or stage."))
ERR_CHANNEL = ("invalid_channel", _("The rating channel must be kiosk, portal or link."))
ERR_STAGE = ("invalid_stage", _("The stage must be receipt or return."))
ERR_STAGE_NOT_OPEN = (
    "rating_not_open",
    _("The dossier cannot be rated at {stage} while its status is {status_code}."),
)
# The stage as a message names it (not its label): "cannot be rated at receipt".
STAGE_IN_MESSAGE = {
    Stage.RECEIPT: pgettext_lazy("rating stage", "receipt"),
    Stage.RETURN: pgettext_lazy("rating stage", "return"),
}


@dataclass(frozen=True)
class LinkClaim:
    code: str
    stage: str


def link_token(code: str, stage: str) -> str:
    """The signed token a notification carries: the dossier code and the stage to rate."""
    return signing.dumps({"c": code, "s": stage}, salt=LINK_SALT, compress=True)


def link_url(code: str, stage: str) -> str:
    """The rating page for a notification, absolute on MOTCUA_PUBLIC_URL."""
    return absolute_url(reverse("surveys:link_rate", args=[link_token(code, stage)]))


def link_claim(token: str) -> LinkClaim:
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ApiError(*ERR_LINK_EXPIRED, status=410) from exc
    except signing.BadSignature as exc:
        raise PermissionDenied(*ERR_LINK_INVALID) from exc
    if not isinstance(data, dict) or not {"c", "s"} <= data.keys():
        raise PermissionDenied(*ERR_LINK_INVALID)
    return LinkClaim(code=str(data["c"]), stage=str(data["s"]))


def _dossiers():
    return Dossier.objects.select_related("procedure", "receiving_agency", "lead_agency")


def dossier_for_rating(
    *,
    code: str,
    channel: str,
    stage: str | None = None,
    user: User | None = None,
    link_token: str | None = None,
    lookup_key: str | None = None,
) -> Dossier:
    """The dossier `code` if the channel's credential allows rating it, else an error that
    says nothing about other people's dossiers: 404 for the portal and a wrong key, 403 for a
    bad link (410 once expired)."""
    code = (code or "").strip()
    if channel == RatingChannel.PORTAL:
        dossier = None
        if user is not None and user.is_authenticated:
            dossier = _dossiers().filter(code=code, applicant_user=user).first()
        if dossier is None:
            raise NotFound(*ERR_NOT_FOUND)
        return dossier
    if channel == RatingChannel.LINK:
        claim = link_claim(link_token or "")
        if claim.code != code or (stage is not None and claim.stage != stage):
            raise PermissionDenied(*ERR_LINK_OTHER)
        dossier = _dossiers().filter(code=code).first()
        if dossier is None:
            raise PermissionDenied(*ERR_LINK_INVALID)
        return dossier
    if channel == RatingChannel.KIOSK:
        dossier = _dossiers().filter(code=code).first()
        key = (lookup_key or "").strip().upper()
        if dossier is None or not hmac.compare_digest(dossier.lookup_key, key):
            raise NotFound(*ERR_KEY)
        return dossier
    raise ApiError(*ERR_CHANNEL)


def stage_open(dossier: Dossier, stage: str) -> bool:
    if stage == Stage.RETURN:
        return dossier.status == Status.RETURNED
    if stage == Stage.RECEIPT:
        return dossier.status in RECEIPT_STATUSES and dossier.clock_started_at is not None
    return False


def require_stage_open(dossier: Dossier, stage: str) -> None:
    if stage not in Stage.values:
        raise ApiError(*ERR_STAGE)
    if not stage_open(dossier, stage):
        raise Conflict(
            *ERR_STAGE_NOT_OPEN,
            stage=STAGE_IN_MESSAGE[Stage(stage)],
            state=label(Status, dossier.status),
            status_code=dossier.status,
        )


def natural_stage(dossier: Dossier) -> str | None:
    """The stage a kiosk or portal page offers by default: return once returned, else receipt."""
    for stage in (Stage.RETURN, Stage.RECEIPT):
        if stage_open(dossier, stage):
            return stage
    return None
