"""The Decision 766 service index on a small hand-built history of facts rows: each metric's
numerator, denominator and points against a hand count, the group totals, the ranks with a
tie, the API's contract and its bad input."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Procedure
from motcua.common.errors import ApiError
from motcua.facts.models import DossierDay
from motcua.facts.rebuild import rollups_rebuild
from motcua.facts.records import COLUMNS
from motcua.indices import engine, service
from motcua.indices.methodology import METHODOLOGY_DIR, read_file, validate

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 3)
JANUARY = service.Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31), "2026-01")
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def _dossier_day(agency, procedure, day, **counts):
    return DossierDay.objects.create(
        day=day, agency=agency, procedure=procedure, channel="online", **counts
    )


@dataclass(frozen=True)
class Published:
    """The shape of catalog.selectors.publication_counts' values."""

    announced: int = 4
    announced_on_time: int = 3
    amended: int = 2
    amended_on_time: int = 1
    in_force: int = 10
    complete: int = 8


@pytest.fixture
def history(world, monkeypatch):
    """Sở Tư pháp and Sở Nội vụ with the same January, so they tie; one fee procedure with
    dossiers and one without for each (competent agency set by hand); the catalog's counts of
    publication given by hand (they are the catalog's to compute and test)."""
    tp, nv = world.agency("SO-TP"), world.agency("SO-NV")

    def publication_counts(first, last, *, is_working_day):
        return {tp.pk: Published(), nv.pk: Published()}

    monkeypatch.setattr(catalog_selectors, "publication_counts", publication_counts, raising=False)
    procedures = list(Procedure.objects.order_by("code")[:4])
    Procedure.objects.filter(competent_agency__in=[tp, nv]).update(fee_vnd=0)
    for agency, pair in ((tp, procedures[:2]), (nv, procedures[2:])):
        Procedure.objects.filter(pk__in=[p.pk for p in pair]).update(
            fee_vnd=50_000, competent_agency=agency, abolished_on=None
        )
        _dossier_day(
            agency,
            pair[0],
            dt.date(2026, 1, 5),
            received=10,
            online_full=4,
            eligible_full=5,
            with_fee=5,
            paid_online=2,
            digitised=8,
            reused=2,
            synchronised=9,
            population_data=3,
            due=6,
            due_in_time=3,
            due_late=1,
            due_open=2,
            finished=5,
            finished_on_time=4,
            finished_late=1,
            electronic_result=3,
            result_stored=1,
            satisfied=4,
        )
        # due after "now": still in process and in time
        _dossier_day(agency, pair[0], dt.date(2026, 12, 20), due=1, due_open=1)
    # outside the period: counts nowhere
    _dossier_day(tp, procedures[0], dt.date(2026, 2, 1), received=100, synchronised=0)
    # rows written by hand, not by the recorders: their sums per agency and month too
    rollups_rebuild(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    return tp, nv


def _metrics(item):
    return {m["code"]: m for g in item["groups"] for m in g["metrics"]}


EXPECTED = {
    # code: (numerator, denominator, points)
    "CKMB.1": (3, 4, 4.5),
    "CKMB.2": (1, 2, 2.0),
    "CKMB.3": (8, 10, 1.6),
    "CKMB.4": (9, 10, 5.4),
    "TDGQ.1": (3, 6, 10.0),  # 3 in time; 2 still open, overdue by December; 1 late
    "CLGQ.1": (4, 5, 12.0),  # min(12, 12 × 0.8 / 0.8)
    "TTTT.A": (2, 5, 2.4),
    "TTTT.B": (1, 2, 1.25),  # min(2, 2.5 × ½)
    "TTTT.C": (1, 2, 1.25),  # 2.5 × ½
    "MDSH.1": (3, 5, 3.6),
    "MDSH.2": (8, 10, 4.0),  # full marks at 80 %
    "MDSH.3": (0, 0, 0.0),  # no certification procedure finished
    "MDSH.4": (2, 10, 0.5),  # 2 × 0.2 / 0.8
    "MDSH.5": (1, 5, 0.8),
    "MDSH.6": (3, 10, 0.6),
    "MDSH.7": (1, 1, 2.0),
    "MDHL.1": (0, 0, 6.0),  # no petitions: 6 (the portal's rule)
    "MDHL.2": (0, 0, 6.0),
    "MDHL.3": (4, 5, 5.33),  # min(6, 6 × 0.8 / 0.9)
}
GROUPS = {"CKMB": 13.5, "TDGQ": 10.0, "CLGQ": 12.0, "TTTT": 4.9, "MDSH": 11.5, "MDHL": 17.33}


def test_each_metric_against_a_hand_count(history):
    # when
    body = service.service_index(JANUARY, "department", now=NOW)
    # then
    item = next(i for i in body["items"] if i["agency"] == "SO-TP")
    metrics = _metrics(item)
    got = {
        code: (m["numerator"], m["denominator"], m["points"])
        for code, m in metrics.items()
        if code in EXPECTED
    }
    assert got == EXPECTED
    assert {g["code"]: g["score"] for g in item["groups"]} == GROUPS
    assert item["total"] == 69.23


def test_procedures_used_over_whole_months_and_the_days_around_them(history):
    # given Sở Tư pháp's two procedures: the first used on 5 January and 1 February, the
    # second on 31 March, paid online
    tp, _nv = history
    first, second = Procedure.objects.order_by("code")[:2]
    _dossier_day(tp, second, dt.date(2026, 3, 31), received=1, with_fee=1, paid_online=1)
    rollups_rebuild(dt.date(2026, 3, 31), dt.date(2026, 3, 31))

    def used(text: str) -> dict[str, set[str]]:
        period = service.parse_period(text, today=TODAY)
        sets = service.procedure_sets(period).get(tp.pk, {})
        names = {first.pk: "first", second.pk: "second"}
        return {column: {names[p] for p in ids} for column, ids in sets.items() if ids}

    # then whole months are read from the month sums, the days around them from the day rows
    assert used("2026-01")["received"] == {"first"}
    assert used("2026-01-06..2026-01-31") == {}
    assert used("2026-01-06..2026-03-30")["received"] == {"first"}  # February, whole
    assert "paid_online" not in used("2026-01-06..2026-03-30")
    assert used("2026-02-02..2026-03-31")["paid_online"] == {"second"}  # March, whole
    assert used("2026-03-31..2026-03-31")["paid_online"] == {"second"}  # one day only
    assert used("2026-01-05..2026-03-31")["received"] == {"first", "second"}
    assert used("2026")["with_fee"] == {"first", "second"}


def test_open_dossiers_are_judged_as_of_now_in_whole_months_and_in_the_month_of_now(history):
    # given Sở Tư pháp's dossiers still open: 2 due on 5 January (the fixture's), one due on
    # 5 and one on 20 March, and one on each of 1, 20 (the fixture's) and 31 December
    tp, _nv = history
    first = Procedure.objects.order_by("code")[0]
    for day in (dt.date(2026, 3, 5), dt.date(2026, 3, 20), dt.date(2026, 12, 1)):
        _dossier_day(tp, first, day, due=1, due_open=1)
    _dossier_day(tp, first, dt.date(2026, 12, 31), due=1, due_open=1)
    rollups_rebuild(dt.date(2026, 3, 1), dt.date(2026, 12, 31))
    names = {"dossier.due", "dossier.due_open_in_time", "dossier.due_open_overdue"}

    def judged(text: str, now: dt.datetime, today: dt.date = TODAY) -> tuple[int, ...]:
        period = service.parse_period(text, today=today)
        counts = service.inputs(names, period, [(tp.pk, tp.kind)], now)[tp.pk]
        return tuple(counts[n] for n in sorted(names))  # due, in time, overdue

    # then, on 31 December before closing, December is whole but judged day by day
    new_years_eve = dt.datetime(2026, 12, 31, 2, 0, tzinfo=dt.UTC)
    assert judged("2026-12", new_years_eve, dt.date(2026, 12, 31)) == (3, 1, 2)
    # as of 10 March, months after March are in time, January overdue, March split at the 10th
    march = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)
    assert judged("2026", march) == (9, 2, 3)
    assert judged("2026-Q1", march) == (8, 1, 3)
    # and today (3 December) everything due so far is overdue
    assert judged("2026", NOW) == (9, 0, 5)


