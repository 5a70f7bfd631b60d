"""Catalog search through the public API: Vietnamese without diacritics, ranked, paged."""

import pytest

from motcua.common.text import fold

pytestmark = pytest.mark.django_db

URL = "/api/v1/procedures"


def _search(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_birth_registration_comes_first_without_diacritics(world, api_client):
    """The issue's contract: `q=dang ky khai sinh` puts Đăng ký khai sinh first."""
    # when
    body = _search(api_client, q="dang ky khai sinh")
    # then
    assert body["items"][0]["code"] == "1.001193"
    assert body["items"][0]["name"] == "Thủ tục đăng ký khai sinh"
    assert body["total"] >= 10
    assert {"code", "name", "field", "processing_days", "online_level"} <= set(body["items"][0])
    for item in body["items"]:
        assert {"dang", "ky", "khai", "sinh"} <= set(fold(item["name"]).split())


@pytest.mark.parametrize("query", ["ĐĂNG KÝ KHAI SINH", "Đăng ký khai sinh", "dang  ky, khai-sinh"])
def test_case_diacritics_and_punctuation_do_not_matter(world, api_client, query):
    """Whatever the user's keyboard produced, the same procedure ranks first."""
    assert _search(api_client, q=query)["items"][0]["code"] == "1.001193"


def test_d_stroke_folds_to_d(world, api_client):
    """`đ` typed as `d` still finds words with đ (đất đai → dat dai)."""
    with_stroke = _search(api_client, q="đất đai", page_size=100)
    without = _search(api_client, q="dat dai", page_size=100)
    assert with_stroke["total"] == without["total"] > 0
    assert [i["code"] for i in with_stroke["items"]] == [i["code"] for i in without["items"]]


def test_last_word_matches_as_a_prefix_while_typing(world, api_client):
    """A half-typed last word (“khai si”) already finds birth registration."""
    assert _search(api_client, q="dang ky khai si")["items"][0]["code"] == "1.001193"


def test_search_by_code(world, api_client):
    assert (
        _search(api_client, q="1.001612")["items"][0]["name"] == "Đăng ký thành lập hộ kinh doanh"
    )


def test_paging_is_stable_and_complete(world, api_client):
    """Pages of 5 walk the same ranked list as one page of 50, without repeats."""
    whole = _search(api_client, q="ho tich", page_size=50)
    paged = []
    for page in range(1, 4):
        body = _search(api_client, q="ho tich", page=page, page_size=5)
        assert body["page"] == page and body["page_size"] == 5
        paged += [i["code"] for i in body["items"]]
    assert paged == [i["code"] for i in whole["items"]][:15]
    assert len(set(paged)) == 15


def test_filters_by_field_and_level(world, api_client):
    body = _search(api_client, q="dang ky", field="ho-tich", level="commune", page_size=100)
    assert body["total"] > 0
    assert all(item["field"] == "Hộ tịch" and "xã" in item["levels"] for item in body["items"])


def test_no_match_returns_empty_page(world, api_client):
    body = _search(api_client, q="tau vu tru sao hoa")
    assert body == {"total": 0, "page": 1, "page_size": 20, "pages": 1, "items": []}


def test_empty_query_lists_the_catalog(world, api_client):
    body = _search(api_client, page_size=1)
    assert body["total"] == 243


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "khai sinh", "sort": "name"}, "sort"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 101}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": "abc"}, "page"),
        ({"level": "district"}, "level"),
    ],
)
def test_bad_parameters_are_a_clear_400(world, api_client, params, field):
    """Unknown parameters and out-of-range paging are named in a 400, in both languages."""
    response = api_client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["message"] and body["message_en"]
    assert any(error["field"] == field for error in body["errors"])


def test_procedure_detail_and_404(world, api_client):
    detail = api_client.get(f"{URL}/1.001193").json()
    assert detail["documents"][0]["name"] == "Tờ khai đăng ký khai sinh theo mẫu"
    assert detail["processing_days"] == 1
    missing = api_client.get(f"{URL}/9.999999")
    assert missing.status_code == 404
    assert missing.json()["code"] == "procedure_not_found"
