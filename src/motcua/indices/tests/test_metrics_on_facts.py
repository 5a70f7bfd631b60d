"""The computed leaves read the counts per day, and give what a hand count over the dossiers
gives: a week of history replayed through the services (seed 7), then each agency's share of
dossiers finished early or on time, of late ones with an apology, and received online, counted
by walking the rows in Python."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from motcua.demo.generate import Mix, apply_plan, plan_history
from motcua.dossiers.models import Apology, Dossier
from motcua.indices.metrics import Subject, metric_value

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SINCE = dt.datetime(2026, 3, 9, tzinfo=VN)
UNTIL = dt.datetime(2026, 3, 20, 16, 0, tzinfo=VN)
LIVELY = Mix(late_rate=(0.3, 0.5), apology=0.8)


def share(hits: int, total: int) -> Decimal | None:
    return (Decimal(hits) / Decimal(total)).quantize(Decimal("0.0001")) if total else None


def test_leaves_equal_a_hand_count_over_the_dossiers(world):
    # given two weeks of dossiers replayed through the services
    apply_plan(plan_history(seed=7, since=SINCE, until=UNTIL, per_day=12, mix=LIVELY))
    dossiers = list(Dossier.objects.all())
    apologised = set(Apology.objects.values_list("dossier_id", flat=True))
    agencies = sorted({d.lead_agency_id for d in dossiers})
    assert len(agencies) > 1
    checked = 0
    for agency_id in agencies:
        mine = [d for d in dossiers if d.lead_agency_id == agency_id]
        finished = [d for d in mine if d.finished_at is not None]
        late = [d for d in finished if d.verdict == "late"]
        # when the leaves are computed for the agency's 2026
        subject = Subject(agency_id=agency_id)
        # then each equals the hand count
        assert metric_value("dossiers_on_time", subject, 2026) == share(
            sum(d.verdict in ("early", "on_time") for d in finished), len(finished)
        )
        assert metric_value("apologies_for_late", subject, 2026) == share(
            sum(d.pk in apologised for d in late), len(late)
        )
        assert metric_value("online_share", subject, 2026) == share(
            sum(d.channel == "online" for d in mine), len(mine)
        )
        checked += bool(late)
    assert checked, "no agency had a late dossier to check"
