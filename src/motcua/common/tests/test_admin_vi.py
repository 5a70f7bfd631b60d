"""The Django admin speaks Vietnamese: its titles, every app's section name and every model's
name (an untranslated name reads the same on the English page, which is how this test finds it)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

SECTION = re.compile(r'<caption>\s*<a href="[^"]*" class="section"[^>]*>([^<]+)</a>')
MODEL = re.compile(r'<th scope="row" id="[^"]*">\s*<a href="[^"]*"[^>]*>([^<]+)</a>')


def admin_index(client, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def names(html: str) -> tuple[list[str], list[str]]:
    return [s.strip() for s in SECTION.findall(html)], [m.strip() for m in MODEL.findall(html)]


def test_admin_titles_are_vietnamese(world, client):
    client.force_login(world.user("admin"))
    html = admin_index(client, "vi")
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None and "Django" not in title.group(1)
    assert "Trang web admin Django" not in html
    assert "Quản trị hệ thống một cửa" in html


def test_every_admin_section_and_model_name_is_translated(world, client):
    # given
    client.force_login(world.user("admin"))
    # when
    vi_sections, vi_models = names(admin_index(client, "vi"))
    en_sections, en_models = names(admin_index(client, "en"))
    # then every section and model is listed in both, and no name reads the same in both
    assert len(vi_sections) == len(en_sections) >= 10
    assert len(vi_models) == len(en_models) >= 20
    untranslated = sorted(set(vi_sections + vi_models) & set(en_sections + en_models))
    assert untranslated == []
