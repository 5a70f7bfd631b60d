"""Rating a dossier through `rating_submit`, as each channel does: who may rate, when, what is
stored, what an edit keeps, and that a refused rating stores nothing."""

from __future__ import annotations

import datetime as dt
import time
from unittest import mock

import pytest
from django.core import mail, signing

from motcua.audit.models import Event
from motcua.common.errors import ApiError, Conflict, NotFound, PermissionDenied
from motcua.dossiers.models import Status
from motcua.org.models import User
from motcua.surveys import access
from motcua.surveys.criteria import CRITERIA_FILE, load_criteria, read_criteria
from motcua.surveys.models import Rating, RatingCriterion, RatingRevision
from motcua.surveys.services import rating_submit

from .conftest import at

pytestmark = pytest.mark.django_db


def nothing_stored() -> bool:
    return not Rating.objects.exists() and not Event.objects.filter(action="rate").exists()


def test_criteria_file_holds_the_twelve_criteria_and_loads_idempotently():
    """The province's 12 criteria, with both labels and stages; loading twice changes nothing."""
    # given
    data = read_criteria()
    # when
    load_criteria()
    load_criteria()
    # then
    codes = [c["code"] for c in data["criteria"]]
    assert len(codes) == 12 and codes[0] == "overall"
    assert data["unconfirmed"], "the file says what could not be checked"
    rows = RatingCriterion.objects.filter(effective_from=dt.date.fromisoformat("2025-07-01"))
    assert rows.count() == 12
    assert rows.get(code="on_time").stage == "return"
    assert rows.get(code="officer_attitude").stage == "both"
    assert rows.get(code="overall").label_vi == "Mức độ hài lòng chung"
    assert CRITERIA_FILE.name == "criteria.json"


def test_the_data_migration_loads_the_file():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("motcua.surveys.migrations.0002_load_criteria")
    RatingCriterion.objects.all().delete()
    migration.load(apps, None)
    assert RatingCriterion.objects.filter(active=True).count() == 12


def test_owner_rates_returned_dossier_in_the_portal(world, citizen, make_dossier):
    """The result's rating belongs to the lead agency; answers and an audit event are stored."""
    # given
    dossier = make_dossier()
    # when
    rating = rating_submit(
        dossier_code=dossier.code,
        stage="return",
        channel="portal",
        overall=4,
        answers={"on_time": 5, "officer_attitude": 4},
        comment="Cán bộ hướng dẫn tận tình.\x00",
        user=citizen,
        at=at("2026-03-03"),
    )
    # then
    assert (rating.stage, rating.channel, rating.overall, rating.version) == (
        "return",
        "portal",
        4,
        1,
    )
    assert rating.agency.code == "SO-TP" == dossier.lead_agency.code
    assert rating.comment == "Cán bộ hướng dẫn tận tình."
    assert {a.criterion.code: a.score for a in rating.answers.all()} == {
        "on_time": 5,
        "officer_attitude": 4,
    }
    event = Event.objects.get(action="rate")
    assert event.subject_id == f"{dossier.code}:return"
    assert event.actor == citizen
    assert event.agency is not None and event.agency.code == "SO-TP"
    assert event.payload["overall"] == 4 and "Cán bộ" not in str(event.payload)


def test_someone_elses_dossier_is_not_found_and_nothing_is_stored(world, make_dossier):
    # given
    dossier = make_dossier()
    stranger = User.objects.create(username="nguoi-khac", full_name="Người Khác")
    # when / then
    for user in (stranger, world.user("demo-desk"), None):
        with pytest.raises(NotFound) as caught:
            rating_submit(
                dossier_code=dossier.code,
                stage="return",
                channel="portal",
                overall=5,
                user=user,
            )
        assert caught.value.code == access.ERR_NOT_FOUND[0]
    assert nothing_stored()


