"""Content completeness (Decision 766, "content complete"): the required parts are data; the
demo's online procedures state them all, and every other procedure is listed with its gaps."""

import pytest

from motcua.catalog.completeness import (
    CompletenessFilters,
    completeness_report,
    completeness_rows,
    required_parts,
)
from motcua.common.errors import ApiError
from motcua.demo.catalog import _online_services

pytestmark = pytest.mark.django_db


def test_online_demo_procedures_have_complete_content(world):
    report = completeness_report(filters=CompletenessFilters(state="complete"), page_size=200)
    complete = {item.procedure.code for item in report.items}
    assert set(_online_services()) <= complete
    vet = world.procedure("1.004756")
    assert vet.steps.count() == 3 and "79/2015/QH13" in vet.legal_basis
    assert vet.documents.exclude(template="").exists()
    assert vet.conditions and vet.result_description


def test_other_procedures_are_listed_with_what_they_lack(world):
    parts = [p.code for p in required_parts()]
    assert parts[:2] == ["documents", "steps"] and "legal_basis" in parts
    report = completeness_report(filters=CompletenessFilters(), page_size=20)
    assert report.total == 243 and report.complete >= 6
    assert report.incomplete == report.total - report.complete
    assert len(report.items) == 20 and report.pages == -(-report.matching // 20)
    missing_steps = completeness_report(filters=CompletenessFilters(missing="steps"))
    assert missing_steps.matching == next(p.missing for p in report.parts if p.part.code == "steps")
    assert all("steps" in [m.code for m in item.missing] for item in missing_steps.items)
    rows = completeness_rows(filters=CompletenessFilters(state="incomplete"))
    assert len(rows) == report.incomplete and all(row.missing for row in rows)


def test_an_unknown_part_is_a_clear_error(world):
    with pytest.raises(ApiError) as error:
        completeness_report(filters=CompletenessFilters(missing="colour"))
    assert error.value.code == "unknown_part" and "colour" in error.value.message