def test_every_input_the_file_names_is_counted():
    """A misspelt input would silently count 0: each is a facts column (or a timed class) the
    drill-down knows, a procedure count or a catalog count."""
    doc = read_file(METHODOLOGY_DIR / "service-766.yaml")
    known = {f"{table}.{column}" for table, columns in COLUMNS.items() for column in columns}
    known |= {"procedures.fee", "procedures.fee_paid_online", "procedures.fee_received"}
    known |= {"procedures.received", "procedures.population_data"}
    known |= {f"catalog.{f}" for f in ("announced", "announced_on_time", "amended")}
    known |= {f"catalog.{f}" for f in ("amended_on_time", "in_force", "complete")}
    assert service.inputs_of(doc) <= known


def test_progress_counts_the_dossiers_still_in_time_as_on_time(history):
    metrics = _metrics(service.service_index(JANUARY, "department", now=NOW)["items"][0])
    # 3 finished in time, 2 still open but overdue by December, 1 late: 3 / 6 → 10 points
    assert (metrics["TDGQ.1"]["numerator"], metrics["TDGQ.1"]["denominator"]) == (3, 6)
    assert metrics["TDGQ.1"]["points"] == 10.0
    december = service.Period(dt.date(2026, 12, 1), dt.date(2026, 12, 31), "2026-12")
    later = _metrics(service.service_index(december, "department", now=NOW)["items"][0])
    assert (later["TDGQ.1"]["numerator"], later["TDGQ.1"]["denominator"]) == (1, 1)


