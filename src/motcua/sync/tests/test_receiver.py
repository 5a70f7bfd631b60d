"""The stand-in portal refuses what is not signed with the shared secret and keeps each event
id once, however often it arrives."""

import json
import urllib.error
import urllib.request
import uuid

import pytest

from motcua.sync.receiver import ReceiverStore, receiver_running
from motcua.sync.signing import EVENT_ID_HEADER, SIGNATURE_HEADER, signature

from .helpers import SECRET


def post(url: str, payload: dict, *, secret: str, event_id: str | None = None) -> tuple[int, dict]:
    body = json.dumps(payload).encode()
    request = urllib.request.Request(  # noqa: S310 - the local receiver
        url,
        data=body,
        method="POST",
        headers={
            EVENT_ID_HEADER: event_id or payload["event_id"],
            SIGNATURE_HEADER: signature(body, secret),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture
def receiver(tmp_path):
    store = ReceiverStore(tmp_path / "cong-dvcqg.sqlite3")
    with receiver_running(host="127.0.0.1", port=0, store=store, secret=SECRET) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}/", store


def change(code: str = "H24.12.01-260302-0001") -> dict:
    return {"event_id": str(uuid.uuid4()), "action": "receive", "MaHoSo": code}


def test_a_bad_signature_is_refused_and_nothing_kept(receiver):
    # given
    url, store = receiver
    # when
    status, answer = post(url, change(), secret="khong-phai-bi-mat")
    # then
    assert (status, answer["error"]) == (401, "bad_signature")
    assert store.all() == []


def test_an_event_sent_twice_is_acknowledged_twice_and_kept_once(receiver):
    # given
    url, store = receiver
    payload = change()
    # when
    first = post(url, payload, secret=SECRET)
    again = post(url, payload, secret=SECRET)
    # then
    assert first == (200, {"status": "accepted", "event_id": payload["event_id"]})
    assert again == (200, {"status": "duplicate", "event_id": payload["event_id"]})
    [kept] = store.all()
    assert (kept.event_id, kept.deliveries, kept.payload) == (payload["event_id"], 2, payload)


def test_a_header_naming_another_event_is_refused(receiver):
    # given
    url, store = receiver
    # when
    status, answer = post(url, change(), secret=SECRET, event_id=str(uuid.uuid4()))
    # then
    assert (status, answer["error"]) == (400, "event_id_mismatch")
    assert store.all() == []


def test_the_receiver_lists_what_it_holds(receiver):
    # given
    url, _store = receiver
    payloads = [change("H24.12.01-260302-0001"), change("H24.12.01-260302-0002")]
    for payload in payloads:
        post(url, payload, secret=SECRET)
    # when
    with urllib.request.urlopen(url + "events", timeout=5) as response:  # noqa: S310
        listing = json.loads(response.read())
    # then
    assert listing["count"] == 2
    assert [item["payload"]["MaHoSo"] for item in listing["items"]] == [
        "H24.12.01-260302-0001",
        "H24.12.01-260302-0002",
    ]
