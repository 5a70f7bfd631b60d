"""Query counts pinned on the hot paths: the desk queue, the dossier page, the API list and
detail, a receipt and a forward through the API. Each is measured with few and with many rows
(dossiers in the queue, round trips in a dossier's history, documents in a receipt) and must be
the same number: a count that grows with the rows is an N+1 a busy desk would feel.

A change that adds a query on purpose updates the number here, and says why in its commit."""

import pytest
from django.utils.timezone import localdate as local_day

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ActionData, ApplicantData, ReceiptData, dossier_act
from motcua.dossiers.services import dossier_receive as receive_service

pytestmark = pytest.mark.django_db

PASSWORD = "motcua-demo"
PROCEDURE = "1.003179"  # Đăng ký lại việc nuôi con nuôi có yếu tố nước ngoài, Sở Tư pháp
FEW, MANY = 2, 20

# session, user, the page of dossiers, its total, the two queue counters, nothing per row
QUEUE_PAGE = 6
# session, user, dossier, handovers, supplement requests, apology, history, steps, agencies to
# forward to, the actors, documents
DOSSIER_PAGE = 11
# token, the page, its total, and the token's last use
API_LIST = 4
API_DETAIL = 5
# token and its last use; procedure and its documents; agency; day counter (read, bump,
# reread); full_clean's foreign key and unique checks; the dossier; two participants; the first
# handover; the clock; the audit chain (lock, read, append, move); the answer (dossier, handovers,
# history); the counts per day (the dossier's facts, its contribution so far, the received and
# the due day's rows, their two agency-day sums, the procedure's year, the new contribution,
# and the agency's month of each day: `_months_touched`); the outbox (the dossier, its
# message). The papers are one JSON column: eight cost what one costs.
API_RECEIPT = 50
# token and its last use; the locked dossier; its steps and handovers; close the open handover,
# open the next; the participant; the dossier; the audit chain; the counts per day (the
# dossier's facts and its contribution: a forward changes no count, so nothing is written); the
# outbox (the dossier, its message); the answer
API_FORWARD = 27


def _months_touched(dossier: Dossier) -> int:
    """How many agency-month sums a receipt like `dossier` (same procedure, same day) adds to:
    one when it is due in the month it was received, two when due in a later one."""
    return len({local_day(m).replace(day=1) for m in (dossier.received_at, dossier.due_at)})


def _receive(world, n: int) -> list[Dossier]:
    names = ["Nguyễn Thị Ngữ", "Trần Văn Hùng", "Lê Thị Mai", "Phạm Quốc Bảo", "Vũ Thị Lan"]
    return [
        receive_service(
            actor=world.user("demo-desk"),
            data=ReceiptData(
                procedure_code=PROCEDURE,
                channel="counter",
                applicant=ApplicantData(
                    kind="person",
                    name=f"{names[i % len(names)]} {i}",
                    id_number=f"0311900{i:05d}",
                ),
            ),
        )
        for i in range(n)
    ]


def _round_trips(world, dossier: Dossier, times: int) -> Dossier:
    """Sở Tư pháp and the desk hand the dossier back and forth: each trip adds two handovers and
    two history lines."""
    desk, specialist = world.user("demo-desk"), world.user("demo-specialist")
    dossier = dossier_act(
        actor=desk,
        code=dossier.code,
        data=ActionData(action="forward", to_agency_code="SO-TP", version=dossier.version),
    )
    for _ in range(times):
        for actor, to in ((specialist, desk.agency.code), (desk, "SO-TP")):
            dossier = dossier_act(
                actor=actor,
                code=dossier.code,
                data=ActionData(action="forward", to_agency_code=to, version=dossier.version),
            )
    return dossier


def _bearer(world, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.token(username)}"}


