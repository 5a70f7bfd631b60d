"""Every change to a petition: one function per action. Each checks its input and the actor's
permission before writing anything, then writes the rows and the audit event in one
transaction and publishes what happened; the sender's notification subscribes to it
(`notify.on_petition_event`, registered in apps.py). `notify=False` tells the sender nothing
(made-up demo petitions)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.services import event_record
from motcua.common.errors import ApiError, Conflict, PermissionDenied
from motcua.common.events import PETITION_CHANGED, Event, publish
from motcua.common.locking import lock_rows
from motcua.common.ratings import is_score
from motcua.org.models import Agency, User
from motcua.workdays.selectors import get_calendar

from .access import (
    not_found,
    petition_get_for_staff,
    require_answerer,
    require_moderator,
    require_router,
)
from .categories import clean_attribute_values
from .checks import (
    ADDRESS_MAX,
    DESCRIPTION_MAX,
    ERR_DESCRIPTION_REQUIRED,
    PetitionInput,
    check_location,
    check_media_url,
    check_photos,
    check_sender,
    plain_text,
)
from .links import rating_key_valid
from .models import (
    OPEN_STATES,
    Answer,
    AnswerRating,
    ApiClient,
    AttributeValue,
    Moderation,
    Petition,
    Photo,
    State,
)
from .privacy import contains_personal_data, personal_data_kinds
from .selectors import category_by_code, route_agency, similar_petitions

SUBJECT = "petition"
ANSWER_MAX = 10000
REASON_MAX = 2000

ERR_NOT_OPEN = ("petition_closed", _("Petition {id} is closed; this cannot be done."))
ERR_REASON = ("reason_required", _("A reason is required."))
ERR_ANSWER_REQUIRED = ("answer_required", _("The answer is empty."))
ERR_ANSWER_PERSONAL = (
    "answer_contains_personal_data",
    _(
        "The answer will be published but contains the sender's phone, email or ID number; "
        "remove them."
    ),
)
ERR_SAME_AGENCY = ("same_agency", _("The petition is already with this agency."))
ERR_UNKNOWN_AGENCY = ("unknown_agency", _("No agency {code}."))
ERR_DUPLICATE_SELF = ("duplicate_of_self", _("A petition cannot duplicate itself."))
ERR_DUPLICATE_TARGET = (
    "duplicate_target_invalid",
    _("Petition {id} cannot be the original (it does not exist or is hidden)."),
)
ERR_ALREADY_HIDDEN = ("already_hidden", _("The content is already hidden."))
ERR_NOT_HELD = ("not_held", _("Petition {id} is not waiting for moderation."))
HELD_NOTICE = (
    " Nội dung có thể chứa thông tin cá nhân nên sẽ được công khai sau khi cán bộ kiểm duyệt."
)
ERR_NOT_ANSWERED = ("not_answered", _("The petition has no answer to rate yet."))
ERR_ALREADY_RATED = ("already_rated", _("The answer has already been rated."))
ERR_RATING_FORBIDDEN = (
    "rating_forbidden",
    _("Only the sender may rate the answer (with the link they received or their account)."),
)
ERR_SCORE = ("invalid_score", _("The score must be 1 to 5."))


def _event(petition: Petition, *, at: dt.datetime, actor: User | None, action: str, **kw: Any):
    return event_record(
        at=at,
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        agency_id=kw.pop("agency_id", petition.agency_id),
        subject_type=SUBJECT,
        subject_id=str(petition.pk),
        action=action,
        **kw,
    )


def _publish(petition_id: int, action: str, notify: bool) -> None:
    publish(Event(PETITION_CHANGED, petition_id, action, notify=notify))


# --- sending a petition -------------------------------------------------------------------------


@dataclass(frozen=True)
class PetitionCreated:
    petition: Petition
    similar: list[Petition]


def petition_create(
    *,
    data: PetitionInput,
    channel: str,
    api_client: ApiClient | None = None,
    user: User | None = None,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> PetitionCreated:
    """Check everything, route the petition to its agency with a deadline, store it with its
    attributes and photos. Nothing is written when any check fails."""
    now = now or timezone.now()
    category = category_by_code(data.category_code.strip())
    ward = check_location(data)
    description = plain_text(
        data.description, field_name="description", limit=DESCRIPTION_MAX, label="description"
    )
    if not description:
        raise ApiError(*ERR_DESCRIPTION_REQUIRED, field_name="description")
    address = plain_text(data.address, field_name="address_string", limit=ADDRESS_MAX)
    attributes = clean_attribute_values(category.attributes, data.attributes)
    sender = check_sender(data)
    media_url = check_media_url(data.media_url)
    photos = check_photos(data.photos)

    agency = route_agency(category, ward)
    due_at = get_calendar().due_at(now, category.working_days)
    similar = similar_petitions(
        category=category,
        lat=data.lat,
        long=data.long,
        ward_id=ward.pk if ward else None,
        now=now,
    )
    risky = personal_data_kinds(f"{description}\n{address}")
    notice = _service_notice(agency, due_at, similar) + (HELD_NOTICE if risky else "")
    signed_user = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        petition = Petition(
            category=category,
            channel=channel,
            api_client=api_client,
            token=secrets.token_urlsafe(18),
            description=description,
            lat=data.lat,
            long=data.long,
            address=address,
            ward=ward,
            agency=agency,
            received_at=now,
            due_at=due_at,
            service_notice=notice,
            external_media_url=media_url,
            moderation=Moderation.HELD if risky else Moderation.PUBLISHED,
            moderation_reasons=risky,
            sender_user=signed_user,
            **sender,
        )
        petition.full_clean()
        petition.save()
        AttributeValue.objects.bulk_create(
            AttributeValue(petition=petition, code=code, value=value) for code, value in attributes
        )
        for photo in photos:
            stored = Photo(
                petition=petition,
                content_type=photo.content_type,
                size=len(photo.content),
                sha256=hashlib.sha256(photo.content).hexdigest(),
            )
            stored.file.save(photo.name, ContentFile(photo.content), save=False)
            stored.save()
        _event(
            petition,
            at=now,
            actor=signed_user,
            action="receive",
            to_state=State.RECEIVED,
            payload={
                "category": category.code,
                "channel": channel,
                "api_client": api_client.name if api_client else None,
                "ward": ward.code if ward else None,
                "due_at": due_at.isoformat(),
                "similar": [p.pk for p in similar],
                "held": risky,
            },
        )
        _publish(petition.pk, "receive", notify)
    return PetitionCreated(petition=petition, similar=similar)


def _service_notice(agency: Agency, due_at: dt.datetime, similar: list[Petition]) -> str:
    due = timezone.localtime(due_at).strftime("%H:%M %d/%m/%Y")
    notice = f"Chuyển {agency.name} giải quyết; hạn trả lời {due}."
    if similar:
        ids = ", ".join(str(p.pk) for p in similar)
        notice += f" Có thể trùng với phản ánh số {ids} (cùng loại, gần cùng vị trí)."
    return notice


# --- handling ----------------------------------------------------------------------------------


def _require_open(petition: Petition) -> None:
    if petition.state not in OPEN_STATES:
        raise Conflict(*ERR_NOT_OPEN, id=petition.pk)


@transaction.atomic
def petition_answer(
    *,
    petition_id: int,
    user: User,
    text: str,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> Answer:
    """Publish the agency's answer and close the petition; the sender is told and can rate it."""
    now = now or timezone.now()
    petition = petition_get_for_staff(user=user, petition_id=petition_id, for_update=True)
    require_answerer(user, petition)
    _require_open(petition)
    text = plain_text(text, field_name="text", limit=ANSWER_MAX, label="answer")
    if not text:
        raise ApiError(*ERR_ANSWER_REQUIRED, field_name="text")
    personal = [petition.sender_phone, petition.sender_email, petition.sender_id_number]
    if contains_personal_data(text, personal):
        raise ApiError(*ERR_ANSWER_PERSONAL, field_name="text")
    answer = Answer(petition=petition, text=text, author=user, agency=petition.agency)
    answer.published_at = now
    answer.full_clean()
    answer.save()
    from_state = petition.state
    petition.state = State.ANSWERED
    petition.closed_at = now
    petition.save(update_fields=["state", "closed_at", "updated_at"])
    _event(
        petition, at=now, actor=user, action="answer", from_state=from_state, to_state="answered"
    )
    _publish(petition.pk, "answer", notify)
    return answer


