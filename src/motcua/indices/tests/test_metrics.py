"""Index metrics: each ratio counted by SQL over hand-built rows, for the right agency and
calendar year; no rows is "no data" (None), not zero."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.feedback.reports import petition_report
from motcua.indices.metrics import ALIASES, METRICS, Subject, metric_get, metric_value
from motcua.indices.tests.factories import dossier_row, petition_row, rating_row
from motcua.org.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def tp(world):
    return world.agency("SO-TP")


@pytest.fixture
def other(world):
    from motcua.org.models import Agency

    return Agency.objects.exclude(code="SO-TP").exclude(unit=world.agency("SO-TP").unit).first()


def _subject(agency):
    return Subject(agency_id=agency.pk)


def test_dossiers_on_time_counts_finished_in_the_year_by_lead_agency(tp, other):
    # given 3 early/on time and 1 late finished in 2025, plus noise
    dossier_row(tp, finished="2025-02-01", verdict="early")
    dossier_row(tp, finished="2025-06-01", verdict="on_time")
    dossier_row(tp, finished="2025-12-31", verdict="on_time")
    dossier_row(tp, finished="2025-07-01", verdict="late")
    dossier_row(tp, "2024-12-01", finished="2024-12-31", verdict="late")  # other year
    dossier_row(tp)  # not finished
    dossier_row(other, finished="2025-03-01", verdict="late")  # other agency
    # then 3 / 4
    assert metric_value("dossiers_on_time", _subject(tp), 2025) == Decimal("0.75")


def test_dossier_shares(tp):
    dossier_row(tp, channel="online", fee_vnd=50000, paid_online=True, digitised=True)
    dossier_row(tp, channel="online", fee_vnd=50000, reused_documents=2, digitised=True)
    dossier_row(tp, fee_vnd=30000, paid_online=True)
    dossier_row(tp, finished="2025-03-10", result_kind="electronic")
    dossier_row(tp, finished="2025-03-11", result_kind="both")
    dossier_row(tp, finished="2025-03-12", result_kind="paper")
    subject = _subject(tp)
    assert metric_value("online_share", subject, 2025) == Decimal("0.3333")  # 2 of 6
    assert metric_value("paid_online_share", subject, 2025) == Decimal("0.6667")  # 2 of 3 fees
    assert metric_value("electronic_results", subject, 2025) == Decimal("0.6667")  # 2 of 3
    assert metric_value("digitised_share", subject, 2025) == Decimal("0.3333")
    assert metric_value("reuse_share", subject, 2025) == Decimal("0.1667")  # 1 of 6


def test_no_rows_is_no_data_not_zero(tp):
    subject = _subject(tp)
    for name in METRICS:
        assert metric_value(name, subject, 2031) is None, name


def test_petitions_on_time_counts_unanswered_as_late(tp):
    petition_row(tp, "2025-05-10", answered="2025-05-09")
    petition_row(tp, "2025-05-10", answered="2025-05-10")  # 10:00 before 17:00: on time
    petition_row(tp, "2025-05-10", answered="2025-05-12")  # late
    petition_row(tp, "2025-05-10")  # never answered
    petition_row(tp, "2025-05-10", state="duplicate")  # not to be answered
    petition_row(tp, "2026-01-05", answered="2026-01-02")  # due next year
    assert metric_value("petitions_on_time", _subject(tp), 2025) == Decimal("0.5")


def test_petitions_on_time_is_the_one_definition_the_petition_report_counts(tp):
    """The metric for 2025 and the feedback report for 2025 give one number on one data set."""
    # given six petitions held by Sở Tư pháp that count in 2025, and two that do not
    petition_row(tp, "2025-03-10", answered="2025-03-09")  # on time
    petition_row(tp, "2025-05-12", answered="2025-05-12")  # on time (10:00 before 17:00)
    petition_row(tp, "2025-06-10", answered="2025-06-04")  # on time
    petition_row(tp, "2025-07-10", answered="2025-07-14")  # late
    petition_row(tp, "2025-08-11")  # still open past its deadline: late
    petition_row(tp, "2025-09-10", state="duplicate")  # not answered on its own: not counted
    petition_row(tp, "2026-01-05", answered="2026-01-02")  # due next year
    # when
    metric = metric_value("petitions_on_time", _subject(tp), 2025)
    report = petition_report(
        start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), agency_code=tp.code
    )
    # then 3 of 5, both ways
    (row,) = report.rows
    assert (row.on_time, row.late) == (3, 2)
    assert row.on_time_rate == 0.6
    assert metric == Decimal("0.6")


def test_rating_satisfied_counts_four_and_five(tp):
    for overall in (5, 4, 4, 3, 1):
        rating_row(tp, overall)
    rating_row(tp, 1, day="2024-06-01")
    assert metric_value("rating_satisfied", _subject(tp), 2025) == Decimal("0.6")


def test_a_four_is_satisfied_and_a_three_is_not_for_dossiers_and_petitions_alike(tp, world):
    """The threshold is one (common.ratings): the index metric, the ratings report and the
    petition report all count "Hài lòng" (4) as satisfied and "Bình thường" (3) not."""
    from motcua.feedback.models import AnswerRating
    from motcua.surveys.selectors import ratings_report

    # given two dossier ratings and two petition-answer ratings at Sở Tư pháp, 4 and 3
    for score in (4, 3):
        rating_row(tp, score, day="2025-04-01")
        answered = petition_row(tp, "2025-04-10", answered="2025-04-08")
        AnswerRating.objects.create(
            answer=answered.answer, score=score, via="link", rated_at=answered.answer.published_at
        )
    start, end = dt.date(2025, 4, 1), dt.date(2025, 4, 30)
    # when
    metric = metric_value("rating_satisfied", _subject(tp), 2025)
    dossiers = ratings_report(start=start, end=end, agency_ids=[tp.pk])["total"]
    (petitions,) = petition_report(start=start, end=end, agency_code=tp.code).rows
    # then one of two, three ways
    assert metric == Decimal("0.5")
    assert (dossiers["satisfied"], dossiers["satisfied_share"]) == (1, 0.5)
    assert (petitions.satisfied, petitions.satisfaction_rate) == (1, 0.5)


def test_a_unit_counts_all_its_agencies_and_only_them(world, tp):
    # given two agencies of the city's own unit and a ward's agency, which is another unit
    health = world.agency("SO-YT")
    assert health.unit_id == tp.unit_id
    ward = Agency.objects.exclude(unit_id=tp.unit_id).filter(unit__kind="ward").order_by("pk")[0]
    dossier_row(tp, finished="2025-02-01", verdict="early")
    dossier_row(health, finished="2025-04-01", verdict="on_time")
    dossier_row(health, finished="2025-05-01", verdict="late")
    dossier_row(ward, finished="2025-05-02", verdict="late")
    dossier_row(ward, finished="2025-05-03", verdict="late")
    # when
    unit_ratio = metric_value("dossiers_on_time", Subject(unit_id=tp.unit_id), 2025)
    # then 2 of the unit's 3: one agency alone would be 1/1, every agency in the city 2/5
    assert unit_ratio == Decimal("0.6667")


def test_each_metric_is_one_query(tp):
    dossier_row(tp, finished="2025-02-01", verdict="early")
    for name in METRICS:
        with CaptureQueriesContext(connection) as queries:
            metric_value(name, _subject(tp), 2025)
        assert len(queries) == 1, name


def test_aliases_point_at_registered_metrics():
    assert all(metric_get(alias) is not None for alias in ALIASES)
    with pytest.raises(KeyError):
        metric_value("nope", Subject(agency_id=1), 2025)
