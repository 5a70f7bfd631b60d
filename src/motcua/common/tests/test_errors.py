"""One error type: the code, an English msgid and its values; Django's catalogs give the
Vietnamese `message` and the English `message_en` of the API's JSON, and pages the text in
their own language."""

from __future__ import annotations

from django.utils import translation

from motcua.common.edge import control_character_error
from motcua.common.errors import ERR_UNKNOWN_PARAMETER, ApiError, bilingual
from motcua.common.throttle import Throttled


def test_the_json_carries_the_message_in_vietnamese_and_in_english():
    # given a client that sent two parameters the endpoint does not know
    error = ApiError(*ERR_UNKNOWN_PARAMETER, names="trang, loai")
    # when
    body = error.as_dict()
    # then
    assert body == {
        "code": "unknown_parameter",
        "message": "Tham số không được hỗ trợ: trang, loai.",
        "message_en": "Unsupported query parameter(s): trang, loai.",
    }


def test_a_lazy_value_is_rendered_in_each_language_too():
    # given a control character in a form field: "form" is itself a msgid
    error = control_character_error("form", "ho_ten")
    # then each language names the part of the request in its own words
    assert "trong trường biểu mẫu “ho_ten”" in error.message
    assert "in form “ho_ten”" in error.message_en


def test_a_page_shows_the_text_in_its_own_language():
    # given a visitor over the limit for 90 more seconds
    error = Throttled(retry_after=90)
    # when / then
    with translation.override("vi"):
        assert error.text == (
            "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau 2 phút."
        )
    with translation.override("en"):
        assert error.text == "Too many requests in a short time. Please try again in 2 minute(s)."
    assert error.status == 429


def test_the_field_error_is_the_english_message_on_the_named_field():
    # given
    error = ApiError(*ERR_UNKNOWN_PARAMETER, field_name="loai", names="loai")
    # then
    assert error.errors == [{"field": "loai", "message": "Unsupported query parameter(s): loai."}]


def test_bilingual_gives_both_texts_for_lists_that_store_both():
    assert bilingual(ERR_UNKNOWN_PARAMETER[1], names="x") == (
        "Tham số không được hỗ trợ: x.",
        "Unsupported query parameter(s): x.",
    )
