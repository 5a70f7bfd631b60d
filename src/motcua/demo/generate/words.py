"""Names, streets, companies and reasons the generator draws realistic Vietnamese data from."""

from __future__ import annotations

import random


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


# Repeated to weight them: Nguyễn, Trần and Lê are by far the commonest surnames.
SURNAMES = _words(
    "Nguyễn " * 8 + "Trần " * 3 + "Lê " * 3 + "Phạm Phạm Hoàng Vũ Vũ Đặng Bùi Đỗ Ngô "
    "Dương Phan Đinh Lương Mạc Tô"
)
MIDDLE_MALE = _words("Văn Văn Đức Minh Quốc Hữu Thanh Xuân Trọng Hoàng")
MIDDLE_FEMALE = _words("Thị Thị Thị Ngọc Thu Thanh Minh Hồng Phương Mai")
GIVEN_MALE = _words(
    "An Bình Cường Dũng Duy Hải Hiếu Hùng Huy Khánh Long Minh Nam Phong Quân Quang Sơn "
    "Thắng Trung Tuấn Việt Vinh"
)
GIVEN_FEMALE = _words(
    "Anh Chi Giang Hà Hạnh Hoa Hương Lan Linh Mai Nga Ngọc Nhung Phương Thảo Trang "
    "Vân Yến Hằng Loan"
)
STREETS = _words(
    "Lê Lợi|Trần Phú|Hai Bà Trưng|Nguyễn Trãi|Quang Trung|Lê Duẩn|Trần Hưng Đạo|"
    "Điện Biên Phủ|Lạch Tray|Văn Cao|Tô Hiệu|Bạch Đằng",
    "|",
)
COMPANY_WORDS = _words(
    "Hải Long|Minh Phát|Thành Đạt|An Phú|Đại Dương|Bạch Đằng|Tân Tiến|Phú Thịnh|"
    "Cảng Xanh|Hoàng Gia|Việt Hải|Đông Á",
    "|",
)
COMPANY_TRADES = ("Xây dựng", "Thương mại", "Vận tải", "Logistics", "Đầu tư", "Dịch vụ")
# Citizen ID prefixes: the province of birth (Hải Phòng 031 first, then neighbours and big cities).
BIRTH_PROVINCES = ("031",) * 8 + ("001", "022", "030", "034", "036", "079")

GENERIC_DOCUMENT = "Đơn (tờ khai) đề nghị theo mẫu"
GENERIC_MISSING = (
    "Bản sao có chứng thực giấy tờ chứng minh nhân thân",
    "Tờ khai còn thiếu chữ ký của người yêu cầu",
    "Bản chính giấy tờ để đối chiếu",
    "Văn bản ủy quyền có chứng thực",
)
REASON_RECEIPT_SUPPLEMENT = "Hồ sơ chưa đầy đủ thành phần theo quy định; đề nghị bổ sung."
REASONS_REFUSE = (
    "Yêu cầu không thuộc thẩm quyền giải quyết của cơ quan.",
    "Hồ sơ không đủ điều kiện tiếp nhận theo quy định của thủ tục.",
    "Người nộp không xuất trình được giấy tờ tùy thân hợp lệ.",
)
REASON_NOT_SUPPLIED = "Quá thời hạn bổ sung, người nộp không bổ sung hồ sơ theo yêu cầu."
REASONS_PROCESSING_SUPPLEMENT = (
    "Cần bổ sung giấy tờ để làm rõ nội dung trong quá trình thẩm định.",
    "Thông tin trong tờ khai không thống nhất với giấy tờ kèm theo; đề nghị bổ sung, làm rõ.",
)
REASONS_APOLOGY = (
    "Cần xác minh thêm thông tin với cơ quan liên quan.",
    "Số lượng hồ sơ tăng đột biến, chưa kịp thẩm định.",
    "Chờ ý kiến phối hợp của cơ quan có liên quan.",
)
REASON_STOP = "Người nộp có văn bản đề nghị rút hồ sơ, dừng giải quyết."
REASON_FORWARD = "Chuyển hồ sơ để thẩm định, giải quyết."


def _person_name(rng: random.Random, female: bool) -> str:
    middle, given = (MIDDLE_FEMALE, GIVEN_FEMALE) if female else (MIDDLE_MALE, GIVEN_MALE)
    return f"{rng.choice(SURNAMES)} {rng.choice(middle)} {rng.choice(given)}"


# --- applying the plan -------------------------------------------------------------------------
