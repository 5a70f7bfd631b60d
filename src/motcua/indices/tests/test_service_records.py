"""Drill-down of the service index: exactly the records a number counts, for staff who may see
the agency, personal data masked outside the handling agency, bad input refused."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.catalog.models import Procedure
from motcua.facts.models import DossierDay
from motcua.facts.rebuild import rollups_rebuild
from motcua.facts.tests.conftest import UNTIL, month  # noqa: F401 - the facts' generated month
from motcua.facts.tests.rows import dossier_row
from motcua.indices.drilldown import mask_name

pytestmark = pytest.mark.django_db

RECORDS = "/api/v1/indices/service/records"


def _auth(world, username):
    return {"Authorization": f"Bearer {world.token(username)}"}


def _get(api_client, world, username, **params):
    headers = _auth(world, username) if username else {}
    return api_client.get(RECORDS, params, headers=headers)


@pytest.fixture
def dossiers(world):
    """Sở Tư pháp received three dossiers in January 2026, two of them digitised."""
    tp = world.agency("SO-TP")
    return [
        dossier_row(tp, "2026-01-05", digitised=True, applicant_name="Nguyễn Văn An"),
        dossier_row(tp, "2026-01-06", digitised=True),
        dossier_row(tp, "2026-01-07"),
    ]


@pytest.mark.parametrize(("part", "expected"), [("numerator", 2), ("denominator", 3)])
def test_the_records_are_exactly_those_counted(dossiers, world, api_client, part, expected):
    # given the index's number
    index = api_client.get("/api/v1/indices/service", {"period": "2026-01"}).json()
    item = next(i for i in index["items"] if i["agency"] == "SO-TP")
    metric = next(m for g in item["groups"] for m in g["metrics"] if m["code"] == "MDSH.2")
    # when a specialist of the agency drills down
    response = _get(
        api_client, world, "demo-specialist", period="2026-01", agency="SO-TP",
        metric="MDSH.2", part=part,
    )  # fmt: skip
    # then the total is the index's number and the rows are those dossiers
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == metric[part] == expected
    wanted = {d.code for d in (dossiers[:2] if part == "numerator" else dossiers)}
    assert {r["code"] for r in body["rows"]} == wanted
    row = next(r for r in body["rows"] if r["code"] == dossiers[0].code)
    assert row["applicant"] == "Nguyễn Văn An"  # the user's own agency handles it
    assert set(row) >= {"procedure", "received_at", "due_at", "finished_at", "verdict"}
    assert set(row) >= {"delay_working_days", "apology"}


def test_the_reform_office_sees_every_agency_masked_and_pages(dossiers, world, api_client):
    first = _get(
        api_client, world, "demo-reform", period="2026-01", agency="SO-TP",
        metric="MDSH.2", part="denominator", page_size=2,
    ).json()  # fmt: skip
    second = _get(
        api_client, world, "demo-reform", period="2026-01", agency="SO-TP",
        metric="MDSH.2", part="denominator", page_size=2, page=2,
    ).json()  # fmt: skip
    assert first["total"] == second["total"] == 3
    codes = [r["code"] for r in first["rows"] + second["rows"]]
    assert sorted(codes) == sorted(d.code for d in dossiers)
    names = {r["applicant"] for r in first["rows"] + second["rows"]}
    assert mask_name("Nguyễn Văn An") in names and "Nguyễn Văn An" not in names


def test_the_records_come_in_the_order_they_were_received_page_after_page(world, api_client):
    # given Sở Tư pháp's dossiers of January written in another order than received
    tp = world.agency("SO-TP")
    days = ["2026-01-20", "2026-01-05", "2026-01-12", "2026-01-05"]
    made = [dossier_row(tp, day) for day in days]
    pages = [
        _get(
            api_client,
            world,
            "demo-specialist",
            period="2026-01",
            agency="SO-TP",
            metric="MDSH.2",
            part="denominator",
            page_size=3,
            page=page,
        ).json()
        for page in (1, 2)
    ]
    # then the pages run through them by their receipt, ties by their order of writing
    listed = [r["code"] for page in pages for r in page["rows"]]
    assert listed == [made[1].code, made[3].code, made[2].code, made[0].code]
    assert [page["total"] for page in pages] == [4, 4]


def test_procedure_counts_list_the_procedures(world, api_client):
    # given a fee procedure of Sở Tư pháp with a dossier paid online in January, another without
    tp = world.agency("SO-TP")
    paid, unpaid = Procedure.objects.order_by("code")[:2]
    Procedure.objects.filter(competent_agency=tp).update(fee_vnd=0)
    Procedure.objects.filter(pk__in=[paid.pk, unpaid.pk]).update(
        fee_vnd=30_000, competent_agency=tp, abolished_on=None
    )
    DossierDay.objects.create(
        day=dt.date(2026, 1, 8), agency=tp, procedure=paid, channel="online",
        received=1, with_fee=1, paid_online=1,
    )  # fmt: skip
    rollups_rebuild(dt.date(2026, 1, 8), dt.date(2026, 1, 8))  # a row written by hand
    # when
    numerator = _get(
        api_client, world, "demo-leader", period="2026-01", agency="SO-TP",
        metric="TTTT.B", part="numerator",
    ).json()  # fmt: skip
    denominator = _get(
        api_client, world, "demo-leader", period="2026-01", agency="SO-TP",
        metric="TTTT.B", part="denominator",
    ).json()  # fmt: skip
    # then
    assert numerator["kind"] == "procedure"
    assert [r["code"] for r in numerator["rows"]] == [paid.code]
    assert {r["code"] for r in denominator["rows"]} == {paid.code, unpaid.code}
    index = api_client.get("/api/v1/indices/service", {"period": "2026-01"}).json()
    item = next(i for i in index["items"] if i["agency"] == "SO-TP")
    metric = next(m for g in item["groups"] for m in g["metrics"] if m["code"] == "TTTT.B")
    assert (metric["numerator"], metric["denominator"]) == (1, 2)
    assert (numerator["total"], denominator["total"]) == (1, 2)


def test_another_agencys_records_are_forbidden(world, api_client):
    response = _get(
        api_client, world, "demo-specialist", period="2026-01", agency="SO-NV",
        metric="MDSH.2", part="numerator",
    )  # fmt: skip
    assert response.status_code == 403
    assert response.json()["code"] == "records_other_agency"


@pytest.mark.parametrize("username", [None, "demo-citizen"])
def test_only_staff_drill_down(world, api_client, username):
    response = _get(
        api_client, world, username, period="2026-01", agency="SO-TP",
        metric="MDSH.2", part="numerator",
    )  # fmt: skip
    assert response.status_code in {401, 403}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"part": "half"}, "bad_part"),
        ({"metric": "XYZ.9"}, "unknown_metric"),
        ({"agency": "SO-KHONG-CO"}, "unknown_agency"),
        ({"period": "2026-02-10..2026-02-01"}, "period_reversed"),
        ({"period": "3000"}, "period_in_future"),
        ({"sort": "name"}, "unknown_parameter"),
    ],
)
def test_bad_input_is_400_in_both_languages(world, api_client, params, code):
    query = {"period": "2026-01", "agency": "SO-TP", "metric": "MDSH.2", "part": "numerator"}
    response = _get(api_client, world, "demo-reform", **{**query, **params})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and body["message"] != body["message_en"]


def test_the_catalog_numbers_list_the_announcements_and_procedures_counted(world, api_client):
    # given two procedures of Sở Tư pháp announced in January 2026: one decided on Friday
    # 2 January and published on Wednesday 7 January (3 working days: on time), one decided on
    # 5 January and published on 20 January (late); and an amendment of another agency's
    from motcua.catalog.models import CatalogEvent

    tp = world.agency("SO-TP")
    own = list(Procedure.objects.filter(competent_agency=tp).order_by("code")[:2])
    other = Procedure.objects.exclude(competent_agency=tp).exclude(competent_agency=None).first()
    assert len(own) == 2 and other is not None
    for procedure, decided, published in (
        (own[0], "2026-01-02", "2026-01-07"),
        (own[1], "2026-01-05", "2026-01-20"),
    ):
        CatalogEvent.objects.create(
            procedure=procedure, kind="announced", date=decided, published_on=published,
            decision="Quyết định 15/QĐ-UBND", field=procedure.field, levels="tỉnh",
        )  # fmt: skip
    CatalogEvent.objects.create(
        procedure=other, kind="amended", date="2026-01-08", published_on="2026-01-08",
        field=other.field, levels="tỉnh",
    )  # fmt: skip
    index = api_client.get("/api/v1/indices/service", {"period": "2026-01"}).json()
    item = next(i for i in index["items"] if i["agency"] == "SO-TP")
    metrics = {m["code"]: m for g in item["groups"] for m in g["metrics"]}

    def listed(metric, part):
        response = _get(
            api_client, world, "demo-reform", period="2026-01", agency="SO-TP",
            metric=metric, part=part, page_size=50,
        )  # fmt: skip
        assert response.status_code == 200, response.content
        return response.json()

    # when the reform office drills down into the announcements, then it sees both, one on time
    announced = listed("CKMB.1", "denominator")
    assert announced["kind"] == "catalog"
    assert announced["total"] == metrics["CKMB.1"]["denominator"] == 2
    assert [(r["procedure"], r["on_time"]) for r in announced["rows"]] == [
        (own[0].code, True),
        (own[1].code, False),
    ]
    on_time = listed("CKMB.1", "numerator")
    assert on_time["total"] == metrics["CKMB.1"]["numerator"] == 1
    assert on_time["rows"][0]["published"] == "2026-01-07"
    # the other agency's amendment is not Sở Tư pháp's
    assert listed("CKMB.2", "denominator")["total"] == metrics["CKMB.2"]["denominator"] == 0
    # and the procedures in force, and the complete ones, are as many as the index counts
    for part in ("numerator", "denominator"):
        procedures = listed("CKMB.3", part)
        assert procedures["total"] == metrics["CKMB.3"][part]
        codes = {r["procedure"] for r in procedures["rows"]}
        assert len(codes) == len(procedures["rows"]) == min(procedures["total"], 50)
    assert metrics["CKMB.3"]["denominator"] >= 2


def test_every_number_of_a_generated_month_drills_down_to_as_many_records(month, world):  # noqa: F811 - the fixture imported above
    """On a month replayed through the services, for every metric and both parts, the
    drill-down's total is the number the index shows, for every agency with dossiers."""
    from motcua.indices import service
    from motcua.indices.drilldown import service_records

    period = service.parse_period("2026-03", today=UNTIL.date())
    body = service.service_index(period, "all", now=UNTIL)
    reform = world.user("demo-reform")
    busy = [
        i for i in body["items"] if any(m["denominator"] for g in i["groups"] for m in g["metrics"])
    ]
    assert busy
    checked = 0
    for item in busy[:4]:
        for group in item["groups"]:
            for metric in group["metrics"]:
                for part in ("numerator", "denominator"):
                    listed = service_records(
                        user=reform, period=period, agency_code=item["agency"],
                        metric=metric["code"], part=part, page_size=1, now=UNTIL,
                    )  # fmt: skip
                    assert listed["total"] == metric[part], (item["agency"], metric["code"], part)
                    checked += 1
    assert checked > 50