def test_kiosk_with_code_and_key(make_dossier):
    """At the desk the slip's code and key are the credential; the key is case-insensitive."""
    dossier = make_dossier()
    rating = rating_submit(
        dossier_code=f" {dossier.code} ",
        stage="return",
        channel="kiosk",
        overall=5,
        lookup_key=dossier.lookup_key.lower(),
    )
    assert rating.channel == "kiosk"
    assert Event.objects.get(action="rate").actor is None


def test_kiosk_with_a_wrong_key_stores_nothing(make_dossier):
    dossier = make_dossier()
    wrong = "ZZZZZZ" if dossier.lookup_key != "ZZZZZZ" else "YYYYYY"
    for key in (wrong, "", None):
        with pytest.raises(NotFound) as caught:
            rating_submit(
                dossier_code=dossier.code,
                stage="return",
                channel="kiosk",
                overall=5,
                lookup_key=key,
            )
        assert caught.value.code == access.ERR_KEY[0]
        assert caught.value.message == "Mã hồ sơ hoặc mã tra cứu không đúng."
    assert nothing_stored()


def test_link_token_valid_expired_tampered_and_for_another_stage(make_dossier):
    # given
    dossier = make_dossier()
    token = access.link_token(dossier.code, "return")
    with mock.patch("time.time", return_value=time.time() - 31 * 24 * 3600):
        old_token = access.link_token(dossier.code, "return")
    forged = signing.dumps({"c": dossier.code, "s": "return"}, salt="another-salt")

    def submit(token: str, stage: str = "return") -> Rating:
        return rating_submit(
            dossier_code=dossier.code, stage=stage, channel="link", overall=3, link_token=token
        )

    # then: refused links store nothing
    with pytest.raises(ApiError) as expired:
        submit(old_token)
    assert (expired.value.status, expired.value.code) == (410, access.ERR_LINK_EXPIRED[0])
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "", "x:y:z"):
        with pytest.raises(PermissionDenied) as caught:
            submit(bad)
        assert caught.value.code == access.ERR_LINK_INVALID[0]
    with pytest.raises(PermissionDenied) as other_stage:
        submit(token, stage="receipt")
    assert other_stage.value.code == access.ERR_LINK_OTHER[0]
    assert nothing_stored()
    # when: the real link
    rating = submit(token)
    # then
    assert rating.channel == "link" and rating.overall == 3


def test_one_rating_per_stage_and_an_edit_keeps_the_old_values(citizen, make_dossier):
    """A second rating of the same stage replaces the values and keeps them as a revision; the
    receipt is rated separately and belongs to the receiving agency."""
    # given
    dossier = make_dossier()
    first = rating_submit(
        dossier_code=dossier.code,
        stage="return",
        channel="kiosk",
        overall=2,
        answers={"on_time": 1, "publicity": 3},
        comment="Chậm",
        lookup_key=dossier.lookup_key,
        at=at("2026-03-03", "09:00"),
    )
    # when
    second = rating_submit(
        dossier_code=dossier.code,
        stage="return",
        channel="portal",
        overall=4,
        answers={"on_time": 4},
        user=citizen,
        at=at("2026-03-04", "10:00"),
    )
    receipt = rating_submit(
        dossier_code=dossier.code, stage="receipt", channel="portal", overall=5, user=citizen
    )
    # then
    assert second.pk == first.pk and Rating.objects.filter(stage="return").count() == 1
    second.refresh_from_db()
    assert (second.overall, second.channel, second.version, second.comment) == (
        4,
        "portal",
        2,
        "",
    )
    assert second.created_at == at("2026-03-03", "09:00")
    assert second.updated_at == at("2026-03-04", "10:00")
    assert {a.criterion.code: a.score for a in second.answers.all()} == {"on_time": 4}
    revision = RatingRevision.objects.get(rating=second)
    assert (revision.number, revision.channel, revision.overall, revision.comment) == (
        1,
        "kiosk",
        2,
        "Chậm",
    )
    assert revision.answers == {"on_time": 1, "publicity": 3}
    assert revision.rated_at == at("2026-03-03", "09:00")
    assert revision.replaced_at == at("2026-03-04", "10:00")
    assert receipt.agency.code == "TTPVHCC" == dossier.receiving_agency.code
    assert Event.objects.filter(action="rate").count() == 3
    with pytest.raises(RuntimeError):
        revision.save()  # append-only


