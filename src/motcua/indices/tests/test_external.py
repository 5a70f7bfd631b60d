"""PCI/PAPI import: Hải Phòng's published series loads; an unknown province, year or component
refuses the whole file and saves nothing."""

import pytest

from motcua.common.errors import ApiError
from motcua.indices.external_import import EXTERNAL_DIR, external_import, external_series
from motcua.indices.models import ExternalValue

pytestmark = pytest.mark.django_db

HEADER = "index,province,year,component,score,rank\n"


def test_haiphong_series_loads_and_reloads_without_duplicates(api_client):
    text = (EXTERNAL_DIR / "haiphong.csv").read_text(encoding="utf-8")
    first = external_import(text)
    again = external_import(text)
    assert first["created"] == 30 and again == {"created": 0, "updated": 30}
    series = {row["year"]: row for row in external_series("pci", 31)}
    assert str(series[2017]["score"]) == "65.15" and series[2017]["rank"] == 9
    assert series[2021]["rank"] == 2
    assert float(series[2016]["components"]["policy_bias"]) == 3.39
    body = api_client.get("/api/v1/indices/external/pci?province=31").json()
    assert [r["year"] for r in body] == list(range(2014, 2023))
    assert body[3]["components"]["labour_training"] == 8.17


def test_without_a_province_the_api_answers_for_the_one_served(api_client, settings):
    """The default is MOTCUA_PROVINCE_CODE, not a number written in the API."""
    # given Hải Phòng's series, and Hà Nội's 2017 PCI
    external_import((EXTERNAL_DIR / "haiphong.csv").read_text(encoding="utf-8"))
    external_import(HEADER + "pci,1,2017,total,65.35,8\n")
    # when / then
    assert len(api_client.get("/api/v1/indices/external/pci").json()) == 9
    settings.MOTCUA_PROVINCE_CODE = 1
    body = api_client.get("/api/v1/indices/external/pci").json()
    assert [(r["year"], r["score"]) for r in body] == [(2017, 65.35)]


@pytest.mark.parametrize(
    ("line", "message_en"),
    [
        ("pci,99,2017,total,60,", "Unknown province code “99”."),
        ("pci,31,2001,total,60,", "Year “2001” is outside 2005–now."),
        ("papi,31,2008,total,40,", "Year “2008” is outside 2009–now."),
        ("pci,31,2017,total,160,", "Score 160 is outside 0–100."),
        ("papi,31,2016,e_governance,5,", "Component “e_governance” is not part of PAPI in 2016."),
        ("xyz,31,2017,total,60,", "Unknown index “xyz”."),
    ],
)
def test_a_bad_line_saves_nothing(line, message_en):
    good = "pci,31,2018,total,64.48,16\n"
    with pytest.raises(ApiError) as caught:
        external_import(HEADER + good + line + "\n")
    assert caught.value.code == "external_invalid"
    assert caught.value.errors[0]["message_en"] == message_en
    assert caught.value.errors[0]["field"] == "line 3"
    assert not ExternalValue.objects.exists()


def test_duplicate_lines_and_missing_columns_are_refused():
    with pytest.raises(ApiError) as caught:
        external_import(HEADER + "pci,31,2018,total,64,\npci,31,2018,total,65,\n")
    assert "Duplicate" in caught.value.errors[0]["message_en"]
    with pytest.raises(ApiError) as caught:
        external_import("index,province,year\npci,31,2018\n")
    assert caught.value.code == "external_columns"
