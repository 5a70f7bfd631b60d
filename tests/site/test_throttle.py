"""Rate limits: guessing lookup keys and flooding the public forms and Open311 stops at the
limit with a 429 that says when to retry, one client at a time, and only for the window."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.common import throttle as throttle_module
from motcua.common.throttle import throttle

START = 1_800_000_000.0  # a moment on a window boundary of both 10 minutes and one hour
CITIZEN_IP = "203.0.113.7"
OTHER_IP = "198.51.100.9"


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """An empty cache and a clock the test moves; yields a function that sets the time."""
    cache.clear()
    now = {"t": START}
    monkeypatch.setattr(throttle_module, "_clock", lambda: now["t"])
    yield lambda t: now.update(t=t)
    cache.clear()


def client(ip: str = CITIZEN_IP) -> Client:
    return Client(REMOTE_ADDR=ip)


def test_counts_up_to_the_limit_per_key_and_window(clock):
    # when / then
    assert all(throttle("s", "a", limit=3, window_seconds=60) for _ in range(3))
    assert not throttle("s", "a", limit=3, window_seconds=60)
    assert throttle("s", "b", limit=3, window_seconds=60)  # another key
    assert throttle("other", "a", limit=3, window_seconds=60)  # another scope
    clock(START + 60)
    assert throttle("s", "a", limit=3, window_seconds=60)  # a new window


def test_the_31st_tracking_lookup_is_refused_until_the_window_ends(world, clock):
    """Failed and successful lookups count alike; another address and the empty form are not
    affected; the next window starts afresh."""
    # given: 30 lookups with a wrong key
    lookup = {"code": "H00.00-260101-0001", "key": "AAAAAA"}
    for _ in range(30):
        assert client().get("/tra-cuu/", lookup).status_code == 404
    # when
    refused = client().get("/tra-cuu/", lookup)
    # then
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    page = refused.content.decode()
    assert "Vui lòng thử lại sau 10 phút" in page and "try again in 10 minute(s)" in page
    assert client().get("/tra-cuu/").status_code == 200  # the empty form is not a lookup
    assert client(OTHER_IP).get("/tra-cuu/", lookup).status_code == 404
    clock(START + 599)
    assert client().get("/tra-cuu/", lookup)["Retry-After"] == "1"
    clock(START + 600)
    assert client().get("/tra-cuu/", lookup).status_code == 404


def test_operators_set_limits_in_settings(world, settings):
    # given
    settings.MOTCUA_THROTTLES = {"track": {"limit": 2, "window": 60}}
    lookup = {"code": "X", "key": "Y"}
    # when
    statuses = [client().get("/tra-cuu/", lookup).status_code for _ in range(3)]
    # then
    assert statuses == [404, 404, 429]


def test_loopback_is_not_counted_unless_the_operator_says_so(world, settings):
    settings.MOTCUA_THROTTLES = {"track": {"limit": 1, "window": 60}}
    local = Client()  # 127.0.0.1, as a proxy that does not pass the client address
    assert [local.get("/tra-cuu/", {"code": "X", "key": "Y"}).status_code for _ in range(3)] == [
        404
    ] * 3
    settings.MOTCUA_THROTTLE_EXEMPT = ()
    assert [local.get("/tra-cuu/", {"code": "X", "key": "Y"}).status_code for _ in range(2)] == [
        404,
        429,
    ]


def test_kiosk_lookups_and_rating_links_are_limited(world, settings):
    # given
    settings.MOTCUA_THROTTLES = {
        "kiosk": {"limit": 1, "window": 600},
        "rating_link": {"limit": 1, "window": 600},
    }
    kiosk = client()
    # when / then: the start screen itself is never counted
    assert kiosk.get("/danh-gia/quay/").status_code == 200
    assert kiosk.post("/danh-gia/quay/", {"code": "X", "key": "Y"}).status_code != 429
    assert kiosk.get("/danh-gia/quay/").status_code == 200
    assert kiosk.post("/danh-gia/quay/", {"code": "X", "key": "Y"}).status_code == 429
    assert kiosk.get("/danh-gia/l/not-a-token/").status_code != 429
    refused = kiosk.get("/danh-gia/l/not-a-token/")
    assert refused.status_code == 429 and refused["Retry-After"] == "600"


def _petition_form() -> dict[str, str]:
    return {
        "category": "HT03",
        "ward": "11311",
        "address": "Ngõ 45 Tam Bạc",
        "description": "Cống tắc, mưa là ngập nửa mét.",
        "sender": "anonymous",
    }


@pytest.fixture
def categories(world):
    from motcua.feedback.categories import load_categories
    from motcua.feedback.models import Category

    if not Category.objects.exists():
        load_categories(Category)


def test_anonymous_submissions_are_limited_and_nothing_is_written(categories, settings):
    from motcua.feedback.models import Petition

    # given
    settings.MOTCUA_THROTTLES = {"petition_web": {"limit": 1, "window": 3600}}
    assert client().post("/phan-anh/gui/", _petition_form()).status_code == 302
    count = Petition.objects.count()
    # when
    refused = client().post("/phan-anh/gui/", _petition_form())
    # then
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert Petition.objects.count() == count
    assert client().get("/phan-anh/gui/").status_code == 200  # reading the form is not sending
    assert client(OTHER_IP).post("/phan-anh/gui/", _petition_form()).status_code == 302


def test_signed_in_senders_are_not_limited_as_anonymous(categories, settings, world):
    settings.MOTCUA_THROTTLES = {"petition_web": {"limit": 1, "window": 3600}}
    signed_in = client()
    signed_in.force_login(world.user("demo-citizen"))
    statuses = [signed_in.post("/phan-anh/gui/", _petition_form()).status_code for _ in range(2)]
    assert statuses == [302, 302]


def _open311_post(key: str, fmt: str):
    body = urlencode(
        {
            "api_key": key,
            "service_code": "HT01",
            "lat": 20.8587,
            "long": 106.6829,
            "description": "Ổ gà lớn giữa đường.",
        }
    )
    return client().post(
        f"/open311/v2/requests.{fmt}", body, content_type="application/x-www-form-urlencoded"
    )


def test_open311_posts_are_limited_per_key_in_the_api_error_format(categories, settings):
    from motcua.feedback.clients import api_client_issue_key
    from motcua.feedback.models import Petition

    # given
    settings.MOTCUA_THROTTLES = {"open311_post": {"limit": 1, "window": 3600}}
    key = api_client_issue_key(name="throttle-app")[1]
    other_key = api_client_issue_key(name="throttle-other")[1]
    assert _open311_post(key, "json").status_code == 201
    count = Petition.objects.count()
    # when
    as_json = _open311_post(key, "json")
    as_xml = _open311_post(key, "xml")
    # then
    assert as_json.status_code == 429 and as_json["Retry-After"] == "3600"
    [error] = json.loads(as_json.content)
    assert error["code"] == 429 and "thử lại sau 60 phút" in error["description"]
    assert as_xml.status_code == 429 and b"<errors><error><code>429</code>" in as_xml.content
    assert Petition.objects.count() == count
    assert _open311_post(other_key, "json").status_code == 201
    assert client().get("/open311/v2/requests.json").status_code == 200  # reading is free
