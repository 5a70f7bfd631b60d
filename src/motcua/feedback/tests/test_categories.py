"""Categories are data: the shipped file loads, names real agencies, and a broken attribute
definition is refused in the admin."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from motcua.feedback.categories import load_categories, read_category_data
from motcua.feedback.models import COMMUNE, Category
from motcua.org.models import Agency


def test_every_category_names_an_existing_agency(world):
    codes = set(Agency.objects.values_list("code", flat=True))
    for entry in read_category_data()["categories"]:
        named = entry.get("fallback_agency") if entry["responsible"] == COMMUNE else None
        assert (named or entry["responsible"]) in codes | {COMMUNE}, entry["code"]
        if entry["responsible"] == COMMUNE:
            assert entry["fallback_agency"] in codes, entry["code"]
        assert entry["working_days"] > 0


def test_the_deadlines_are_those_of_the_national_scoring():
    """15 working days to handle, 2 to refuse, 5 to ask for more, 2 to publish the answer."""
    data = read_category_data()
    assert data["deadlines"] == {
        "handle": 15,
        "refuse": 2,
        "request_information": 5,
        "publish_answer": 2,
    }
    assert {entry["working_days"] for entry in data["categories"]} == {15}
    assert Category._meta.get_field("working_days").default == 15


def test_loading_again_changes_nothing(world):
    before = list(Category.objects.values_list("code", "name_vi", "working_days"))
    assert load_categories(Category) == len(before)
    assert list(Category.objects.values_list("code", "name_vi", "working_days")) == before


def test_a_list_attribute_without_values_is_refused(world):
    category = Category.objects.get(code="HT01")
    category.attributes = [{"code": "size", "datatype": "singlevaluelist", "required": True}]
    with pytest.raises(ValidationError) as error:
        category.full_clean()
    assert "attributes" in error.value.message_dict
    category.attributes = [{"code": "size", "datatype": "colour"}]
    with pytest.raises(ValidationError):
        category.full_clean()
