"""The one-stop forms print as Vietnamese PDFs from templates an administrator can replace.

Checked through poppler-utils (pdftotext, pdfinfo, pdfimages), as a reader of the paper would.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from motcua.dossiers.pdf import FORM_CODES, render_form
from motcua.dossiers.pdf.loader import BUILTIN_DIR

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "pdfimages")),
    reason="needs poppler-utils (pdftotext, pdfinfo, pdfimages)",
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "H24.005.00-261124-0007"
A5_PT = (419.53, 595.28)
A4_LANDSCAPE_PT = (841.89, 595.28)
MM = 72 / 25.4


def at(day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=TZ)


COMMON: dict[str, Any] = {
    "parent_agency_name": "UBND THÀNH PHỐ HẢI PHÒNG",
    "agency_name": "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
    "place_name": "Hải Phòng",
    "issued_at": at(24, 8, 15),
    "dossier_code": CODE,
    "procedure_name": "Thủ tục đăng ký khai sinh",
    "applicant_name": "Nguyễn Thị Ngữ",
    "applicant_id_number": "031190012345",
    "applicant_address": "Số 12 đường Lạch Tray, phường Ngô Quyền, thành phố Hải Phòng",
    "applicant_phone": "0912 345 678",
    "applicant_email": "ngu.nguyen@example.vn",
}
OFFICER = "Trần Văn Hùng"

DATA: dict[str, dict[str, Any]] = {
    "receipt": {
        **COMMON,
        "lookup_key": "7KQ2-M9PX",
        "documents": [
            {"name": "Tờ khai đăng ký khai sinh", "form_label": "Bản chính", "quantity": 1},
            {"name": "Giấy chứng sinh", "form_label": "Bản chính", "quantity": 1},
            {"name": "Giấy chứng nhận kết hôn", "form_label": "Bản sao", "quantity": 1},
        ],
        "sets_count": 1,
        "processing_days": 3,
        "received_at": at(24, 8, 15),
        "due_at": at(27, 16, 30),
        "return_place": "Trung tâm Phục vụ hành chính công, quầy số 5",
        "receiver_name": OFFICER,
        "register_ref": "Quyển số 03, Số thứ tự 0007",
        "tracking_url": "https://dichvucong.haiphong.gov.vn/tra-cuu",
    },
    "supplement": {
        **COMMON,
        "items": ["Bổ sung bản sao Giấy chứng nhận kết hôn của cha, mẹ"],
        "reason": "Thành phần hồ sơ chưa đầy đủ",
        "guide_name": OFFICER,
        "contact": "điện thoại 0225 3 822 822",
    },
    "refusal": {
        **COMMON,
        "reasons": ["Trẻ đã được đăng ký khai sinh tại Ủy ban nhân dân phường Lê Chân"],
        "receiver_name": OFFICER,
    },
    "apology": {
        **COMMON,
        "addressee": "Bà Nguyễn Thị Ngữ",
        "received_at": at(24, 8, 15),
        "original_due_at": at(27, 16, 30),
        "reason": "Cần xác minh nơi cư trú với Công an phường Ngô Quyền",
        "new_due_at": at(30, 16, 30),
        "head_name": "Phạm Thị Hải Yến",
        "head_title": "Giám đốc",
    },
    "stop": {
        **COMMON,
        "requested_at": at(25, 9, 40),
        "reason": "Gia đình chuyển nơi cư trú",
        "officer_name": OFFICER,
    },
    "control-sheet": {
        **COMMON,
        "lead_agency_name": "UBND phường Ngô Quyền",
        "coordinating_agencies": "Công an phường Ngô Quyền",
        "received_at": at(24, 8, 15),
        "due_at": at(27, 16, 30),
        "handovers": [
            {
                "at": at(24, 9, 0),
                "giver": "Trung tâm Phục vụ hành chính công",
                "receiver": "Phòng Tư pháp",
                "verdict": "early",
                "note": "",
            },
            {
                "at": at(25, 14, 5),
                "giver": "Phòng Tư pháp",
                "receiver": "Công an phường",
                "verdict": "late",
                "note": "Xác minh",
            },
        ],
    },
    "register": {
        "parent_agency_name": "UBND THÀNH PHỐ HẢI PHÒNG",
        "agency_name": "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "place_name": "Hải Phòng",
        "issued_at": at(30, 17, 0),
        "period": "Từ ngày 24/11/2026 đến ngày 30/11/2026",
        "rows": [
            {
                "number": 1,
                "dossier_code": CODE,
                "procedure_name": "Thủ tục đăng ký khai sinh",
                "applicant_name": "Nguyễn Thị Ngữ",
                "contact": "0912 345 678",
                "lead_agency": "UBND phường Ngô Quyền",
                "received_at": at(24, 8, 15),
                "due_at": at(27, 16, 30),
                "returned_at": None,
                "how_collected": "Trực tiếp",
            }
        ],
    },
}

# What a reader must find on each form, beyond the code and the applicant's name.
EXPECTED: dict[str, list[str]] = {
    "receipt": [
        "GIẤY TIẾP NHẬN HỒ SƠ",
        "Thời gian nhận hồ sơ: 08 giờ 15 phút, ngày 24/11/2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 27/11/2026",
        "Vào Sổ theo dõi hồ sơ, Quyển số 03, Số thứ tự 0007",
        "Mã tra cứu: 7KQ2-M9PX",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Giấy chứng nhận kết hôn",
        OFFICER,
    ],
    "supplement": ["1. Bổ sung bản sao Giấy chứng nhận kết hôn", "NGƯỜI HƯỚNG DẪN", OFFICER],
    "refusal": ["1. Trẻ đã được đăng ký khai sinh", "NGƯỜI TIẾP NHẬN HỒ SƠ", OFFICER],
    "apology": [
        "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN",
        "THỜI GIAN GIẢI QUYẾT",
        "Kính gửi: Bà Nguyễn Thị Ngữ",
        "Vào lúc 08 giờ 15 phút, ngày 24/11/2026",
        "16 giờ 30 phút, ngày 30/11/2026",
        "GIÁM ĐỐC",
        "Phạm Thị Hải Yến",
    ],
    "stop": [
        "THÔNG BÁO DỪNG",
        "GIẢI QUYẾT HỒ SƠ",
        "dừng giải quyết hồ sơ nêu trên",
        "Vào lúc 09 giờ 40 phút, ngày 25/11/2026",
        OFFICER,
    ],
    "control-sheet": [
        "Thời gian hẹn trả kết quả: 16 giờ 30 phút, ngày 27/11/2026",
        "Tên cơ quan",
        "1. Giao: Phòng Tư pháp",
        "2. Nhận: Công an phường",
        "Trước hạn",
        "Quá hạn",
        "ngày 25/11/2026",
    ],
    "register": ["SỔ THEO DÕI HỒ SƠ", "Từ ngày 24/11/2026 đến ngày 30/11/2026", "Trực tiếp"],
}


def form_data(form: str) -> dict[str, Any]:
    return copy.deepcopy(DATA[form])


def run(*args: str | Path) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def save(pdf: bytes, tmp_path: Path, name: str = "form.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """`pdftotext -layout`, with runs of white space folded to one space."""
    return " ".join(run("pdftotext", "-layout", save(pdf, tmp_path), "-").split())


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    text = run("pdftotext", "-layout", save(pdf, tmp_path), "-")
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def page_size(pdf: bytes, tmp_path: Path) -> tuple[float, float]:
    info = run("pdfinfo", save(pdf, tmp_path))
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert match, info
    return float(match[1]), float(match[2])


def image_count(pdf: bytes, tmp_path: Path) -> int:
    listing = run("pdfimages", "-list", save(pdf, tmp_path)).splitlines()
    return len(listing) - 2  # two heading lines


@pytest.mark.parametrize("form", FORM_CODES)
def test_each_form_prints_its_code_names_and_dates(form: str, tmp_path: Path) -> None:
    """Every form shows the dossier code, the names and the dates formatted the Vietnamese way."""
    # given
    data = form_data(form)

    # when
    text = pdf_text(render_form(form, data), tmp_path)

    # then
    assert CODE in text
    assert "Nguyễn Thị Ngữ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    day = data["issued_at"].day
    assert f"Hải Phòng, ngày {day} tháng 11 năm 2026" in text
    for expected in EXPECTED[form]:
        assert expected in text, expected


def test_vietnamese_comes_back_exactly_in_nfc(tmp_path: Path) -> None:
    """Diacritics survive the font and text extraction, even from decomposed (NFD) input."""
    # given
    data = form_data("receipt")
    data["procedure_name"] = "Đăng ký khai sinh"
    data["applicant_name"] = unicodedata.normalize("NFD", "Nguyễn Thị Ngữ")

    # when
    text = pdf_text(render_form("receipt", data), tmp_path)

    # then
    for phrase in ("Đăng ký khai sinh", "Nguyễn Thị Ngữ", "Hải Phòng", "Độc lập - Tự do"):
        assert phrase in text
    assert unicodedata.normalize("NFC", text) == text


@pytest.mark.parametrize("form", FORM_CODES)
def test_paper_is_a5_portrait_except_the_a4_landscape_register(form: str, tmp_path: Path) -> None:
    """Slips print on A5 portrait; the register on A4 landscape (the 2018 set's sizes)."""
    # given
    expected = A4_LANDSCAPE_PT if form == "register" else A5_PT

    # when
    width, height = page_size(render_form(form, form_data(form)), tmp_path)

    # then
    assert width == pytest.approx(expected[0], abs=1)
    assert height == pytest.approx(expected[1], abs=1)


@pytest.mark.parametrize("form", FORM_CODES)
def test_slips_carry_one_qr_code_and_the_register_none(form: str, tmp_path: Path) -> None:
    """Each slip embeds the dossier code as one QR image; the register is a plain table."""
    # when
    count = image_count(render_form(form, form_data(form)), tmp_path)

    # then
    assert count == (0 if form == "register" else 1)


def test_dates_are_shown_in_ho_chi_minh_time_and_decree_30_style(tmp_path: Path) -> None:
    """A UTC instant prints as Vietnamese local time; header dates pad day < 10 and months 1–2."""
    # given
    data = form_data("receipt")
    data["received_at"] = dt.datetime(2026, 3, 4, 20, 0, tzinfo=dt.UTC)  # 03:00 on the 5th
    data["issued_at"] = dt.datetime(2026, 3, 5, 3, 0, tzinfo=TZ)

    # when
    text = pdf_text(render_form("receipt", data), tmp_path)

    # then
    assert "Thời gian nhận hồ sơ: 03 giờ 00 phút, ngày 05/03/2026" in text
    assert "Hải Phòng, ngày 05 tháng 3 năm 2026" in text


def test_a_missing_id_number_leaves_its_line_out(tmp_path: Path) -> None:
    """An applicant without an ID number gets no empty 'Số định danh' line."""
    # given
    data = form_data("refusal")
    data["applicant_id_number"] = ""

    # when
    text = pdf_text(render_form("refusal", data), tmp_path)

    # then
    assert "Số định danh" not in text
    assert "Nguyễn Thị Ngữ" in text


def test_long_tables_break_across_pages_with_the_heading_repeated(tmp_path: Path) -> None:
    """A control sheet with many hand-overs runs on, each page with the table heading, numbered."""
    # given
    data = form_data("control-sheet")
    data["handovers"] = data["handovers"] * 20

    # when
    pages = pdf_pages(render_form("control-sheet", data), tmp_path)

    # then
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert "Tên cơ quan" in page
        assert f"Trang {number}/{len(pages)}" in page


@pytest.mark.parametrize("form", FORM_CODES)
def test_no_text_leaves_the_page_margins(form: str, tmp_path: Path) -> None:
    """Very long values wrap inside the margins (a long URL is broken rather than cut off)."""
    # given
    data = form_data(form)
    tail = " https://dichvucong.haiphong.gov.vn/" + "x" * 120 + " Nguyễn Thị Ngữ" * 25
    for key, value in data.items():
        if isinstance(value, str) and key != "dossier_code":
            data[key] = value + tail

    # when
    html = run("pdftotext", "-bbox", save(render_form(form, data), tmp_path), "-")

    # then
    page = re.search(r'<page width="([\d.]+)"', html)
    assert page is not None
    page_width = float(page[1])
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', html)
    assert words
    for x_min, x_max in words:
        assert float(x_min) >= 15 * MM - 1
        assert float(x_max) <= page_width - 10 * MM + 1


def write_template(directory: Path, name: str, **changes: Any) -> None:
    spec = json.loads((BUILTIN_DIR / "receipt.json").read_text(encoding="utf-8"))
    spec.update(changes)
    (directory / name).write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")


def test_a_dated_override_template_applies_from_its_date(tmp_path: Path, settings: Any) -> None:
    """A new circular is a data change: a dated override file wins from its date on."""
    # given
    overrides = tmp_path / "forms"
    overrides.mkdir()
    write_template(
        overrides, "receipt@2030-01-01.json", effective_from="2030-01-01", title="BIÊN NHẬN MỚI"
    )
    settings.MOTCUA_FORM_TEMPLATES_DIR = str(overrides)
    data = form_data("receipt")

    # when
    before = pdf_text(render_form("receipt", data, on=dt.date(2029, 12, 31)), tmp_path)
    after = pdf_text(render_form("receipt", data, on=dt.date(2030, 1, 1)), tmp_path)

    # then
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in before
    assert "BIÊN NHẬN MỚI" not in before
    assert "BIÊN NHẬN MỚI" in after


def test_the_newest_template_in_force_wins(tmp_path: Path, settings: Any) -> None:
    """Of a plain and two dated overrides, the newest one not after `on` is used."""
    # given
    overrides = tmp_path / "forms"
    overrides.mkdir()
    write_template(overrides, "receipt.json", effective_from="2025-07-01", title="MẪU A")
    write_template(overrides, "receipt@2027-01-01.json", effective_from="2027-01-01", title="MẪU B")
    write_template(overrides, "receipt@2028-01-01.json", effective_from="2028-01-01", title="MẪU C")
    settings.MOTCUA_FORM_TEMPLATES_DIR = str(overrides)

    # when
    texts = [
        pdf_text(render_form("receipt", form_data("receipt"), on=dt.date(year, 6, 1)), tmp_path)
        for year in (2026, 2027, 2028)
    ]

    # then
    assert ["MẪU A" in t for t in texts] == [True, False, False]
    assert ["MẪU B" in t for t in texts] == [False, True, False]
    assert ["MẪU C" in t for t in texts] == [False, False, True]


def test_an_unknown_form_is_refused() -> None:
    """Only the seven form codes render."""
    # when / then
    with pytest.raises(ValueError, match="Unknown form 'invoice'"):
        render_form("invoice", {})


def test_missing_keys_are_all_named_at_once() -> None:
    """The error names every missing key, including keys missing from a table row."""
    # given
    data = form_data("receipt")
    del data["applicant_name"]
    del data["due_at"]
    del data["documents"][1]["quantity"]

    # when
    with pytest.raises(ValueError) as raised:
        render_form("receipt", data)

    # then
    message = str(raised.value)
    for key in ("applicant_name", "due_at", "documents[2].quantity"):
        assert key in message
    assert "applicant_phone" not in message


def test_naive_datetimes_are_refused() -> None:
    """A datetime without a time zone would print a wrong hour, so it is an error."""
    # given
    data = form_data("receipt")
    data["due_at"] = dt.datetime(2026, 11, 27, 16, 30)

    # when / then
    with pytest.raises(ValueError, match="due_at"):
        render_form("receipt", data)


def test_an_unknown_verdict_is_refused() -> None:
    """A hand-over result must be early, on time, late or empty."""
    # given
    data = form_data("control-sheet")
    data["handovers"][0]["verdict"] = "soon"

    # when / then
    with pytest.raises(ValueError, match="soon"):
        render_form("control-sheet", data)


def test_templates_cannot_reach_into_objects(tmp_path: Path, settings: Any) -> None:
    """Placeholders are plain names: `{x.__class__}` in a template is rejected."""
    # given
    overrides = tmp_path / "forms"
    overrides.mkdir()
    write_template(overrides, "receipt.json", title="{applicant_name.__class__}")
    settings.MOTCUA_FORM_TEMPLATES_DIR = str(overrides)

    # when / then
    with pytest.raises(ValueError, match="plain name"):
        render_form("receipt", form_data("receipt"))