def test_group_scores_add_up_and_ties_share_a_rank(history):
    body = service.service_index(JANUARY, "department", now=NOW)
    by_agency = {i["agency"]: i for i in body["items"]}
    tp, nv = by_agency["SO-TP"], by_agency["SO-NV"]
    for group in tp["groups"]:
        expected = sum(Decimal(str(m["points"])) for m in group["metrics"])
        assert Decimal(str(group["score"])) == min(expected, Decimal(str(group["max_points"])))
    assert tp["total"] == float(sum(Decimal(str(g["score"])) for g in tp["groups"]))
    # the same history: the same total, both first; the next one is third (1224)
    assert tp["total"] == nv["total"] and tp["rank"] == nv["rank"] == 1
    others = [i for i in body["items"] if i["agency"] not in {"SO-TP", "SO-NV"}]
    assert others and {i["rank"] for i in others} == {3}
    assert {i["level"] for i in body["items"]} == {"department"}


def test_the_province_adds_up_numerators_and_denominators(history):
    province = service.service_index(JANUARY, "all", now=NOW)["province"]
    metrics = _metrics(province)
    assert (metrics["CKMB.4"]["numerator"], metrics["CKMB.4"]["denominator"]) == (18, 20)
    assert metrics["CKMB.4"]["points"] == 5.4
    assert "rank" not in province


def test_online_payment_is_capped_at_ten():
    nodes = read_file(METHODOLOGY_DIR / "service-766.yaml")["nodes"]
    rolled = engine.rollup(nodes, {"TTTT.A": 6, "TTTT.B": 2, "TTTT.C": 2.5})
    assert rolled["TTTT"] == 10


def test_the_methodology_file_is_valid_and_its_groups_are_the_portals():
    doc = read_file(METHODOLOGY_DIR / "service-766.yaml")
    assert validate(doc) == []
    groups = {n["code"]: n["max_points"] for n in doc["nodes"] if n["parent"] is None}
    assert groups == {"CKMB": 18, "TDGQ": 20, "CLGQ": 12, "TTTT": 10, "MDSH": 22, "MDHL": 18}


