"""The tabular shape of a procedure, shared by the Excel import/export and the demo loader.

A row is validated as a whole file: every problem is reported with its row and column, in
Vietnamese and English, and nothing is saved unless every row is valid.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

from motcua.common.errors import Message, bilingual
from motcua.common.language import in_language

from .models import OnlineLevel, Procedure


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    required: bool = False

    @property
    def label(self) -> str:
        """The column's name in the language a message is rendered in (lazy: a Promise that
        reads as str)."""
        return lazy(lambda: in_language(self.vi, self.en), str)()


COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã thủ tục", "Code", required=True),
    Column("name", "Tên thủ tục", "Name", required=True),
    Column("field", "Lĩnh vực", "Field", required=True),
    Column("level", "Cấp thực hiện", "Level", required=True),
    Column("processing_days", "Thời hạn giải quyết (ngày làm việc)", "Processing days"),
    Column("fee_vnd", "Phí, lệ phí (đồng)", "Fee (VND)"),
    Column("competent_agency", "Cơ quan thực hiện", "Competent agency"),
    Column("online_level", "Mức độ dịch vụ công trực tuyến", "Online level"),
    Column("legacy_level", "Mức độ cũ (1-4)", "Legacy level (1-4)"),
    Column("legal_basis", "Căn cứ pháp lý", "Legal basis"),
    Column("status", "Trạng thái", "Status"),
    Column("effective_from", "Ngày có hiệu lực", "Effective from"),
    Column("abolished_on", "Ngày bãi bỏ", "Abolished on"),
    Column("announced_by", "Quyết định công bố", "Announcing decision"),
    Column("source", "Nguồn", "Source"),
)
COLUMN_BY_HEADER: dict[str, Column] = {}
for _column in COLUMNS:
    for _label in (_column.key, _column.vi, _column.en):
        COLUMN_BY_HEADER[_label.strip().lower()] = _column

CODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_]{2,31}$")
LEVEL_WORDS = {"bộ", "tỉnh", "huyện", "xã", "cơ quan khác"}
ONLINE_LEVELS: dict[str, str] = {
    "": OnlineLevel.NONE,
    "none": OnlineLevel.NONE,
    "không": OnlineLevel.NONE,
    "toàn trình": OnlineLevel.FULL,
    "full": OnlineLevel.FULL,
    "một phần": OnlineLevel.PARTIAL,
    "partial": OnlineLevel.PARTIAL,
}
STATUSES: dict[str, str] = {
    "": Procedure.Status.ACTIVE,
    "active": Procedure.Status.ACTIVE,
    "đang hiệu lực": Procedure.Status.ACTIVE,
    "còn hiệu lực": Procedure.Status.ACTIVE,
    "abolished": Procedure.Status.ABOLISHED,
    "bãi bỏ": Procedure.Status.ABOLISHED,
    "đã bãi bỏ": Procedure.Status.ABOLISHED,
    "draft": Procedure.Status.DRAFT,
    "chưa có hiệu lực": Procedure.Status.DRAFT,
}
STATUS_LABEL_VI: dict[str, str] = {
    Procedure.Status.ACTIVE: "Đang hiệu lực",
    Procedure.Status.ABOLISHED: "Đã bãi bỏ",
    Procedure.Status.DRAFT: "Chưa có hiệu lực",
}
ONLINE_LABEL_VI: dict[str, str] = {
    OnlineLevel.FULL: "Toàn trình",
    OnlineLevel.PARTIAL: "Một phần",
    OnlineLevel.NONE: "",
}
MAX_NAME_LENGTH = 2000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "message_en": self.message_en,
        }


def row_error(row: int, column: str, message: Message, /, **values: Any) -> RowError:
    """A row's problem, its message rendered in Vietnamese and English from one msgid."""
    return RowError(row, column, *bilingual(message, **values))


