"""Staff pages in Vietnamese carry no English: the main pages a desk officer, the reform office
and an administrator open are rendered in vi and searched for common English words, and every
admin form label differs from its English page (an untranslated label reads the same in both)."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command

from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(
    r"(?<![\w./-])(the|and|of|to|is|are|for|with|this|that|from|by|not|has|your|you|or|"
    r"Download|Document|Dossier|Reason|Choose|Other|Checking|Handling|Why|available|"
    r"Skip|Change|view|link|created|user)(?![\w./-])"
)
# Text in another language on purpose (the language switch) and what is not text.
SKIPPED = re.compile(r"<(script|style|svg)\b.*?</\1>|<button[^>]*\blang=\"en\".*?</button>", re.S)
LABEL = re.compile(r"<label[^>]*>([^<]+)</label>")


def english_lines(html: str) -> list[str]:
    body = html.split("<body", 1)[-1]
    text = re.sub(r"<[^>]+>", " ", SKIPPED.sub(" ", body))
    return [line.strip()[:160] for line in text.splitlines() if ENGLISH.search(line)]


@pytest.fixture
def demo_world(world):
    call_command("demo", stdout=io.StringIO())
    return world


def _get(client, url: str, language: str = "vi", status: int = 200) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_staff_pages_read_in_vietnamese(demo_world, client):
    # given: an online dossier at the service centre, with its uploaded files
    dossier = Dossier.objects.filter(
        receiving_agency__code="TTPVHCC", documents__isnull=False
    ).first()
    assert dossier is not None
    document = dossier.documents.first()
    assert document is not None
    pages = {
        "demo-desk": [
            ("/ho-so/", 200),
            (f"/ho-so/{dossier.code}/", 200),
            (f"/ho-so/{dossier.code}/giay-to/{document.pk}/", 200),  # the download's purpose
            ("/ho-so/tiep-nhan/", 200),
            ("/lam-viec/", 200),
        ],
        "demo-leader": [
            ("/dieu-hanh/SO-TP/", 200),
            ("/dieu-hanh/ho-so/?figure=late&agency=SO-TP", 200),
        ],
        "demo-reform": [
            ("/ho-so/", 200),
            (f"/ho-so/{dossier.code}/", 200),  # the "documents restricted" note
            (f"/ho-so/{dossier.code}/giay-to/{document.pk}/", 403),
            ("/chi-so/", 200),
            ("/thu-tuc/day-du/", 200),
            ("/phan-anh/xu-ly/", 200),
            ("/dieu-hanh/", 200),
            ("/dieu-hanh/bao-cao/", 200),
        ],
        "admin": [
            ("/admin/", 200),
            ("/admin/dashboards/communeboundary/", 200),
            ("/admin/org/user/add/", 200),
            ("/admin/org/agency/", 200),
        ],
    }
    found = {}
    for username, urls in pages.items():
        client.force_login(demo_world.user(username))
        for url, status in urls:
            # when
            lines = english_lines(_get(client, url, status=status))
            if lines:
                found[f"{username} {url}"] = lines
    # then
    assert found == {}


ADMIN_MODELS = (
    "dossiers/dossier",
    "catalog/procedure",
    "payments/payment",
    "surveys/rating",
    "audit/event",
    "org/agency",
    "org/user",
    "dashboards/reportschedule",
)


def test_admin_field_labels_are_translated(demo_world, client):
    from django.apps import apps

    # given
    client.force_login(demo_world.user("admin"))
    untranslated = {}
    for model in ADMIN_MODELS:
        app_label, model_name = model.split("/")
        obj = apps.get_model(app_label, model_name)._default_manager.first()
        assert obj is not None, model
        url = f"/admin/{model}/{obj.pk}/change/"
        # when
        vi = [label.strip() for label in LABEL.findall(_get(client, url, "vi"))]
        en = [label.strip() for label in LABEL.findall(_get(client, url, "en"))]
        assert len(vi) == len(en) >= 3, model
        if set(vi) & set(en):
            untranslated[model] = sorted(set(vi) & set(en))
    # then
    assert untranslated == {}
