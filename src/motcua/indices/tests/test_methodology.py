"""Methodology files: the shipped ones load (idempotently), a broken one is refused with
precise messages in Vietnamese and English and nothing is saved."""

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from motcua.common.errors import ApiError
from motcua.indices.methodology import METHODOLOGY_DIR, methodologies_load, validate
from motcua.indices.models import Methodology, Node

pytestmark = pytest.mark.django_db

SMALL: dict[str, Any] = {
    "code": "tiny",
    "version": "1",
    "name_vi": "Nhỏ",
    "name_en": "Tiny",
    "total_points": 10,
    "groups": [{"code": "A", "min_percent": 90}, {"code": "C", "min_percent": 0}],
    "nodes": [
        {"code": "D1", "parent": None, "name_vi": "a", "name_en": "a", "max_points": 6},
        {"code": "D1.a", "parent": "D1", "name_vi": "a", "name_en": "a", "max_points": 4},
        {"code": "D1.b", "parent": "D1", "name_vi": "b", "name_en": "b", "max_points": 2},
        {"code": "D2", "parent": None, "name_vi": "c", "name_en": "c", "max_points": 4},
    ],
}


def _broken(change):
    doc = copy.deepcopy(SMALL)
    change(doc)
    return [e["code"] for e in validate(doc)], validate(doc)


def test_the_small_example_is_valid():
    assert validate(SMALL) == []


def test_points_not_adding_up_names_the_node_and_both_sums():
    codes, errors = _broken(lambda d: d["nodes"][1].update(max_points=5))
    assert codes == ["points_do_not_add_up"]
    assert "“D1”" in errors[0]["message"] and "7" in errors[0]["message_en"]
    assert "6" in errors[0]["message_en"]


def test_domains_not_adding_up_to_the_total():
    codes, _ = _broken(lambda d: d.update(total_points=12))
    assert codes == ["points_do_not_add_up"]


def test_unknown_parent():
    codes, errors = _broken(lambda d: d["nodes"][3].update(parent="D9"))
    assert codes == ["unknown_parent"]
    assert errors[0]["message_en"] == "Node “D2” has an unknown parent “D9”."
    assert errors[0]["message"] == "Nút “D2” có nút cha “D9” không tồn tại."


def test_cycle():
    def loop(d):
        d["nodes"][0]["parent"] = "D1.a"

    codes, errors = _broken(loop)
    assert codes == ["cycle"]
    assert (
        "D1 → D1.a → D1" in errors[0]["message_en"]
        or "D1.a → D1 → D1.a" in (errors[0]["message_en"])
    )


def test_duplicate_code():
    codes, errors = _broken(lambda d: d["nodes"].append(dict(d["nodes"][3])))
    assert "duplicate_code" in codes
    assert errors[0]["message_en"] == "Code “D2” appears 2 times."


def test_bands_must_cover_zero_to_one():
    rule = {
        "kind": "computed",
        "metric": "on_time_ratio",
        "bands": [{"from": 0, "to": 0.5, "points": 0}, {"from": 0.6, "to": 1, "points": 4}],
    }
    codes, errors = _broken(lambda d: d["nodes"][1].update(rule=rule))
    assert codes == ["bands_do_not_cover"] and "0.5 ≠ 0.6" in errors[0]["message_en"]


def test_negative_points_and_unknown_rule_kind():
    codes, _ = _broken(lambda d: d["nodes"][2].update(max_points=-2))
    assert codes == ["bad_points"]
    codes, _ = _broken(lambda d: d["nodes"][3].update(rule={"kind": "guess"}))
    assert codes == ["bad_rule"]


def test_shipped_methodologies_are_loaded_by_the_migration():
    assert set(Methodology.objects.values_list("code", flat=True)) >= {
        "par-province-2017",
        "par-province-2022",
        "hp-departments",
    }
    par = Methodology.objects.get(code="par-province-2017")
    domains = Node.objects.filter(methodology=par, parent=None).order_by("position")
    assert [d.max_points for d in domains] == [
        Decimal(x) for x in ("10", "10", "14.5", "11", "16", "7", "16", "15.5")
    ]
    assert all(d.official for d in domains)
    assert not Node.objects.filter(methodology=par, parent__isnull=False, official=True).exists()


def test_loading_again_changes_nothing():
    before = Node.objects.count()
    result = methodologies_load()
    assert all(not changed for _, _, changed in result)
    assert Node.objects.count() == before


def test_a_broken_file_saves_nothing(tmp_path):
    # given the shipped files plus one broken file in the same folder
    for path in METHODOLOGY_DIR.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    good = copy.deepcopy(SMALL)
    (tmp_path / "a-good.json").write_text(json.dumps(good), encoding="utf-8")
    bad = copy.deepcopy(SMALL)
    bad["code"] = "z-bad"
    bad["nodes"][1]["parent"] = "nowhere"
    (tmp_path / "z-bad.json").write_text(json.dumps(bad), encoding="utf-8")
    # when
    with pytest.raises(ApiError) as caught:
        methodologies_load(tmp_path)
    # then
    assert caught.value.code == "methodology_invalid"
    assert caught.value.errors[0]["code"] == "unknown_parent"
    assert not Methodology.objects.filter(code__in=["tiny", "z-bad"]).exists()


def test_the_command_reports_errors_in_both_languages(tmp_path):
    bad = copy.deepcopy(SMALL)
    bad["nodes"].append(dict(bad["nodes"][0]))
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("load_indices", dir=tmp_path)
    assert "Mã “D1” xuất hiện 2 lần." in str(caught.value)
    assert "Code “D1” appears 2 times." in str(caught.value)


def test_weight_may_stand_in_for_max_points():
    doc = copy.deepcopy(SMALL)
    doc["nodes"][3] = {k: v for k, v in doc["nodes"][3].items() if k != "max_points"}
    doc["nodes"][3]["weight"] = 4
    assert validate(doc) == []