@transaction.atomic
def petition_forward(
    *,
    petition_id: int,
    user: User,
    agency_code: str,
    reason: str,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> Petition:
    """Send the petition to the competent agency. The deadline promised to the sender stays."""
    now = now or timezone.now()
    petition = petition_get_for_staff(user=user, petition_id=petition_id, for_update=True)
    require_router(user, petition)
    _require_open(petition)
    reason = plain_text(reason, field_name="reason", limit=REASON_MAX)
    if not reason:
        raise ApiError(*ERR_REASON, field_name="reason")
    target = Agency.objects.filter(code=agency_code.strip()).first()
    if target is None:
        raise ApiError(*ERR_UNKNOWN_AGENCY, field_name="agency", code=agency_code[:32])
    if target.pk == petition.agency_id:
        raise ApiError(*ERR_SAME_AGENCY, field_name="agency")
    source = petition.agency
    from_state = petition.state
    petition.agency = target
    petition.state = State.FORWARDED
    petition.save(update_fields=["agency", "state", "updated_at"])
    _event(
        petition,
        at=now,
        actor=user,
        agency_id=source.pk,
        action="forward",
        from_state=from_state,
        to_state=State.FORWARDED,
        reason=reason,
        payload={"from": source.code, "to": target.code},
    )
    _publish(petition.pk, "forward", notify)
    return petition


@transaction.atomic
def petition_mark_duplicate(
    *,
    petition_id: int,
    user: User,
    original_id: int,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> Petition:
    """Close the petition as a duplicate; it follows the original's answer."""
    now = now or timezone.now()
    petition = petition_get_for_staff(user=user, petition_id=petition_id, for_update=True)
    require_answerer(user, petition)
    _require_open(petition)
    original = Petition.objects.filter(pk=original_id).first()
    # Point at the root, so a chain of duplicates never forms.
    while original is not None and original.duplicate_of_id is not None:
        original = original.duplicate_of
    if original is not None and original.pk == petition.pk:
        raise ApiError(*ERR_DUPLICATE_SELF, field_name="original")
    if original is None or original.state == State.HIDDEN:
        raise ApiError(*ERR_DUPLICATE_TARGET, field_name="original", id=original_id)
    from_state = petition.state
    petition.duplicate_of = original
    petition.state = State.DUPLICATE
    petition.closed_at = now
    petition.save(update_fields=["duplicate_of", "state", "closed_at", "updated_at"])
    _event(
        petition,
        at=now,
        actor=user,
        action="mark_duplicate",
        from_state=from_state,
        to_state=State.DUPLICATE,
        payload={"original": original.pk},
    )
    _publish(petition.pk, "duplicate", notify)
    # The original is now repeated, which the counts of its handling read (nobody is told).
    _publish(original.pk, "repeated", notify=False)
    return petition


@transaction.atomic
def petition_hide(
    *,
    petition_id: int,
    user: User,
    reason: str,
    close: bool = False,
    now: dt.datetime | None = None,
) -> Petition:
    """Withhold abusive content from every public output; the reason goes to the audit log.
    With `close`, an open petition is also closed without an answer (spam, insults)."""
    now = now or timezone.now()
    petition = petition_get_for_staff(user=user, petition_id=petition_id, for_update=True)
    require_moderator(user, petition)
    if petition.hidden:
        raise Conflict(*ERR_ALREADY_HIDDEN)
    reason = plain_text(reason, field_name="reason", limit=REASON_MAX)
    if not reason:
        raise ApiError(*ERR_REASON, field_name="reason")
    from_state = petition.state
    petition.hidden = True
    petition.hidden_reason = reason
    petition.hidden_at = now
    petition.hidden_by = user
    fields = ["hidden", "hidden_reason", "hidden_at", "hidden_by", "updated_at"]
    if close and petition.state in OPEN_STATES:
        petition.state = State.HIDDEN
        petition.closed_at = now
        fields += ["state", "closed_at"]
    petition.save(update_fields=fields)
    _event(
        petition,
        at=now,
        actor=user,
        action="hide",
        from_state=from_state,
        to_state=petition.state,
        reason=reason,
        payload={"closed": petition.state == State.HIDDEN},
    )
    if petition.state == State.HIDDEN:
        # Closed as abusive: it leaves the counts (nobody is told).
        _publish(petition.pk, "hide", notify=False)
    return petition


@transaction.atomic
def petition_release(*, petition_id: int, user: User, now: dt.datetime | None = None) -> Petition:
    """A moderator has read a held petition: publish it (masked, as every petition is)."""
    now = now or timezone.now()
    petition = petition_get_for_staff(user=user, petition_id=petition_id, for_update=True)
    require_moderator(user, petition)
    if petition.moderation != Moderation.HELD:
        raise Conflict(*ERR_NOT_HELD, id=petition.pk)
    petition.moderation = Moderation.PUBLISHED
    petition.released_at = now
    petition.released_by = user
    petition.save(update_fields=["moderation", "released_at", "released_by", "updated_at"])
    _event(
        petition,
        at=now,
        actor=user,
        action="release",
        payload={"reasons": petition.moderation_reasons},
    )
    return petition


# --- the sender's rating -----------------------------------------------------------------------


@transaction.atomic
def answer_rate(
    *,
    petition_id: int,
    score: int,
    comment: str = "",
    user: User | None = None,
    key: str = "",
    now: dt.datetime | None = None,
) -> AnswerRating:
    """The sender rates the answer once, 1 to 5, through the signed link or their account."""
    now = now or timezone.now()
    lock_rows(Petition.objects.filter(pk=petition_id), field="updated_at")
    petition = Petition.objects.filter(pk=petition_id).select_related("answer").first()
    if petition is None:
        raise not_found(petition_id)
    by_account = (
        user is not None
        and user.is_authenticated
        and petition.sender_user_id is not None
        and petition.sender_user_id == user.pk
    )
    if not by_account and not rating_key_valid(petition.pk, key):
        raise PermissionDenied(*ERR_RATING_FORBIDDEN)
    answer = getattr(petition, "answer", None)
    if answer is None:
        raise Conflict(*ERR_NOT_ANSWERED)
    if AnswerRating.objects.filter(answer=answer).exists():
        raise Conflict(*ERR_ALREADY_RATED)
    if not is_score(score):
        raise ApiError(*ERR_SCORE, field_name="score")
    comment = plain_text(comment, field_name="comment", limit=1000)
    rating = AnswerRating.objects.create(
        answer=answer,
        score=score,
        comment=comment,
        via=AnswerRating.Via.ACCOUNT if by_account else AnswerRating.Via.LINK,
        rated_at=now,
    )
    _event(
        petition,
        at=now,
        actor=user if by_account else None,
        agency_id=answer.agency_id,
        action="rate",
        payload={"score": score},
    )
    # How well the petition was handled depends on its answer's rating (nobody is told).
    _publish(petition.pk, "rate", notify=False)
    return rating
