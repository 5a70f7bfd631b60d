"""Direct rows for the facts tests, each followed by the event its service would publish (as
`indices.tests.factories` does one layer up, which this layer may not import)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from motcua.catalog.models import Procedure
from motcua.common.events import DOSSIER_CHANGED, PETITION_CHANGED, Event, publish
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.test_lifecycle import at
from motcua.feedback.models import Answer, Category, Petition
from motcua.org.models import Agency, User

_serial = itertools.count(1)


def dossier_row(agency: Agency, received: str, **fields: Any) -> Dossier:
    n = next(_serial)
    values: dict[str, Any] = {
        "code": f"FACTS-TEST-{n:06d}",
        "lookup_key": f"F{n:05d}",
        "procedure": Procedure.objects.order_by("id").first(),
        "procedure_version": 1,
        "channel": "counter",
        "status": "received",
        "applicant_kind": "person",
        "applicant_name": "Trần Văn Bình",
        "receiving_agency": agency,
        "lead_agency": agency,
        "current_agency": agency,
        "processing_days": 5,
        "received_at": at(received, "09:00"),
        **fields,
    }
    dossier = Dossier.objects.create(**values)
    publish(Event(DOSSIER_CHANGED, dossier.pk, "receive", notify=False))
    return dossier


def petition_row(agency: Agency, due: str, *, answered: str | None = None) -> Petition:
    category, _ = Category.objects.get_or_create(
        code="facts-test",
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
        state="answered" if answered else "received",
        channel="web",
        token=f"factstest{n:08d}",
        description="Đèn đường ngõ 12 Lạch Tray hỏng đã một tuần",
        agency=agency,
        received_at=at(due, "09:00") - dt.timedelta(days=10),
        due_at=at(due, "17:00"),
    )
    if answered:
        Answer.objects.create(
            petition=petition,
            text="Đã thay bóng đèn",
            author=User.objects.order_by("id")[0],
            agency=agency,
            published_at=at(answered, "10:00"),
        )
    publish(Event(PETITION_CHANGED, petition.pk, "receive", notify=False))
    return petition
