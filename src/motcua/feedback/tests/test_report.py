"""The report per agency and period, against numbers computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from motcua.feedback.checks import PetitionInput
from motcua.feedback.links import rating_key
from motcua.feedback.models import Petition
from motcua.feedback.reports import petition_report
from motcua.feedback.services import (
    answer_rate,
    petition_answer,
    petition_create,
    petition_hide,
    petition_mark_duplicate,
)

from .conftest import HONG_BANG

# The province's time zone (settings.TIME_ZONE): Hải Phòng's wall clock.
VIETNAM_TIME = timezone.get_default_timezone()


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=VIETNAM_TIME)


def send(code: str, received: dt.datetime, due: dt.datetime) -> int:
    data = PetitionInput(
        category_code=code,
        description="Phản ánh.",
        address_id=HONG_BANG,
        attributes={"pollution_kind": ["noise"]} if code == "MT02" else {},
    )
    petition = petition_create(data=data, channel="web", now=received).petition
    Petition.objects.filter(pk=petition.pk).update(due_at=due)  # deadlines chosen by hand
    return petition.pk


def answer(petition_id: int, user, when: dt.datetime, score: int | None = None) -> None:
    petition_answer(petition_id=petition_id, user=user, text="Đã xử lý.", now=when)
    if score is not None:
        answer_rate(petition_id=petition_id, score=score, key=rating_key(petition_id), now=when)


@pytest.fixture
def march(world, staff):
    """Sở NN-MT (MT02) and Phường Hồng Bàng (HT01), March 2026:

    p1 received 2/3, due 16/3, answered 10/3 (on time), rated 5
    p2 received 3/3, due 17/3, answered 20/3 (late), rated 2
    p3 received 5/3, due 19/3, still open on 15/4 (open, overdue)
    p4 received 20/2, due 6/3, answered 4/3 (on time; received before March), rated 4
    p5 received 25/3, due 8/4, open (due after March: judged in April)
    p6 received 6/3, closed as spam (left out of everything)
    p7 received 7/3, due 21/3, closed 8/3 as a duplicate of p1 (received only)
    q1 (ward) received 10/3, due 24/3, answered 2/4 (due in March: late in March)
    """
    department = staff("SO-NNMT")
    ward = staff("UBND-11311")
    p1 = send("MT02", at(3, 2), at(3, 16, 17))
    p2 = send("MT02", at(3, 3), at(3, 17, 17))
    send("MT02", at(3, 5), at(3, 19, 17))
    p4 = send("MT02", at(2, 20), at(3, 6, 17))
    send("MT02", at(3, 25), at(4, 8, 17))
    p6 = send("MT02", at(3, 6), at(3, 20, 17))
    p7 = send("MT02", at(3, 7), at(3, 21, 17))
    q1 = send("HT01", at(3, 10), at(3, 24, 17))
    answer(p1, department, at(3, 10), score=5)
    answer(p2, department, at(3, 20), score=2)
    answer(p4, department, at(3, 4), score=4)
    petition_hide(petition_id=p6, user=department, reason="Spam", close=True, now=at(3, 6, 11))
    petition_mark_duplicate(petition_id=p7, user=department, original_id=p1, now=at(3, 8))
    answer(q1, ward, at(4, 2))
    return petition_report(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), now=at(4, 15))


def test_report_per_agency_matches_the_hand_count(march):
    rows = {row.agency_code: row for row in march.rows}
    department = rows["SO-NNMT"]
    assert department.received == 5  # p1 p2 p3 p5 p7
    assert department.answered_on_time == 2  # p1 p4
    assert department.answered_late == 1  # p2
    assert department.open_in_time == 0
    assert department.open_overdue == 1  # p3
    assert department.late == 2
    assert department.on_time_rate == 0.5  # 2 / (2 + 2)
    assert department.rated == 3 and department.satisfied == 2  # 5, 2, 4
    assert department.satisfaction_rate == 0.6667
    assert department.average_score == 3.67  # 11 / 3

    ward = rows["UBND-11311"]
    assert (ward.received, ward.answered_on_time, ward.late, ward.rated) == (1, 0, 1, 0)
    assert ward.on_time_rate == 0.0 and ward.satisfaction_rate is None

    assert march.total.received == 6 and march.total.late == 3


def test_report_api_and_page_show_the_same_numbers(march, client):
    body = client.get("/api/v1/feedback/report?start=2026-03-01&end=2026-03-31").json()
    by_code = {row["agency"]: row for row in body["agencies"]}
    assert by_code["SO-NNMT"]["received"] == 5
    assert by_code["SO-NNMT"]["answered_on_time"] == 2
    # the API computes "now" itself: p3 is overdue then too
    assert by_code["SO-NNMT"]["late"] == 2
    assert by_code["SO-NNMT"]["satisfaction_rate"] == 0.6667
    assert body["total"]["received"] == 6
    page = client.get("/phan-anh/bao-cao/", {"start": "2026-03-01", "end": "2026-03-31"})
    assert page.status_code == 200 and "67%" in page.content.decode()


def test_report_filters_by_agency_and_refuses_a_bad_period(march, client):
    body = client.get("/api/v1/feedback/report?start=2026-03-01&end=2026-03-31&agency=UBND-11311")
    assert [row["agency"] for row in body.json()["agencies"]] == ["UBND-11311"]
    assert client.get("/api/v1/feedback/report?start=2026-03-31&end=2026-03-01").status_code == 400
    assert client.get("/api/v1/feedback/report?start=2024-01-01&end=2026-03-01").status_code == 400


def test_a_petition_still_within_its_deadline_counts_as_on_time(march):
    """The portal's rule: a petition in process before its deadline is not late (yet)."""
    # given the March petitions, looked at on 18/3 at 10:00, before p3's deadline (19/3 17:00)
    # when
    report = petition_report(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), now=at(3, 18))
    # then p3 is open in time; p1 p4 answered on time, p2 late (its answer is in the data)
    department = next(row for row in report.rows if row.agency_code == "SO-NNMT")
    assert department.open_in_time == 1  # p3
    assert department.open_overdue == 0
    assert department.on_time == 3 and department.late == 1
    assert department.on_time_rate == 0.75
