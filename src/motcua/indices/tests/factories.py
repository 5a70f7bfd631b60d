"""Direct rows for aggregate tests: dossiers, petitions and ratings with only the fields the
index metrics read (the lifecycle services are exercised in test_compute). Each row is followed
by the event its service would publish, so the counts per day the metrics read follow it."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

from motcua.catalog.models import Procedure
from motcua.common.events import DOSSIER_CHANGED, PETITION_CHANGED, RATING_RECORDED, Event, publish
from motcua.dossiers.models import Dossier
from motcua.feedback.models import Answer, Category, Petition
from motcua.org.models import Agency, User
from motcua.surveys.models import Rating

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_serial = itertools.count(1)


def at(day: str, hhmm: str = "09:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=VN)


def dossier_row(agency: Agency, received: str = "2025-03-03", **fields: Any) -> Dossier:
    n = next(_serial)
    values: dict[str, Any] = {
        "code": f"IDX-TEST-{n:06d}",
        "lookup_key": f"K{n:06d}",
        "procedure": Procedure.objects.order_by("id").first(),
        "procedure_version": 1,
        "channel": "counter",
        "status": "received",
        "applicant_kind": "person",
        "applicant_name": "Nguyễn Văn A",
        "receiving_agency": agency,
        "lead_agency": agency,
        "current_agency": agency,
        "processing_days": 5,
        "received_at": at(received),
    }
    finished = fields.pop("finished", None)
    if finished:
        values.update(status="result_ready", finished_at=at(finished))
    values.update(fields)
    dossier = Dossier.objects.create(**values)
    publish(Event(DOSSIER_CHANGED, dossier.pk, "receive", notify=False))
    return dossier


def petition_row(
    agency: Agency, due: str, *, answered: str | None = None, state: str = "received"
) -> Petition:
    category, _ = Category.objects.get_or_create(
        code="idx-test",
        defaults={
            "name_vi": "Thử",
            "name_en": "Test",
            "working_days": 10,
            "responsible": agency.code,
        },
    )
    n = next(_serial)
    petition = Petition.objects.create(
        category=category,
        state="answered" if answered else state,
        channel="web",
        token=f"idxtest{n:08d}",
        description="Đèn đường hỏng",
        agency=agency,
        received_at=at(due) - dt.timedelta(days=10),
        due_at=at(due, "17:00"),
    )
    if answered:
        Answer.objects.create(
            petition=petition,
            text="Đã sửa",
            author=User.objects.order_by("id")[0],
            agency=agency,
            published_at=at(answered, "10:00"),
        )
    publish(Event(PETITION_CHANGED, petition.pk, "receive", notify=False))
    return petition


def rating_row(agency: Agency, overall: int, day: str = "2025-04-01") -> Rating:
    dossier = dossier_row(agency, day)
    rating = Rating.objects.create(
        dossier=dossier,
        stage="return",
        channel="portal",
        overall=overall,
        agency=agency,
        created_at=at(day),
        updated_at=at(day),
    )
    publish(Event(RATING_RECORDED, rating.pk, "rate", notify=False))
    return rating
