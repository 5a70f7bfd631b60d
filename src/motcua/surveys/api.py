"""Rating endpoints: the applicant rates their dossier (portal channel), staff read the report
per agency and period, anyone reads the criteria in force."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja import Status as HttpStatus
from pydantic import Field

from motcua.common.errors import ApiError, reject_unknown_params
from motcua.org.apiauth import PUBLIC
from motcua.org.signed_in import user_or_none

from . import selectors
from .models import Rating, RatingChannel
from .services import rating_submit

router = Router(tags=["ratings"])

REPORT_MAX_DAYS = 366


class RatingIn(Schema):
    dossier: str = Field(..., max_length=48, description="Dossier code")
    stage: Literal["receipt", "return"] = "return"
    overall: int = Field(..., description="1 (very dissatisfied) … 5 (very satisfied)")
    answers: dict[str, int] = Field(
        default_factory=dict, description="Criterion code → score 1–5; any may be left out"
    )
    comment: str = Field("", max_length=5000, description="Plain text, at most 1000 characters")


class RevisionOut(Schema):
    number: int
    channel: str
    overall: int
    answers: dict[str, int]
    rated_at: dt.datetime
    replaced_at: dt.datetime


class RatingOut(Schema):
    dossier: str
    stage: str
    channel: str
    overall: int
    overall_label: str
    answers: dict[str, int]
    comment: str
    agency: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    revisions: list[RevisionOut]


class CriterionOut(Schema):
    code: str
    label_vi: str
    label_en: str
    stage: str
    position: int
    effective_from: dt.date


class CriterionStatOut(Schema):
    code: str
    label_vi: str
    label_en: str
    count: int
    average: float | None
    satisfied_share: float | None


class AgencyReportOut(Schema):
    agency: str
    agency_name: str
    count: int
    average_overall: float | None
    satisfied: int
    satisfied_share: float | None
    dossier_satisfaction_points: float
    criteria: list[CriterionStatOut]


class TotalReportOut(Schema):
    count: int
    average_overall: float | None
    satisfied: int
    satisfied_share: float | None
    dossier_satisfaction_points: float
    criteria: list[CriterionStatOut]


class ReportOut(Schema):
    start: dt.date = Field(..., alias="from")
    end: dt.date = Field(..., alias="to")
    stage: str | None
    agencies: list[AgencyReportOut]
    total: TotalReportOut


def _out(rating: Rating) -> dict:
    local = timezone.localtime
    return {
        "dossier": rating.dossier.code,
        "stage": rating.stage,
        "channel": rating.channel,
        "overall": rating.overall,
        "overall_label": str(rating.get_overall_display()),
        "answers": {a.criterion.code: a.score for a in rating.answers.select_related("criterion")},
        "comment": rating.comment,
        "agency": rating.agency.code,
        "version": rating.version,
        "created_at": local(rating.created_at),
        "updated_at": local(rating.updated_at),
        "revisions": [
            {
                "number": r.number,
                "channel": r.channel,
                "overall": r.overall,
                "answers": r.answers,
                "rated_at": local(r.rated_at),
                "replaced_at": local(r.replaced_at),
            }
            for r in rating.revisions.order_by("number")
        ],
    }


@router.post(
    "",
    response={200: RatingOut, 201: RatingOut},
    summary="Rate your own dossier (201), or change your rating (200; the old one is kept)",
)
def rating_create(request: HttpRequest, body: RatingIn) -> HttpStatus:
    rating = rating_submit(
        dossier_code=body.dossier,
        stage=body.stage,
        channel=RatingChannel.PORTAL,
        overall=body.overall,
        answers=body.answers,
        comment=body.comment,
        user=user_or_none(request),
    )
    rating = Rating.objects.select_related("dossier", "agency").get(pk=rating.pk)
    return HttpStatus(201 if rating.version == 1 else 200, _out(rating))


@router.get(
    "/criteria", response=list[CriterionOut], auth=PUBLIC, summary="Rating criteria in force"
)
def criteria_list(
    request: HttpRequest,
    stage: Literal["receipt", "return"] | None = None,
    on: dt.date | None = Query(None, description="Date (default today)"),
) -> list:
    reject_unknown_params(request.GET, {"stage", "on"})
    return selectors.criteria_in_force(stage, on)


@router.get(
    "/report",
    response=ReportOut,
    by_alias=True,
    summary="Ratings per agency and period, per criterion, with the Decision 766 points",
)
def ratings_report(
    request: HttpRequest,
    start: dt.date = Query(..., alias="from"),
    end: dt.date = Query(..., alias="to"),
    agency: str | None = Query(None, max_length=32, description="Agency code"),
    stage: Literal["receipt", "return"] | None = None,
) -> dict:
    reject_unknown_params(request.GET, {"from", "to", "agency", "stage"})
    if end < start or (end - start).days > REPORT_MAX_DAYS:
        raise ApiError(
            "invalid_period",
            _("The period is not valid (at most one year)."),
        )
    agency_ids = selectors.report_agencies_for(user_or_none(request), agency)
    return selectors.ratings_report(start=start, end=end, agency_ids=agency_ids, stage=stage)
