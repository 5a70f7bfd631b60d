"""A citizen finds a procedure in headless Chromium, typing without diacritics."""

import pytest

pytestmark = pytest.mark.browser


def test_search_without_diacritics_then_open_the_procedure(page):
    # given: the public home page
    page.goto("/")
    # when: a citizen types without diacritics and searches
    page.get_by_role("searchbox").fill("dang ky khai sinh")
    page.keyboard.press("Enter")
    # then: birth registration is the first result, and its page lists the documents
    first = page.locator(".result-title").first
    assert first.inner_text() == "Thủ tục đăng ký khai sinh"
    first.click()
    page.wait_for_url("**/thu-tuc/1.001193/")
    assert page.locator("h1").inner_text() == "Thủ tục đăng ký khai sinh"
    assert "Giấy chứng sinh" in page.locator("table").inner_text()


def test_language_switch_to_english(page):
    page.goto("/thu-tuc/1.001193/")
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    assert "Required documents" in page.content()
