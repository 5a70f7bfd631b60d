"""Error pages: 404 and 403 in the site's layout, 500 and the CSRF failure rendered without a
request; Vietnamese first, English when the visitor chose English."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse
from django.utils import translation
from django.views import defaults

from motcua.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("simulated failure")


# The 500 test mounts the site plus one page that fails.
urlpatterns = [path("hong/", broken_view), *site_urlpatterns]


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_unknown_address_is_a_vietnamese_404_in_the_site_layout(world, client):
    # when
    response = client.get("/khong-co-trang-nay/")
    # then
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Không tìm thấy trang" in html
    assert "/khong-co-trang-nay/" in html
    assert 'class="site-header"' in html and 'class="main-nav"' in html
    assert reverse("catalog:search") in html
    assert "Not Found" not in html and "The requested resource" not in html


def test_404_is_english_when_the_visitor_chose_english(world, client):
    html = english(client).get("/khong-co-trang-nay/").content.decode()
    assert '<html lang="en">' in html
    assert "Page not found" in html


def test_a_citizen_on_a_staff_page_gets_a_vietnamese_403(world, client):
    # given
    client.force_login(world.user("demo-citizen"))
    # when
    response = client.get("/ho-so/")
    # then
    assert response.status_code == 403
    html = response.content.decode()
    assert "Bạn không được mở trang này" in html
    assert "Vũ Đức Anh" in html
    assert 'class="site-header"' in html
    assert "403 Forbidden" not in html


@override_settings(ROOT_URLCONF=__name__)
def test_a_failure_is_a_styled_vietnamese_500(world):
    client = Client(raise_request_exception=False)
    response = client.get("/hong/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Hệ thống gặp sự cố" in html
    assert "motcua.css" in html
    assert "Server Error" not in html


@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_is_english_when_chosen(world):
    client = english(Client(raise_request_exception=False))
    html = client.get("/hong/").content.decode()
    assert '<html lang="en">' in html
    assert "Something went wrong on our side" in html


def test_500_renders_without_a_request_context():
    """Django renders 500.html with an empty context: no request, user or context processor."""
    request = RequestFactory().get("/")
    with translation.override("vi"):
        response = defaults.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Hệ thống gặp sự cố" in html
    assert settings.MOTCUA_SITE_NAME in html


def test_an_expired_form_gets_the_vietnamese_csrf_page(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "demo-desk", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Biểu mẫu đã hết hạn" in html
    assert "CSRF verification failed" not in html
