"""Pages and health: Vietnamese first, English on request, no asset from outside the site."""

import re

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/thu-tuc/",
    "/thu-tuc/?q=dang+ky+khai+sinh",
    "/thu-tuc/1.001193/",
    "/thu-tuc/lich-su/",
    "/login/",
    "/api/v1/docs",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_load_only_local_assets(world, client, url):
    """Government intranets have no internet: every script, style and image is ours."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []


def test_healthz_names_the_database(world, client):
    from django.db import connection

    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"] == connection.vendor


def test_openapi_schema_describes_the_catalog(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/procedures" in schema["paths"]


def test_vietnamese_by_default_and_english_on_switch(world, client):
    page = client.get("/thu-tuc/1.001193/").content.decode()
    assert 'lang="vi"' in page
    assert "Thủ tục đăng ký khai sinh" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/thu-tuc/1.001193/").content.decode()
    assert 'lang="en"' in english
    assert "Required documents" in english


def test_unknown_procedure_page_is_404(world, client):
    assert client.get("/thu-tuc/0.000000/").status_code == 404


def test_search_page_paginates(world, client):
    first = client.get("/thu-tuc/", {"q": "dang ky"}).content.decode()
    assert 'rel="next"' in first
    second = client.get("/thu-tuc/", {"q": "dang ky", "page": 2}).content.decode()
    assert 'rel="prev"' in second


def test_an_english_browser_still_gets_vietnamese_until_it_switches(world, client):
    """A phone set to English must not turn the government site English by itself."""
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert 'lang="vi"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()