def _receipt_body(documents: int) -> dict:
    return {
        "procedure": PROCEDURE,
        "channel": "counter",
        "applicant": {
            "kind": "person",
            "name": "Nguyễn Thị Ngữ",
            "id_number": "031190012345",
            "phone": "0912345678",
            "address": "Số 12 Lạch Tray, phường Ngô Quyền, Hải Phòng",
        },
        "documents": [
            {"name": f"Giấy tờ kèm theo số {i + 1}", "digitised": True} for i in range(documents)
        ],
    }


@pytest.mark.parametrize("rows", [FEW, MANY])
def test_queue_page(world, client, django_assert_num_queries, rows):
    # given a desk officer with a queue of `rows` open dossiers
    _receive(world, rows)
    assert client.login(username="demo-desk", password=PASSWORD)
    client.get("/ho-so/")  # the first request after login settles the session
    # when / then
    with django_assert_num_queries(QUEUE_PAGE):
        response = client.get("/ho-so/")
    assert len(response.context["result"].items) == rows


@pytest.mark.parametrize("trips", [1, 8])
def test_dossier_page(world, client, django_assert_num_queries, trips):
    # given a dossier handed between the desk and Sở Tư pháp `trips` times
    dossier = _round_trips(world, _receive(world, FEW)[0], trips)
    assert client.login(username="demo-specialist", password=PASSWORD)
    client.get("/ho-so/")
    # when / then
    with django_assert_num_queries(DOSSIER_PAGE):
        response = client.get(f"/ho-so/{dossier.code}/")
    assert response.status_code == 200
    assert dossier.handovers.count() == 2 * trips + 2


@pytest.mark.parametrize("rows", [FEW, MANY])
def test_api_list(world, api_client, django_assert_num_queries, rows):
    # given
    _receive(world, rows)
    headers = _bearer(world, "demo-desk")
    # when / then
    with django_assert_num_queries(API_LIST):
        response = api_client.get("/api/v1/dossiers", headers=headers)
    assert response.json()["total"] == rows


@pytest.mark.parametrize("trips", [1, 8])
def test_api_detail(world, api_client, django_assert_num_queries, trips):
    # given
    dossier = _round_trips(world, _receive(world, 1)[0], trips)
    headers = _bearer(world, "demo-specialist")
    # when / then
    with django_assert_num_queries(API_DETAIL):
        response = api_client.get(f"/api/v1/dossiers/{dossier.code}", headers=headers)
    assert len(response.json()["handovers"]) == 2 * trips + 2


@pytest.mark.parametrize(("rows", "documents"), [(FEW, 1), (MANY, 8)])
def test_api_receipt(world, api_client, django_assert_num_queries, rows, documents):
    # given dossiers already received today (the day counter) and a receipt of `documents` papers
    earlier = _receive(world, rows)
    headers = _bearer(world, "demo-desk")
    # when / then
    with django_assert_num_queries(API_RECEIPT + _months_touched(earlier[0])):
        response = api_client.post(
            "/api/v1/dossiers",
            _receipt_body(documents),
            content_type="application/json",
            headers=headers,
        )
    assert response.status_code == 201, response.content
    received = Dossier.objects.get(code=response.json()["code"])
    assert len(received.documents_submitted) == documents


@pytest.mark.parametrize(("rows", "trips"), [(FEW, 0), (MANY, 8)])
def test_api_forward(world, api_client, django_assert_num_queries, rows, trips):
    # given a received dossier, perhaps already handed back and forth, among `rows` others
    dossiers = _receive(world, rows)
    dossier = dossiers[0]
    if trips:
        dossier = _round_trips(world, dossier, trips)
        # it is with Sở Tư pháp: hand it back to the desk's agency
        actor, to = "demo-specialist", world.user("demo-desk").agency.code
    else:
        actor, to = "demo-desk", "SO-TP"
    headers = _bearer(world, actor)
    # when / then
    with django_assert_num_queries(API_FORWARD):
        response = api_client.post(
            f"/api/v1/dossiers/{dossier.code}/actions",
            {"action": "forward", "to_agency": to, "version": dossier.version},
            content_type="application/json",
            headers=headers,
        )
    assert response.status_code == 200, response.content
    assert response.json()["current_agency"] == to