@dataclass
class ProcedureRow:
    row: int
    code: str
    name: str
    field: str
    level: str
    processing_days: int | None
    fee_vnd: int | None
    competent_agency: str
    online_level: str
    legacy_level: int | None
    legal_basis: str
    status: str
    effective_from: dt.date | None
    abolished_on: dt.date | None
    announced_by: str
    source: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _RowReader:
    def __init__(self, number: int, raw: dict[str, Any], errors: list[RowError]) -> None:
        self.number = number
        self.raw = raw
        self.errors = errors

    def error(self, key: str, message: Message, /, **values: Any) -> None:
        column = next(c for c in COLUMNS if c.key == key)
        self.errors.append(row_error(self.number, column.vi, message, **values))

    def text(self, key: str) -> str:
        return _text(self.raw.get(key))

    def integer(self, key: str, low: int, high: int) -> int | None:
        value = self.raw.get(key)
        if value is None or _text(value) == "":
            return None
        try:
            number = (
                float(str(value).replace(",", "").strip())
                if not isinstance(value, (int, float))
                else float(value)
            )
        except ValueError:
            self.error(key, gettext_lazy("“{value}” is not a number."), value=_text(value))
            return None
        if not number.is_integer() or not low <= number <= high:
            self.error(
                key,
                gettext_lazy("Value {value} must be a whole number from {low} to {high:,}."),
                value=_text(value),
                low=low,
                high=high,
            )
            return None
        return int(number)

    def date(self, key: str) -> dt.date | None:
        value = self.raw.get(key)
        if value is None or _text(value) == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date only
            except ValueError:
                continue
        self.error(key, gettext_lazy("Date “{text}” is not valid (dd/mm/yyyy)."), text=text)
        return None

    def choice(self, key: str, choices: dict[str, str]) -> str:
        text = self.text(key).lower()
        if text not in choices:
            self.error(key, gettext_lazy("Value “{value}” is not allowed."), value=self.text(key))
            return next(iter(choices.values()))
        return choices[text]


def parse_rows(
    raw_rows: list[tuple[int, dict[str, Any]]],
) -> tuple[list[ProcedureRow], list[RowError]]:
    """Validate rows keyed by column key; returns parsed rows and every error found."""
    errors: list[RowError] = []
    parsed: list[ProcedureRow] = []
    seen_codes: dict[str, int] = {}
    for number, raw in raw_rows:
        reader = _RowReader(number, raw, errors)
        for column in COLUMNS:
            if column.required and not reader.text(column.key):
                reader.error(
                    column.key, gettext_lazy("“{column}” is missing."), column=column.label
                )
        code = reader.text("code")
        if code and not CODE_PATTERN.match(code):
            reader.error("code", gettext_lazy("Code “{code}” is not valid."), code=code)
        if code in seen_codes:
            reader.error(
                "code",
                gettext_lazy("Code “{code}” duplicates row {row}."),
                code=code,
                row=seen_codes[code],
            )
        elif code:
            seen_codes[code] = number
        name = reader.text("name")
        if len(name) > MAX_NAME_LENGTH:
            reader.error(
                "name", gettext_lazy("Name longer than {limit} characters."), limit=MAX_NAME_LENGTH
            )
        level = reader.text("level").lower()
        if level and not set(level.split("/")) <= LEVEL_WORDS:
            reader.error(
                "level",
                gettext_lazy("Level “{level}” is not valid (bộ/tỉnh/huyện/xã/cơ quan khác)."),
                level=level,
            )
        legacy = reader.integer("legacy_level", 1, 4)
        status = reader.choice("status", STATUSES)
        effective_from = reader.date("effective_from")
        abolished_on = reader.date("abolished_on")
        if (
            status == Procedure.Status.ABOLISHED
            and abolished_on is None
            and not any(e.row == number and e.column == "Ngày bãi bỏ" for e in errors)
        ):
            reader.error(
                "abolished_on", gettext_lazy("An abolished procedure needs its abolition date.")
            )
        if effective_from and abolished_on and abolished_on < effective_from:
            reader.error("abolished_on", gettext_lazy("Abolished before it took effect."))
        parsed.append(
            ProcedureRow(
                row=number,
                code=code,
                name=name,
                field=reader.text("field"),
                level=level,
                processing_days=reader.integer("processing_days", 0, 365),
                fee_vnd=reader.integer("fee_vnd", 0, 10**12),
                competent_agency=reader.text("competent_agency"),
                online_level=reader.choice("online_level", ONLINE_LEVELS),
                legacy_level=legacy,
                legal_basis=reader.text("legal_basis"),
                status=status,
                effective_from=effective_from,
                abolished_on=abolished_on,
                announced_by=reader.text("announced_by"),
                source=reader.text("source"),
            )
        )
    return parsed, errors


def procedure_as_row(procedure: Procedure) -> list[Any]:
    """One export row in COLUMNS order; a re-import of it changes nothing."""
    values = {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field.name,
        "level": procedure.levels,
        "processing_days": procedure.processing_days,
        "fee_vnd": procedure.fee_vnd,
        "competent_agency": procedure.competent_agency_text,
        "online_level": ONLINE_LABEL_VI[procedure.online_level],
        "legacy_level": procedure.legacy_level,
        "legal_basis": procedure.legal_basis,
        "status": STATUS_LABEL_VI[procedure.status],
        "effective_from": procedure.effective_from,
        "abolished_on": procedure.abolished_on,
        "announced_by": procedure.announced_by,
        "source": procedure.source,
    }
    return [values[column.key] for column in COLUMNS]
