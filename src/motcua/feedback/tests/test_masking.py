"""Masking of published petition text against the ways people in Vietnam really write phone,
ID, passport, bank account and licence plate numbers, and what must stay readable: dates,
dossier codes, money amounts, years and house numbers."""

from __future__ import annotations

import pytest

from motcua.feedback.privacy import MASK, personal_data_kinds, redact

MASKED = [
    # phones: spaces, dots, dashes, slashes, parentheses, +84 / 84
    ("phone", "Gọi (091) 234 5678 giúp tôi", "(091) 234 5678"),
    ("phone", "Số 0912/345/678 của tổ trưởng", "0912/345/678"),
    ("phone", "liên hệ 0912.345.678.", "0912.345.678"),
    ("phone", "liên hệ 0912-345-678", "0912-345-678"),
    ("phone", "Zalo 0912 345 678", "0912 345 678"),
    ("phone", "gọi +84 912 345 678", "+84 912 345 678"),
    ("phone", "gọi +84-912-345-678 nhé", "+84-912-345-678"),
    ("phone", "gọi (+84) 912345678", "(+84) 912345678"),
    ("phone", "số 84912345678", "84912345678"),
    ("phone", "máy bàn (0225) 384 2123", "(0225) 384 2123"),
    ("phone", "máy bàn 0225.3842.123", "0225.3842.123"),
    ("phone", "SĐT:0987654321", "0987654321"),
    # citizen ID (12 digits, grouped) and the old identity card (9 digits)
    ("id_number", "CCCD 031 190 012 345 cấp năm 2021", "031 190 012 345"),
    ("id_number", "CCCD số 0311 9001 2345", "0311 9001 2345"),
    ("id_number", "CCCD 031190012345", "031190012345"),
    ("id_number", "CMND 031234567 cấp tại Hải Phòng", "031234567"),
    ("id_number", "CMND 031 234 567", "031 234 567"),
    # passports
    ("passport", "hộ chiếu C1234567", "C1234567"),
    ("passport", "Passport no. B12345678.", "B12345678"),
    # bank accounts near words that say so
    ("bank_account", "STK 0011 0023 45678 Vietcombank", "0011 0023 45678"),
    ("bank_account", "chuyển vào tài khoản 1903-5678-9012-34", "1903-5678-9012-34"),
    ("bank_account", "số tài khoản: 123456789012", "123456789012"),
    ("bank_account", "Techcombank 19035678901234", "19035678901234"),
    ("bank_account", "TK BIDV số 3141 0000 123456", "3141 0000 123456"),
    # licence plates
    ("licence_plate", "xe 15A-123.45 đỗ trên vỉa hè", "15A-123.45"),
    ("licence_plate", "xe máy 29A1-234.56 chạy ngược chiều", "29A1-234.56"),
    ("licence_plate", "biển 15-B1 123.45", "15-B1 123.45"),
    ("licence_plate", "xe tải 15C-12345", "15C-12345"),
    ("licence_plate", "ô tô 29A 123.45", "29A 123.45"),
    ("licence_plate", "xe 15LD-012.34", "15LD-012.34"),
    # emails
    ("email", "email lan.nguyen@example.vn", "lan.nguyen@example.vn"),
]

KEPT = [
    "Ngày 15/01/2026 đường lại ngập",
    "từ 05/01/2026 08:30 đến nay",
    "từ ngày 2026-01-15 đến 20-01-2026",
    "đã nộp hồ sơ H31.300.00-260115-0001 mà chưa có kết quả",
    "phí 50.000 đ một lần",
    "thu 1.500.000 đồng",
    "dự án 150.000.000.000 đồng",
    "tiền phạt 2,5 triệu",
    "từ năm 2019 đến năm 2025",
    "nhà số 12 ngõ 123/45 Lạch Tray",
    "số 12/3 ngách 45",
    "khoảng 8h30 sáng, ngập sâu 30 cm",
    "Quốc lộ 5 km 12+300",
    "tổ dân phố số 7, 120 hộ dân",
]


@pytest.mark.parametrize(("kind", "text", "secret"), MASKED)
def test_real_world_spellings_are_masked(kind, text, secret):
    # when
    masked = redact(text)
    # then: the number is gone, the rest of the sentence is still there
    assert secret not in masked
    assert MASK in masked
    assert masked.replace(MASK, secret) == text
    assert kind in personal_data_kinds(text)


@pytest.mark.parametrize("text", KEPT)
def test_dates_codes_money_years_and_house_numbers_stay(text):
    assert redact(text) == text
    assert personal_data_kinds(text) == []


def test_two_phones_in_a_row_are_both_masked():
    assert redact("0912345678 0987654321") == f"{MASK} {MASK}"
