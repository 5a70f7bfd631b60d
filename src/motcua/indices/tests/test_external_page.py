"""The PCI/PAPI comparison page: linked from /chi-so/; without imported values it says so in
the reader's terms (no shell command); the reform office imports the published CSV on the
page, all or nothing, and nobody else may."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.indices.external_import import EXTERNAL_DIR
from motcua.indices.models import ExternalValue

pytestmark = pytest.mark.django_db


def _csv(text: str, name: str = "pci-2022.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_ranking_page_links_the_comparison_pages(world, client):
    html = client.get("/chi-so/").content.decode()
    links = html.split('id="idx-external-links"', 1)[1].split("</p>", 1)[0]
    assert 'href="/chi-so/ben-ngoai/pci/"' in links and 'href="/chi-so/ben-ngoai/papi/"' in links


def test_without_values_a_citizen_is_told_without_a_command(world, client):
    response = client.get("/chi-so/ben-ngoai/papi/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="idx-ext-empty"' in html and "Chưa nhập số liệu đã công bố" in html
    assert "motcua" not in html.split('id="idx-ext-empty"', 1)[1].split("</div>", 1)[0]
    assert 'id="idx-ext-import"' not in html


def test_staff_get_a_hint_and_the_reform_office_the_form(world, client):
    client.force_login(world.user("demo-leader"))
    leader = client.get("/chi-so/ben-ngoai/pci/").content.decode()
    assert "Cơ quan thường trực cải cách hành chính nhập" in leader
    assert 'id="idx-ext-import"' not in leader
    client.force_login(world.user("demo-reform"))
    reform = client.get("/chi-so/ben-ngoai/pci/").content.decode()
    assert 'id="idx-ext-import"' in reform and 'enctype="multipart/form-data"' in reform


def test_reform_office_imports_the_published_csv_on_the_page(world, client):
    # given
    client.force_login(world.user("demo-reform"))
    text = (EXTERNAL_DIR / "haiphong.csv").read_text(encoding="utf-8")
    # when
    response = client.post("/chi-so/ben-ngoai/pci/", {"file": _csv(text, "haiphong.csv")})
    # then
    html = response.content.decode()
    assert response.status_code == 200 and 'id="idx-ext-imported"' in html
    assert ExternalValue.objects.filter(index="pci", province_code=31).exists()
    assert 'id="idx-ext-series"' in html
    assert (
        ExternalValue.objects.filter(source="haiphong.csv").count() == ExternalValue.objects.count()
    )


def test_a_bad_csv_saves_nothing_and_says_which_line(world, client):
    client.force_login(world.user("demo-reform"))
    text = (
        "index,province,year,component,score,rank\n"
        "pci,31,2022,total,70.1,5\n"
        "pci,99,2022,total,1,1\n"
    )
    response = client.post("/chi-so/ben-ngoai/pci/", {"file": _csv(text)})
    html = response.content.decode()
    assert response.status_code == 400 and 'id="idx-ext-error"' in html
    assert "line 3" in html and "Mã tỉnh “99” không tồn tại" in html
    assert ExternalValue.objects.count() == 0
    latin = client.post("/chi-so/ben-ngoai/pci/", {"file": _csv("x")})
    assert latin.status_code == 400 and ExternalValue.objects.count() == 0


def test_only_the_reform_office_may_import(world, client):
    text = "index,province,year,component,score,rank\npci,31,2022,total,70.1,5\n"
    assert client.post("/chi-so/ben-ngoai/pci/", {"file": _csv(text)}).status_code == 403
    client.force_login(world.user("demo-leader"))
    assert client.post("/chi-so/ben-ngoai/pci/", {"file": _csv(text)}).status_code == 403
    assert ExternalValue.objects.count() == 0
