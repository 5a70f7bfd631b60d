"""A generated month of history for the rebuild and drill-down tests: dossiers replayed through
the services, their ratings and 30 petitions made through theirs, and the things the generator
does not make yet (population data, the citizen's store, certified copies, certification
procedures, the portal's acknowledgements), each written as its service would and followed by
the event it publishes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.catalog.models import Procedure
from motcua.common.events import DOSSIER_CHANGED, Event, publish
from motcua.demo.generate import Mix, apply_plan, months_before, plan_history
from motcua.demo.petitions import load_feedback_demo
from motcua.demo.ratings import load_demo_ratings
from motcua.dossiers.models import Dossier
from motcua.facts.tests.rows import petition_row
from motcua.surveys.models import Rating
from motcua.surveys.services import rating_submit
from motcua.sync.models import OutboxMessage
from motcua.sync.services import Answer, outbox_answer_record

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UNTIL = dt.datetime(2026, 3, 20, 16, 0, tzinfo=VN)
SINCE = dt.datetime.combine(months_before(UNTIL.date(), 1), dt.time(), tzinfo=VN)
# More of the rare things than the province sees, so one month shows every one of them.
LIVELY = Mix(
    receipt_refuse=0.08,
    receipt_supplement=0.12,
    processing_supplement=0.15,
    stop=0.08,
    late_rate=(0.3, 0.5),
    apology=0.8,
)


def _enrich() -> None:
    """Population data on every third dossier, the fee paid online on every second with a fee,
    the result stored and a certified copy on every second finished one, the portal's
    acknowledgement of every second receipt message; one rating changed to 1 and one petition
    answered late (the generator makes neither)."""
    for n, dossier in enumerate(Dossier.objects.order_by("pk")):
        fields: dict[str, object] = {}
        if dossier.fee_vnd > 0 and n % 2 == 0:
            fields["paid_online"] = True
        if n % 3 == 0:
            fields["population_data"] = True
        if dossier.finished_at is not None and n % 2 == 0:
            fields["result_stored_at"] = dossier.finished_at + dt.timedelta(minutes=5)
            fields["certified_copy"] = True
        if fields:
            Dossier.objects.filter(pk=dossier.pk).update(**fields)
            publish(Event(DOSSIER_CHANGED, dossier.pk, "record", notify=False))
    receipts = OutboxMessage.objects.filter(action__in=("receive", "submit")).order_by("pk")
    for message in receipts[::2]:
        outbox_answer_record(message, Answer(200), now=UNTIL)
    rating = Rating.objects.filter(stage="return").select_related("dossier").order_by("pk").first()
    assert rating is not None
    rating_submit(
        dossier_code=rating.dossier.code,
        stage="return",
        channel="kiosk",
        overall=1,
        lookup_key=rating.dossier.lookup_key,
        at=UNTIL - dt.timedelta(hours=1),
    )
    petition_row(rating.agency, "2026-03-10", answered="2026-03-12")


@pytest.fixture
def month(world):
    """A month of dossiers (seed 7) to 20 March 2026, their ratings, and 30 petitions."""
    certifying = Procedure.objects.order_by("id").values_list("pk", flat=True)[::2]
    Procedure.objects.filter(pk__in=list(certifying)).update(certification=True)
    plan = plan_history(seed=7, since=SINCE, until=UNTIL, per_day=8, mix=LIVELY)
    apply_plan(plan)
    load_demo_ratings(now=UNTIL)
    load_feedback_demo(seed=7, count=30, now=UNTIL)
    _enrich()
    return plan
