"""The rating kiosk on a tablet at the desk, in Chromium: the applicant types the code and the
key from the slip, taps the faces (one answer by keyboard), sends the rating, sees the thank-you
screen, and the tablet goes back to the start by itself, ready for the next person."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from motcua.dossiers.services import (
    ActionData,
    ApplicantData,
    ReceiptData,
    dossier_act,
    dossier_receive,
)
from motcua.surveys.criteria import load_criteria
from motcua.surveys.models import Rating

pytestmark = pytest.mark.browser


def returned_dossier(world):
    desk = world.user("demo-desk")
    dossier = dossier_receive(
        actor=desk,
        data=ReceiptData(
            procedure_code="1.003179",
            channel="counter",
            applicant=ApplicantData(
                kind="person",
                name="Nguyễn Thị Ngữ",
                id_number="031190012345",
                phone="0912345678",
                address="Số 12 Lạch Tray, Ngô Quyền, Hải Phòng",
            ),
        ),
    )
    dossier_act(
        actor=desk, code=dossier.code, data=ActionData(action="finish", result_kind="paper")
    )
    return dossier_act(actor=desk, code=dossier.code, data=ActionData(action="return"))


def test_kiosk_rating_at_the_desk(page: Page, world, settings):
    # given: a returned dossier, and a short pause before the tablet resets
    load_criteria()  # a transactional test before this one may have flushed the migration's rows
    settings.MOTCUA_KIOSK_THANKS_SECONDS = 3
    dossier = returned_dossier(world)

    # when: the applicant types the code and the key from the slip
    page.goto("/danh-gia/quay/")
    expect(page.locator("#id_code")).to_be_focused()
    page.fill("#id_code", dossier.code)
    page.fill("#id_key", dossier.lookup_key.lower())
    page.click("#kiosk-start")
    expect(page.locator("#kiosk-code")).to_have_text(dossier.code)

    # and taps the faces
    page.locator("#q-overall label.face-5").click()
    page.locator("#q-c_on_time label.face-4").click()
    expect(page.locator("#q-overall input[value='5']")).to_be_checked()
    # and answers one question with the keyboard alone
    page.locator("#q-c_officer_attitude input[value='5']").focus()
    page.keyboard.press("Space")
    expect(page.locator("#q-c_officer_attitude input[value='5']")).to_be_checked()
    page.fill("#id_comment", "Cán bộ hướng dẫn rất tận tình.")
    page.click("#kiosk-submit")

    # then: a thank-you screen that counts down and returns to the start by itself
    expect(page.locator("#kiosk-thanks")).to_be_visible()
    expect(page.locator("[data-kiosk-countdown]")).not_to_have_text("3", timeout=2_500)
    page.wait_for_url(re.compile(r"/danh-gia/quay/$"), timeout=8_000)
    expect(page.locator("#id_code")).to_have_value("")
    expect(page.locator("#kiosk-start")).to_be_visible()

    # and the rating is stored, from the kiosk
    rating = Rating.objects.get(dossier__code=dossier.code)
    assert (rating.stage, rating.channel, rating.overall) == ("return", "kiosk", 5)
    assert {a.criterion.code: a.score for a in rating.answers.all()} == {
        "on_time": 4,
        "officer_attitude": 5,
    }
    assert rating.comment == "Cán bộ hướng dẫn rất tận tình."
