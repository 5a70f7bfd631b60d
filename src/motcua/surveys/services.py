"""Rating a dossier: one function for every channel (kiosk, portal, link). It checks who may
rate through `access`, the stage against the dossier's status and the scores against the
criteria in force, then writes the rating, keeps the replaced values as a revision and records
the audit event, all in one transaction."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from motcua.audit.services import event_record
from motcua.common.errors import ApiError, ErrorSpec, render
from motcua.common.events import RATING_RECORDED, Event, publish
from motcua.common.locking import lock_rows
from motcua.common.ratings import is_score
from motcua.org.models import User

from .access import dossier_for_rating, require_stage_open
from .models import (
    COMMENT_MAX,
    OVERALL,
    Rating,
    RatingAnswer,
    RatingChannel,
    RatingRevision,
    Stage,
)
from .selectors import criteria_in_force

ERR_SCORE = (
    "score_out_of_range",
    gettext_lazy("A score must be from 1 (very dissatisfied) to 5 (very satisfied)."),
)
ERR_UNKNOWN_CRITERION = (
    "unknown_criterion",
    gettext_lazy("Criterion “{code}” is not among the criteria rated at this stage."),
)
ERR_COMMENT = ("comment_too_long", gettext_lazy("The comment may be at most {limit} characters."))


def _valid_score(value: Any) -> bool:
    return is_score(value)


def clean_comment(text: str) -> str:
    """Plain text: control characters other than line breaks and tabs are dropped."""
    kept = (
        ch for ch in (text or "") if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cf"}
    )
    return "".join(kept).replace("\r", "").strip()


def _check_input(
    *, stage: str, overall: Any, answers: dict[str, Any], comment: str, on: dt.date
) -> dict[str, Any]:
    """The criteria rows to answer, by code; raises one 400 that names the first problem and
    lists every bad field in `errors`."""
    problems: list[tuple[str, ErrorSpec, str]] = []  # (field, error, criterion)
    if not _valid_score(overall):
        problems.append(("overall", ERR_SCORE, OVERALL))
    criteria = {c.code: c for c in criteria_in_force(stage, on) if c.code != OVERALL}
    for code, score in answers.items():
        if code not in criteria:
            problems.append((f"answers.{code}", ERR_UNKNOWN_CRITERION, code))
        elif not _valid_score(score):
            problems.append((f"answers.{code}", ERR_SCORE, code))
    if len(comment) > COMMENT_MAX:
        problems.append(("comment", ERR_COMMENT, ""))
    if problems:
        errors = [
            {
                "field": field,
                "code": spec[0],
                "message": render(spec[1], "vi", code=code, limit=COMMENT_MAX),
            }
            for field, spec, code in problems
        ]
        _, spec, criterion = problems[0]
        raise ApiError(*spec, code=criterion, limit=COMMENT_MAX, errors=errors)
    return criteria


def rating_submit(
    *,
    dossier_code: str,
    stage: str,
    channel: str,
    overall: int,
    answers: dict[str, int] | None = None,
    comment: str = "",
    user: User | None = None,
    link_token: str | None = None,
    lookup_key: str | None = None,
    at: dt.datetime | None = None,
) -> Rating:
    """Rate a dossier at a stage, or change the rating given before (the old values become a
    RatingRevision). Authorised by the channel's credential: portal → `user` is the applicant;
    link → `link_token` signed for this dossier and stage; kiosk → `lookup_key` from the slip.
    Nothing is stored when any check fails."""
    at = at or timezone.now()
    answers = dict(answers or {})
    comment = clean_comment(comment)
    dossier = dossier_for_rating(
        code=dossier_code,
        channel=channel,
        stage=stage,
        user=user,
        link_token=link_token,
        lookup_key=lookup_key,
    )
    require_stage_open(dossier, stage)
    criteria = _check_input(
        stage=stage, overall=overall, answers=answers, comment=comment, on=timezone.localdate(at)
    )
    agency_id = dossier.receiving_agency_id if stage == Stage.RECEIPT else dossier.lead_agency_id
    with transaction.atomic():
        lock_rows(Rating.objects.filter(dossier=dossier, stage=stage), field="version")
        rating = Rating.objects.filter(dossier=dossier, stage=stage).first()
        created = rating is None
        if rating is None:
            rating = Rating(dossier=dossier, stage=stage, created_at=at, version=1)
        else:
            RatingRevision.objects.create(
                rating=rating,
                number=rating.version,
                channel=rating.channel,
                overall=rating.overall,
                answers={
                    a.criterion.code: a.score for a in rating.answers.select_related("criterion")
                },
                comment=rating.comment,
                rated_at=rating.updated_at,
                replaced_at=at,
            )
            rating.version += 1
            rating.answers.all().delete()
        rating.channel = channel
        rating.overall = overall
        rating.comment = comment
        rating.agency_id = agency_id
        rating.updated_at = at
        rating.full_clean(exclude=["dossier", "agency"], validate_unique=False)
        try:
            with transaction.atomic():
                rating.save()
        except IntegrityError as exc:  # a simultaneous first rating of the same dossier won
            raise ApiError(
                "rating_conflict",
                gettext_lazy("The dossier was just rated elsewhere; send it again."),
                status=409,
            ) from exc
        RatingAnswer.objects.bulk_create(
            RatingAnswer(rating=rating, criterion=criteria[code], score=score)
            for code, score in answers.items()
        )
        event_record(
            at=at,
            # Only the portal knows who rated; a link or a kiosk is anonymous.
            actor_id=user.pk if channel == RatingChannel.PORTAL and user is not None else None,
            agency_id=agency_id,
            subject_type="rating",
            subject_id=f"{dossier.code}:{stage}",
            action="rate",
            from_state="" if created else f"v{rating.version - 1}",
            to_state=f"v{rating.version}",
            payload={
                "dossier": dossier.code,
                "stage": stage,
                "channel": channel,
                "overall": overall,
                "answers": answers,
                # The comment stays out of the hash-chained log: it may hold personal details.
                "has_comment": bool(comment),
            },
        )
        # Nobody is told of a rating; the counts kept per day change with it.
        publish(Event(RATING_RECORDED, rating.pk, "rate", notify=False))
    return rating
