"""An Open311 client that knows only the GeoReport v2 specification: it discovers the
endpoint, lists the services, posts a request form-encoded with its api_key, follows it by
id and by token, and sees it closed with the agency's answer, in JSON and in XML."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from .conftest import OPERA_HOUSE, logged_in, parse_xml, post_form

BASE = "/open311/v2"


def fields(element: ET.Element) -> dict[str, str]:
    return {child.tag: (child.text or "") for child in element}


def iso_with_zone(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    assert moment.utcoffset() == dt.timedelta(hours=7), value
    return moment


def test_json_client_lists_posts_and_follows_a_request_to_closed(world, api_key, staff):
    client = Client()
    # given: discovery names the endpoint and its formats
    discovery = client.get(f"{BASE}/discovery.json").json()
    endpoint = discovery["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}

    # when: the client lists the services
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    services = response.json()
    by_code = {s["service_code"]: s for s in services}
    assert set(services[0]) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert by_code["HT01"]["metadata"] is False and by_code["HT01"]["type"] == "realtime"
    assert by_code["MT02"]["metadata"] is True

    # and reads the definition of a service with metadata
    definition = client.get(f"{BASE}/services/MT02.json").json()
    assert definition["service_code"] == "MT02"
    kind = next(a for a in definition["attributes"] if a["code"] == "pollution_kind")
    assert kind["required"] is True and kind["datatype"] == "singlevaluelist"
    assert {"key": "noise", "name": "Tiếng ồn"} in kind["values"]

    # and posts a request, form-encoded, with its key and the required attribute
    response = post_form(
        client,
        f"{BASE}/requests.json",
        {
            "api_key": api_key,
            "service_code": "MT02",
            "lat": OPERA_HOUSE[0],
            "long": OPERA_HOUSE[1],
            "address_string": "Số 1 Hoàng Văn Thụ",
            "description": "Quán karaoke hát to sau 23 giờ mỗi đêm.",
            "attribute[pollution_kind]": "noise",
            "first_name": "Lan",
            "last_name": "Nguyễn",
            "email": "lan@example.vn",
        },
    )
    assert response.status_code == 201, response.content
    (posted,) = response.json()
    assert set(posted) >= {"service_request_id", "service_notice", "account_id"}
    assert posted["account_id"] is None
    request_id = posted["service_request_id"]
    assert "Sở Nông nghiệp và Môi trường" in posted["service_notice"]

    # then: the request reads back by id as a one-element list, open, with its deadline
    (request,) = client.get(f"{BASE}/requests/{request_id}.json").json()
    assert request["service_request_id"] == request_id
    assert request["status"] == "open"
    assert request["service_code"] == "MT02"
    assert request["agency_responsible"] == "Sở Nông nghiệp và Môi trường"
    assert request["lat"] == pytest.approx(OPERA_HOUSE[0])
    assert request["address"] == "Số 1 Hoàng Văn Thụ"
    requested = iso_with_zone(request["requested_datetime"])
    assert iso_with_zone(request["expected_datetime"]) > requested
    iso_with_zone(request["updated_datetime"])
    assert request["status_notes"] is None

    # and by its token
    assert client.get(f"{BASE}/tokens/{posted['token']}.json").json() == [
        {"token": posted["token"], "service_request_id": request_id}
    ]

    # when: the agency answers on its staff page
    officer = logged_in(staff("SO-NNMT"))
    answer = "Đã kiểm tra, lập biên bản và yêu cầu cơ sở dừng hoạt động sau 22 giờ."
    page = officer.post(f"/phan-anh/xu-ly/{request_id}/", {"action": "answer", "text": answer})
    assert page.status_code == 302

    # then: the client sees it closed with the answer as status_notes
    (request,) = client.get(f"{BASE}/requests/{request_id}.json").json()
    assert request["status"] == "closed"
    assert request["status_notes"] == answer
    closed = client.get(f"{BASE}/requests.json", {"status": "closed", "service_code": "MT02"})
    assert request_id in [r["service_request_id"] for r in closed.json()]
    still_open = client.get(f"{BASE}/requests.json", {"status": "open"}).json()
    assert request_id not in [r["service_request_id"] for r in still_open]


def test_xml_client_lists_posts_and_follows_a_request_to_closed(world, api_key, staff):
    client = Client()
    # given
    discovery = parse_xml(client.get(f"{BASE}/discovery.xml").content)
    assert discovery.tag == "discovery"
    endpoint = discovery.find("endpoints/endpoint")
    assert endpoint is not None
    assert {f.text for f in endpoint.findall("formats/format")} == {
        "text/xml",
        "application/json",
    }

    # when: services
    response = client.get(f"{BASE}/services.xml")
    assert response["Content-Type"].startswith("text/xml")
    root = parse_xml(response.content)
    assert root.tag == "services"
    services = {fields(s)["service_code"]: fields(s) for s in root.findall("service")}
    assert services["HT01"]["metadata"] == "false"
    assert services["MT02"]["metadata"] == "true"
    assert services["HT01"]["type"] == "realtime"

    definition = parse_xml(client.get(f"{BASE}/services/MT02.xml").content)
    assert definition.tag == "service_definition"
    attribute = definition.find("attributes/attribute")
    assert attribute is not None and attribute.findtext("code") == "pollution_kind"
    assert [v.findtext("key") for v in attribute.findall("values/value")][:2] == ["noise", "air"]

    # and a POST answered in XML
    response = post_form(
        client,
        f"{BASE}/requests.xml",
        {
            "api_key": api_key,
            "service_code": "HT02",
            "address_id": "11311",
            "address_string": "Ngõ 5 Hoàng Diệu",
            "description": "Ba cột đèn không sáng đã một tuần.",
        },
    )
    assert response.status_code == 201
    posted = parse_xml(response.content)
    assert posted.tag == "service_requests"
    request_id = posted.findtext("request/service_request_id")
    assert request_id and posted.findtext("request/account_id") == ""

    # then: one <request> by id, open, routed to the ward's committee
    root = parse_xml(client.get(f"{BASE}/requests/{request_id}.xml").content)
    assert root.tag == "service_requests" and len(root.findall("request")) == 1
    request = fields(root.find("request"))  # type: ignore[arg-type]
    assert request["status"] == "open"
    assert request["address_id"] == "11311"
    assert request["agency_responsible"] == "Ủy ban nhân dân Phường Hồng Bàng"
    iso_with_zone(request["expected_datetime"])
    token = parse_xml(
        client.get(f"{BASE}/tokens/{fields(posted.find('request'))['token']}.xml").content  # type: ignore[arg-type]
    )
    assert token.findtext("request/service_request_id") == request_id

    # when: the ward's committee answers
    officer = logged_in(staff("UBND-11311"))
    text = "Đã thay bóng đèn ngày hôm nay."
    officer.post(f"/phan-anh/xu-ly/{request_id}/", {"action": "answer", "text": text})

    # then
    root = parse_xml(client.get(f"{BASE}/requests/{request_id}.xml").content)
    request = fields(root.find("request"))  # type: ignore[arg-type]
    assert request["status"] == "closed"
    assert request["status_notes"] == text
    listed = parse_xml(
        client.get(f"{BASE}/requests.xml", {"service_request_id": f"{request_id},999999"}).content
    )
    assert [r.findtext("service_request_id") for r in listed.findall("request")] == [request_id]


def test_list_defaults_to_the_last_90_days_and_pages(world, api_key):
    """Without dates the list covers the last 90 days; page/page_size cut it, newest first."""
    # given
    client = Client()
    ids = [open311_id(client, api_key, description=f"Ổ gà số {n}") for n in range(3)]
    # when
    first = client.get(f"{BASE}/requests.json", {"page_size": 2, "page": 1})
    second = client.get(f"{BASE}/requests.json", {"page_size": 2, "page": 2})
    # then
    assert [r["service_request_id"] for r in first.json()] == [ids[2], ids[1]]
    assert ids[0] in [r["service_request_id"] for r in second.json()]
    assert int(first["X-Total-Count"]) >= 3
    today = timezone.localdate()
    window = client.get(
        f"{BASE}/requests.json",
        {"start_date": (today - dt.timedelta(days=89)).isoformat(), "end_date": today.isoformat()},
    )
    assert window.status_code == 200 and len(window.json()) >= 3
    old = client.get(f"{BASE}/requests.json", {"end_date": "2020-01-31T00:00:00+07:00"})
    assert old.json() == []


def open311_id(client: Client, key: str, **fields_: str) -> str:
    from .conftest import open311_post

    response = open311_post(client, key, **fields_)
    assert response.status_code == 201, response.content
    return json.loads(response.content)[0]["service_request_id"]


def test_list_query_count_does_not_grow_with_rows(world, api_key, django_assert_max_num_queries):
    client = Client()
    for n in range(6):
        open311_id(client, api_key, description=f"Ổ gà {n}")
    with django_assert_max_num_queries(4):
        response = client.get(f"{BASE}/requests.json")
    assert len(response.json()) >= 6