def test_a_bad_formula_is_refused():
    doc = read_file(METHODOLOGY_DIR / "service-766.yaml")
    leaf = next(n for n in doc["nodes"] if n["code"] == "MDHL.3")
    leaf["rule"] = {**leaf["rule"], "full_marks_at": 0, "no_data_points": 9}
    codes = {e["code"] for e in validate(doc)}
    assert codes == {"bad_formula"}
    capped = next(n for n in doc["nodes"] if n["code"] == "TTTT")
    capped["max_points"] = 11  # children 10.5 cannot reach it
    assert "points_do_not_add_up" in {e["code"] for e in validate(doc)}


def test_a_new_version_applies_from_its_effective_date(tmp_path):
    shipped = (METHODOLOGY_DIR / "service-766.yaml").read_text(encoding="utf-8")
    (tmp_path / "service-766.yaml").write_text(shipped, encoding="utf-8")
    revised = shipped.replace("version: '2022.1'", "version: '2027.1'").replace(
        "effective_from: '2022-06-23'", "effective_from: '2027-01-01'"
    )
    (tmp_path / "service-766-2027.yaml").write_text(revised, encoding="utf-8")
    assert service.methodology_in_force(dt.date(2026, 12, 31), tmp_path)["version"] == "2022.1"
    assert service.methodology_in_force(dt.date(2027, 1, 1), tmp_path)["version"] == "2027.1"


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2026-03-05..2026-03-09", dt.date(2026, 3, 5), dt.date(2026, 3, 9)),
        ("2026", dt.date(2026, 1, 1), TODAY),
    ],
)
def test_periods(text, first, last):
    period = service.parse_period(text, today=TODAY)
    assert (period.first, period.last, period.label) == (first, last, text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2026-Q5", "bad_period"),
        ("2026-13", "bad_period"),
        ("26", "bad_period"),
        ("2026-02-30..2026-03-01", "bad_period"),
        ("2026-03-09..2026-03-05", "period_reversed"),
        ("2027", "period_in_future"),
    ],
)
def test_bad_periods(text, code):
    with pytest.raises(ApiError) as raised:
        service.parse_period(text, today=TODAY)
    assert raised.value.code == code


def test_api_is_public_and_has_the_issues_shape(history, api_client):
    response = api_client.get("/api/v1/indices/service", {"period": "2026-01", "level": "all"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"period", "items", "province"}
    item = body["items"][0]
    assert set(item) == {"agency", "agency_name", "level", "total", "rank", "groups"}
    assert set(item["groups"][0]) == {"code", "name", "max_points", "score", "metrics"}
    assert set(item["groups"][0]["metrics"][0]) == {
        "code",
        "name",
        "numerator",
        "denominator",
        "ratio",
        "points",
        "max_points",
    }
    assert {i["level"] for i in body["items"]} == {"department", "commune"}
    assert "rank" not in body["province"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"period": "2026-Q7"}, "bad_period"),
        ({"period": "2999"}, "period_in_future"),
        ({"period": "2026", "level": "district"}, "bad_level"),
        ({"period": "2026", "colour": "red"}, "unknown_parameter"),
    ],
)
def test_api_bad_input_is_400_in_both_languages(world, api_client, params, code):
    response = api_client.get("/api/v1/indices/service", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and body["message"] and body["message_en"]
    assert body["message"] != body["message_en"]


def test_the_index_is_a_handful_of_grouped_queries_whatever_the_history(
    history, django_assert_max_num_queries
):
    """Agencies, dossier facts, petition facts, fee procedures, procedures per agency, the
    level's agencies (and the catalog's publication counts when it keeps them)."""
    with django_assert_max_num_queries(8):
        service.service_index(JANUARY, "all", now=NOW)


def test_the_page_shows_the_ranking_in_vietnamese(history, client):
    response = client.get("/chi-so/phuc-vu/", {"period": "2026-01", "level": "department"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bộ chỉ số phục vụ người dân, doanh nghiệp" in page
    assert 'data-agency="SO-TP"' in page and 'data-agency="SO-NV"' in page
    assert "Toàn tỉnh" in page


def test_the_page_says_what_is_wrong_with_a_period(world, client):
    response = client.get("/chi-so/phuc-vu/", {"period": "2026-03-09..2026-03-05"})
    assert response.status_code == 400
    assert "kết thúc trước khi bắt đầu" in response.content.decode()
