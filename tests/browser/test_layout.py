"""The first screen fits, in Chromium: an officer's or citizen's navigation stays on one line
from 1280 px up, collapses into a Menu button on a 390 px phone (and opens, by pointer or
keyboard, with no script), and the apply form, the desk queue and a dossier's hand-over table do
not overflow a phone's width."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import Page, ViewportSize, expect

from motcua.dossiers.services import (
    ActionData,
    ApplicantData,
    ReceiptData,
    dossier_act,
    dossier_receive,
)

pytestmark = pytest.mark.browser

ROLES = ["demo-desk", "demo-leader", "demo-reform", "admin", "demo-citizen"]
PHONE: ViewportSize = {"width": 390, "height": 844}
VET = "1.004756"  # Cấp Chứng chỉ hành nghề thú y: an online form with several fields


def log_in(page: Page, live_server, user) -> None:
    """The browser carries the session of `user` (as if they had logged in)."""
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


def header_layout(page: Page) -> dict:
    """Height of the header and the vertical centres of what is on its visible rows."""
    return page.evaluate(
        """() => {
        const header = document.querySelector('.site-header');
        const parts = ['.brand', '.main-nav', '.header-tools', '.lang-switch', '.nav-button']
            .map(sel => header.querySelector(sel))
            .filter(el => el && el.getClientRects().length
                && getComputedStyle(el).display !== 'none');
        return {
            height: header.getBoundingClientRect().height,
            navHeight: (header.querySelector('.main-nav').getBoundingClientRect() || {}).height,
            centres: parts.map(el => {
                const r = el.getBoundingClientRect();
                return r.top + r.height / 2;
            }),
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            brandClipped: (() => {
                const name = header.querySelector('.brand-name');
                return name.scrollWidth > name.clientWidth || name.scrollHeight > name.clientHeight;
            })(),
        };
    }"""
    )


@pytest.mark.parametrize("width", [1280, 1366])
@pytest.mark.parametrize("username", ROLES)
def test_navigation_is_one_line_on_a_laptop(page: Page, live_server, world, username, width):
    # given
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server, world.user(username))
    # when
    page.goto("/")
    # then: brand, links, account and language switch share one row
    layout = header_layout(page)
    assert len(layout["centres"]) == 4, layout  # brand, nav, account tools, language switch
    assert max(layout["centres"]) - min(layout["centres"]) <= 4, layout
    assert layout["navHeight"] <= 30, layout
    assert layout["height"] <= 60, layout
    assert layout["overflow"] <= 0, layout
    assert not layout["brandClipped"], layout  # the site's name is shown whole
    expect(page.locator(".nav-button")).to_be_hidden()
    expect(page.locator(".main-nav a").first).to_be_visible()


@pytest.mark.parametrize("username", ROLES)
def test_navigation_is_a_menu_on_a_phone(page: Page, live_server, world, username):
    # given
    page.set_viewport_size(PHONE)
    log_in(page, live_server, world.user(username))
    page.goto("/")
    # then: one line with the brand and the Menu button; the links are hidden
    layout = header_layout(page)
    assert layout["height"] <= 60, layout
    assert layout["overflow"] <= 0, layout
    button = page.locator(".nav-button")
    toggle = page.get_by_role("checkbox", name="Trình đơn")
    procedures = page.locator(".main-nav a[href='/thu-tuc/']")
    expect(procedures).to_have_count(1)
    expect(button).to_be_visible()
    expect(toggle).not_to_be_checked()
    expect(procedures).to_be_hidden()
    # when the menu is opened
    button.click()
    # then every link is there, one per line, and still nothing overflows
    expect(toggle).to_be_checked()
    expect(procedures).to_be_visible()
    expect(page.locator("form[action='/logout/'] button")).to_be_visible()
    assert header_layout(page)["overflow"] <= 0
    links = page.evaluate(
        "[...document.querySelectorAll('.main-nav a')].map(a => a.getBoundingClientRect().top)"
    )
    assert len(set(links)) == len(links)  # one link per line
    # and the button closes it again
    button.click()
    expect(procedures).to_be_hidden()


def test_the_phone_menu_works_from_the_keyboard(page: Page, live_server, world):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, world.user("demo-desk"))
    page.goto("/")
    procedures = page.locator(".main-nav a[href='/thu-tuc/']")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")  # the Menu toggle
    expect(page.get_by_role("checkbox", name="Trình đơn")).to_be_focused()
    page.keyboard.press("Space")
    expect(procedures).to_be_visible()
    page.keyboard.press("Tab")
    expect(procedures).to_be_focused()


def test_the_account_menu_opens_and_closes(page: Page, live_server, world):
    page.set_viewport_size({"width": 1366, "height": 800})
    log_in(page, live_server, world.user("admin"))
    page.goto("/")
    tokens = page.locator(".account-menu-items a[href='/tai-khoan/ma-truy-cap/']")
    expect(tokens).to_be_hidden()
    page.locator(".account-menu summary").click()
    expect(tokens).to_be_visible()
    expect(page.locator(".account-menu-items a[href='/admin/']")).to_be_visible()
    page.locator(".account-menu summary").click()
    expect(tokens).to_be_hidden()


def test_the_logged_out_navigation_is_one_line(page: Page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    layout = header_layout(page)
    assert max(layout["centres"]) - min(layout["centres"]) <= 4, layout


def scroll_overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def handed_over_dossier(world):
    """A dossier received at the desk and forwarded to the Department of Justice, so its page
    shows a hand-over table of several rows."""
    desk = world.user("demo-desk")
    dossier = dossier_receive(
        actor=desk,
        data=ReceiptData(
            procedure_code="1.003179",
            channel="counter",
            applicant=ApplicantData(
                kind="person",
                name="Trần Thị Phương Thảo",
                id_number="031190012345",
                phone="0912345678",
                address="Số 27 đường Trần Nguyên Hãn, phường Lê Chân, Hải Phòng",
            ),
        ),
    )
    dossier_act(
        actor=desk, code=dossier.code, data=ActionData(action="forward", to_agency_code="SO-TP")
    )
    return dossier


def test_apply_form_fits_a_phone(page: Page, live_server, world):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, world.user("demo-citizen"))
    page.goto(f"/nop-truc-tuyen/{VET}/")
    expect(page.locator("main form")).to_be_visible()
    assert scroll_overflow(page) <= 0
    # the form's fields use the width of the screen
    fields = (
        "main form input:not([type=checkbox]):not([type=radio]):not([type=hidden]),"
        " main form select, main form textarea"
    )
    widths = page.evaluate(
        f"[...document.querySelectorAll('{fields}')].map(el => el.getBoundingClientRect().right)"
    )
    assert widths and max(widths) <= PHONE["width"]


def test_desk_queue_fits_a_phone(page: Page, live_server, world):
    handed_over_dossier(world)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, world.user("demo-desk"))
    page.goto("/ho-so/")
    expect(page.locator("main table").first).to_be_visible()
    assert scroll_overflow(page) <= 0


def test_hand_over_table_fits_a_phone(page: Page, live_server, world):
    dossier = handed_over_dossier(world)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, world.user("demo-desk"))
    page.goto(f"/ho-so/{dossier.code}/")
    expect(page.locator("main table").first).to_be_visible()
    assert scroll_overflow(page) <= 0
