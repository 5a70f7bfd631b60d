"""The catalog history report: announced, amended, abolished per field and level."""

import datetime as dt

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.rows import parse_rows
from motcua.catalog.selectors import catalog_history
from motcua.catalog.services import catalog_import, procedure_abolish

pytestmark = pytest.mark.django_db


def _import(rows, as_of):
    parsed, errors = parse_rows([(n, row) for n, row in enumerate(rows, start=2)])
    assert errors == []
    return catalog_import(rows=parsed, as_of=as_of)


def test_history_counts_changes_in_the_period_per_field_and_level(world):
    """Two announced, one amended and three abolished in 2026; the demo catalog (2025) is the
    starting stock, so the net change is announced minus abolished."""
    # given
    _import(
        [
            {"code": "HP.1001", "name": "Thủ tục thí điểm A", "field": "Hộ tịch", "level": "xã"},
            {"code": "HP.1002", "name": "Thủ tục thí điểm B", "field": "Đất đai", "level": "tỉnh"},
        ],
        as_of=dt.date(2026, 3, 1),
    )
    _import(
        [
            {
                "code": "1.001193",
                "name": "Thủ tục đăng ký khai sinh",
                "field": "Hộ tịch",
                "level": "xã",
                "processing_days": 1,
                "fee_vnd": 5000,
            }
        ],
        as_of=dt.date(2026, 4, 1),
    )
    for code in ("1.000419", "1.003583", "1.000094"):
        procedure_abolish(procedure=Procedure.objects.get(code=code), on=dt.date(2026, 5, 1))
    procedure_abolish(procedure=Procedure.objects.get(code="1.004884"), on=dt.date(2027, 1, 2))
    # when
    history = catalog_history(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    # then
    assert history.in_force_at_start == 243
    assert history.in_force_at_end == 243 + 2 - 3
    assert history.net_change == -1
    totals = history.totals
    assert (totals.announced, totals.amended, totals.abolished) == (2, 1, 3)
    civil_status = next(r for r in history.rows if r.field == "Hộ tịch" and r.level == "xã")
    assert (civil_status.announced, civil_status.amended, civil_status.abolished) == (1, 1, 3)
    land = next(r for r in history.rows if r.field == "Đất đai" and r.level == "tỉnh")
    assert land.announced == 1


def test_history_api_rejects_a_reversed_period(world, api_client):
    response = api_client.get(
        "/api/v1/procedures/history", {"from": "2026-02-01", "to": "2026-01-01"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_period"
    page = api_client.get("/thu-tuc/lich-su/", {"start": "2026-02-01", "end": "2026-01-01"})
    assert page.status_code == 200
    assert (
        "end date must not be before" in page.content.decode()
        or "Ngày kết thúc" in page.content.decode()
    )


def test_abolishing_twice_is_a_conflict(world):
    procedure = Procedure.objects.get(code="1.000419")
    procedure_abolish(procedure=procedure, on=dt.date(2026, 1, 1))
    with pytest.raises(Exception, match="already abolished"):
        procedure_abolish(procedure=procedure, on=dt.date(2026, 2, 1))


def test_an_admin_edit_is_an_amendment(world, client):
    """Changing the processing time in the Django admin bumps the version and the history."""
    from django.utils import timezone

    from motcua.catalog.models import CatalogEvent

    client.login(username="admin", password="motcua-demo")
    procedure = Procedure.objects.get(code="1.001193")
    url = f"/admin/catalog/procedure/{procedure.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "field": procedure.field_id,
            "processing_days": 2,
            "competent_agency": "",
            "legacy_level": "",
            "fee_vnd": 0,
            "effective_from": "2025-07-01",
            "abolished_on": "",
        }
    )
    for prefix in ("documents", "fees", "steps"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    procedure.refresh_from_db()
    assert procedure.processing_days == 2 and procedure.version == 2
    event = procedure.events.get(kind=CatalogEvent.Kind.AMENDED)
    assert event.date == timezone.localdate()
