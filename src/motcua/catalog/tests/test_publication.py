"""The catalog's transparency inputs to the service index: announcements and amendments made
public on time after their decision, and the procedures in force with complete content."""

import datetime as dt

import pytest

from motcua.catalog.models import CatalogEvent, Procedure
from motcua.catalog.rows import ProcedureRow
from motcua.catalog.selectors import publication_counts, published_on_time
from motcua.catalog.services import catalog_import

pytestmark = pytest.mark.django_db

# Thứ Hai 2 tháng 3 năm 2026: five working days later is Monday 9 March.
DECIDED = dt.date(2026, 3, 2)


def _row(code, name, field="Chứng thực", **changes):
    values = {
        "row": 1,
        "code": code,
        "name": name,
        "field": field,
        "level": "xã",
        "processing_days": 1,
        "fee_vnd": 10_000,
        "competent_agency": "Ủy ban nhân dân cấp xã",
        "online_level": "partial",
        "status": Procedure.Status.ACTIVE,
        "effective_from": DECIDED,
        "legacy_level": None,
        "legal_basis": "Nghị định 23/2015/NĐ-CP",
        "abolished_on": None,
        "announced_by": "Quyết định 1234/QĐ-UBND",
        "source": "",
    }
    values.update(changes)
    return ProcedureRow(**values)


def test_five_working_days_after_the_decision_is_on_time_and_the_sixth_is_late():
    assert published_on_time(DECIDED, dt.date(2026, 3, 9))
    assert not published_on_time(DECIDED, dt.date(2026, 3, 10))
    assert not published_on_time(DECIDED, None)


def test_import_marks_certification_procedures():
    # when
    catalog_import(
        rows=[
            _row("9.100001", "Chứng thực bản sao từ bản chính giấy tờ, văn bản"),
            _row("9.100002", "Thủ tục cấp bản sao từ sổ gốc"),
            _row("9.100003", "Đăng ký kết hôn", field="Hộ tịch"),
        ],
        as_of=DECIDED,
        published_on=DECIDED,
    )
    # then
    certifying = set(
        Procedure.objects.filter(code__startswith="9.1", certification=True).values_list(
            "code", flat=True
        )
    )
    assert certifying == {"9.100001", "9.100002"}


def test_publication_counts_judge_each_event_against_its_decision():
    # given: two announced in time, one published late, then one amended late
    catalog_import(
        rows=[_row("9.200001", "Chứng thực chữ ký"), _row("9.200002", "Đăng ký khai tử")],
        as_of=DECIDED,
        published_on=dt.date(2026, 3, 5),
    )
    catalog_import(
        rows=[_row("9.200003", "Đăng ký giám hộ")],
        as_of=DECIDED,
        published_on=dt.date(2026, 3, 16),
    )
    catalog_import(
        rows=[_row("9.200001", "Chứng thực chữ ký", processing_days=2)],
        as_of=dt.date(2026, 3, 20),
        published_on=dt.date(2026, 4, 1),
    )
    # when
    counts = publication_counts(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    # then: none of these has a competent agency linked
    entry = counts[None]
    assert (entry.announced, entry.announced_on_time) == (3, 2)
    assert (entry.amended, entry.amended_on_time) == (1, 0)
    assert entry.in_force == 3
    assert entry.complete <= entry.in_force
    assert CatalogEvent.objects.filter(published_on__isnull=True).count() == 0


def test_procedures_not_yet_in_force_are_not_counted():
    catalog_import(rows=[_row("9.300001", "Chứng thực hợp đồng")], as_of=DECIDED)
    counts = publication_counts(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert counts.get(None) is None or counts[None].in_force == 0
