"""In Chromium: a Sở Tư pháp specialist opens the score tree of the department's 2025
assessment, attaches a PDF to a scored sub-criterion with the page's form, and sees it listed
under that sub-criterion; a file that is not what its name says is refused on the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from motcua.common.tests.files import one_page_pdf
from motcua.indices.selectors import methodology_latest
from motcua.indices.services import assessment_open, score_self
from motcua.org.models import User

pytestmark = pytest.mark.browser

PASSWORD = "motcua-demo"
PDF = one_page_pdf()


def test_specialist_attaches_evidence_on_the_score_tree(page: Page, world, tmp_path):
    # given SO-TP's leader self-assessed 1.1.1 for 2025
    specialist = User.objects.get(username="demo-specialist")
    specialist.set_password(PASSWORD)
    specialist.save()
    assessment = assessment_open(
        methodology=methodology_latest("hp-departments"), year=2025, agency=world.agency("SO-TP")
    )
    score_self(actor=world.user("demo-leader"), assessment=assessment, node_code="1.1.1", points=2)
    good, bad = tmp_path / "ke-hoach-cchc-2025.pdf", tmp_path / "bao-cao.pdf"
    good.write_bytes(PDF)
    bad.write_bytes(b"MZ\x90\x00 not a pdf")
    # when the specialist logs in and uploads on the tree
    page.goto("/login/")
    page.fill("#id_username", "demo-specialist")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto(f"/chi-so/{assessment.pk}/cay-diem/")
    leaf = page.locator('li[data-node="1.1.1"]')
    leaf.locator("input[type=file]").set_input_files(str(good))
    leaf.locator("button[type=submit]").click()
    # then the page confirms and lists the file under the leaf
    expect(page.locator("#idx-evidence-uploaded")).to_contain_text("1.1.1")
    expect(page.locator('li[data-node="1.1.1"] a[data-evidence]')).to_have_text(
        "ke-hoach-cchc-2025.pdf"
    )
    # and a fake PDF is refused with the reason, nothing added
    leaf = page.locator('li[data-node="1.1.1"]')
    leaf.locator("input[type=file]").set_input_files(str(bad))
    leaf.locator("button[type=submit]").click()
    expect(page.locator("#idx-evidence-error")).to_contain_text("không phải PDF")
    expect(page.locator('li[data-node="1.1.1"] a[data-evidence]')).to_have_count(1)