def test_stage_not_open_yet_is_a_conflict(citizen, make_dossier):
    """A dossier still being processed cannot be rated at return; receipt is open once the
    desk accepted it."""
    # given
    dossier = make_dossier(returned=False)
    assert dossier.status == Status.RECEIVED
    # when / then
    with pytest.raises(Conflict) as caught:
        rating_submit(
            dossier_code=dossier.code, stage="return", channel="portal", overall=5, user=citizen
        )
    assert caught.value.status == 409 and caught.value.code == access.ERR_STAGE_NOT_OPEN[0]
    assert "đã tiếp nhận" in caught.value.message.lower()
    assert nothing_stored()
    rating = rating_submit(
        dossier_code=dossier.code, stage="receipt", channel="portal", overall=5, user=citizen
    )
    assert rating.agency.code == "TTPVHCC"


@pytest.mark.parametrize(
    ("overall", "answers", "comment", "code"),
    [
        (6, {}, "", "score_out_of_range"),
        (0, {}, "", "score_out_of_range"),
        (True, {}, "", "score_out_of_range"),
        (4, {"on_time": 9}, "", "score_out_of_range"),
        (4, {"no_such_criterion": 4}, "", "unknown_criterion"),
        (4, {"overall": 4}, "", "unknown_criterion"),
        (4, {}, "x" * 1001, "comment_too_long"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(
    citizen, make_dossier, overall, answers, comment, code
):
    dossier = make_dossier()
    with pytest.raises(ApiError) as caught:
        rating_submit(
            dossier_code=dossier.code,
            stage="return",
            channel="portal",
            overall=overall,
            answers=answers,
            comment=comment,
            user=citizen,
        )
    assert (caught.value.status, caught.value.code) == (400, code)
    assert nothing_stored()


def test_a_criterion_of_the_other_stage_is_unknown_here(citizen, make_dossier):
    """ "On time" is asked when the result is returned, not at receipt."""
    dossier = make_dossier()
    with pytest.raises(ApiError) as caught:
        rating_submit(
            dossier_code=dossier.code,
            stage="receipt",
            channel="portal",
            overall=4,
            answers={"on_time": 4},
            user=citizen,
        )
    assert caught.value.code == "unknown_criterion"
    assert caught.value.errors[0]["field"] == "answers.on_time"
    assert nothing_stored()


def test_return_notification_carries_a_working_rating_link(
    world, make_dossier, settings, django_capture_on_commit_callbacks
):
    # given
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.haiphong.gov.vn/"
    dossier = make_dossier(returned=False)
    desk = world.user("demo-desk")
    from motcua.dossiers.services import ActionData, dossier_act

    dossier_act(
        actor=desk, code=dossier.code, data=ActionData(action="finish", result_kind="paper")
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        dossier_act(actor=desk, code=dossier.code, data=ActionData(action="return"))
    # then
    body = mail.outbox[-1].body
    prefix = "https://dichvucong.haiphong.gov.vn/danh-gia/l/"
    assert prefix in body
    token = body.split(prefix, 1)[1].split("/", 1)[0]
    claim = access.link_claim(token)
    assert (claim.code, claim.stage) == (dossier.code, "return")


def test_labels_follow_the_page_language(client, make_dossier):
    """Criteria labels come from the data file in both languages; the levels from the catalog."""
    dossier = make_dossier()
    client.cookies["django_language"] = "en"
    page = client.post("/danh-gia/quay/", {"code": dossier.code, "key": dossier.lookup_key})
    text = page.content.decode()
    assert "Result returned on time" in text and "Very satisfied" in text
    assert "Trả kết quả đúng hẹn" not in text
