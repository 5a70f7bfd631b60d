"""`motcua generate`: a history planned from a seed and replayed through the real services.

Pins: the plan is a pure function of the seed; every planned moment is a working moment, in
order, never after the end of the period; replaying the plan gives exactly the statuses and
verdicts it planned, the same codes on an empty history, an event for every action, hand-overs
for forwarded dossiers, and an intact audit log; the command refuses to fill a period twice.

Calendar facts used: Mon 16 – Fri 20 March 2026 are five working days (no holiday)."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from motcua.audit.models import Event
from motcua.demo.generate import Mix, apply_plan, plan_history
from motcua.dossiers.models import Apology, Dossier, Handover, Status, SupplementRequest
from motcua.org.models import User
from motcua.workdays.selectors import get_calendar

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SINCE = dt.datetime(2026, 3, 16, tzinfo=VN)
UNTIL = dt.datetime(2026, 3, 20, 16, 0, tzinfo=VN)
# More of the rare things than the province sees, so five days show every one of them.
LIVELY = Mix(
    receipt_refuse=0.08,
    receipt_supplement=0.12,
    processing_supplement=0.15,
    stop=0.08,
    late_rate=(0.3, 0.5),
    apology=0.8,
)


class Rollback(Exception):
    pass


def test_plan_is_a_pure_function_of_the_seed(world):
    """Same seed, same plan (dossiers, actions, staff); another seed, another plan."""
    # when
    first = plan_history(seed=7, since=SINCE, until=UNTIL, per_day=10)
    again = plan_history(seed=7, since=SINCE, until=UNTIL, per_day=10)
    other = plan_history(seed=8, since=SINCE, until=UNTIL, per_day=10)
    # then
    # ten a day, less those that would have come after 16:00 on Friday
    assert 45 <= len(first.dossiers) <= 50
    assert all(SINCE <= d.actions[0].at <= UNTIL for d in first.dossiers)
    assert first.dossiers == again.dossiers and first.staff == again.staff
    assert first.late_rates == again.late_rates
    assert first.dossiers != other.dossiers
    assert len(set(first.late_rates.values())) > 1  # agencies differ, so rankings differ


def test_planned_moments_are_working_moments_in_order_and_never_in_the_future(world):
    """A plan ending now: each action inside office hours, after the one before, not after now."""
    # given
    calendar = get_calendar()
    now = timezone.now()
    # when
    plan = plan_history(seed=3, since=now - dt.timedelta(days=10), until=now, per_day=8)
    # then
    assert plan.dossiers
    for planned in plan.dossiers:
        moments = [action.at for action in planned.actions]
        assert moments == sorted(moments) and len(set(moments)) == len(moments)
        assert all(calendar.is_office_hours(moment) for moment in moments)
        assert moments[-1] <= now
        assert planned.actions[0].action == "receive"


def test_replay_gives_the_planned_history_through_the_services(world):
    """Five working days × 10 dossiers, replayed twice on an empty history: the same codes,
    statuses and verdicts both times, and every trace a user would look for."""
    # given
    plan = plan_history(seed=11, since=SINCE, until=UNTIL, per_day=10, mix=LIVELY)
    # when: a first replay, rolled back, then the replay we keep
    with pytest.raises(Rollback), transaction.atomic():
        rolled_back = apply_plan(plan).dossiers
        raise Rollback
    assert not Dossier.objects.exists()
    report = apply_plan(plan)
    # then: deterministic, and what the plan expected
    assert report.dossiers == rolled_back
    assert [(status, verdict) for _, status, verdict in report.dossiers] == [
        (planned.status, planned.verdict) for planned in plan.dossiers
    ]
    # every status a desk-received dossier can reach (paying/submitted are online-only)
    # Not replayed: the online-only waits (payment, desk's check of a submission or an online
    # supplement) and the applicant's own withdrawal.
    assert set(report.by_status) == set(Status.values) - {
        Status.PAYING,
        Status.SUBMITTED,
        Status.SUPPLEMENT_SUBMITTED,
        Status.WITHDRAWN,
    }
    # an event for every action, in the planned order, by the planned officer
    assert report.events_written == sum(len(planned.actions) for planned in plan.dossiers)
    calendar, now = get_calendar(), timezone.now()
    for (code, _, _), planned in zip(report.dossiers, plan.dossiers, strict=True):
        events = list(Event.objects.filter(subject_type="dossier", subject_id=code))
        assert [e.action for e in events] == [a.action for a in planned.actions]
        assert [e.actor.username for e in events] == [a.actor for a in planned.actions]
        assert all(calendar.is_office_hours(e.at) and e.at <= UNTIL <= now for e in events)
    # forwarded dossiers went through a hand-over to their lead agency
    forwarded_codes = Event.objects.filter(action="forward").values("subject_id")
    forwarded = Dossier.objects.filter(code__in=forwarded_codes).exclude(
        lead_agency=F("receiving_agency")
    )
    assert forwarded.exists()
    for dossier in forwarded:
        assert Handover.objects.filter(
            dossier=dossier, from_agency=dossier.receiving_agency, to_agency=dossier.lead_agency
        ).exists()
    # the rarer turns of a dossier's life happened too
    assert Apology.objects.exists()
    assert SupplementRequest.objects.filter(at_receipt=True, supplied_at__isnull=False).exists()
    assert SupplementRequest.objects.filter(at_receipt=False, supplied_at__isnull=False).exists()
    assert Dossier.objects.filter(result_kind="electronic").exclude(result_file="").exists()
    # officers created on the fly are demo accounts that cannot log in with a password
    created = User.objects.filter(username__startswith="desk-ubnd-")
    assert created.exists()
    assert all(
        u.is_demo and not u.has_usable_password() and u.role == "desk_officer" for u in created
    )
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()


def test_command_fills_a_period_once_and_appends_only_when_asked(world):
    """The summary is printed; a second run over the same period is refused with a bilingual
    message unless --append; an end in the future is refused."""
    # when
    out = StringIO()
    call_command("generate", months=1, per_day=1, seed=5, until="2026-03-20", stdout=out)
    # then
    text = out.getvalue()
    generated = Dossier.objects.count()
    assert generated > 15
    assert "dossiers by status" in text and "on time" in text and "events written" in text
    assert "dossiers per second" in text
    with pytest.raises(CommandError, match="--append"):
        call_command("generate", months=1, per_day=1, seed=5, until="2026-03-20", stdout=StringIO())
    call_command(
        "generate", months=1, per_day=1, seed=6, until="2026-03-20", append=True, stdout=StringIO()
    )
    assert Dossier.objects.count() > generated
    with pytest.raises(CommandError, match="future"):
        call_command("generate", until="2999-01-01", stdout=StringIO())


def test_replay_records_population_data_and_certified_copies_where_they_belong(world):
    # given: the demo catalog marks its certification procedures
    from motcua.catalog.models import Procedure

    plan = plan_history(seed=11, since=SINCE, until=UNTIL, per_day=10, mix=LIVELY)
    # when
    apply_plan(plan)
    # then: some people's data came from the population database, and only people's
    dossiers = Dossier.objects.all()
    assert 0 < dossiers.filter(population_data=True).count() < dossiers.count()
    assert not dossiers.filter(population_data=True).exclude(applicant_kind="person").exists()
    # certified copies only ever at certification procedures
    assert not dossiers.filter(certified_copy=True, procedure__certification=False).exists()
    assert Procedure.objects.filter(certification=True).exists()
