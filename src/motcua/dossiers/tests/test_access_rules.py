"""The permission rules of `dossiers/access.py`, role by role, through its public functions:
who sees a dossier, who may act on it at this step, who may have its papers. Written to kill
the mutants mutation testing left alive (docs/mutation.md)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.common.errors import NotFound, PermissionDenied
from motcua.dossiers.access import (
    document_get_for_download,
    dossier_get_for_user,
    dossiers_visible_to,
    may_download_documents,
    require_staff_of,
)
from motcua.dossiers.models import Document, Dossier
from motcua.dossiers.services import ApplicantData, ReceiptData, dossier_receive
from motcua.org.models import User

pytestmark = pytest.mark.django_db

PROCEDURE = "1.003179"  # received at the city's centre, led by Sở Tư pháp


@pytest.fixture
def dossier(world) -> Dossier:
    received = dossier_receive(
        actor=world.user("demo-desk"),
        data=ReceiptData(
            procedure_code=PROCEDURE,
            channel="counter",
            applicant=ApplicantData(kind="person", name="Nguyễn Thị Ngữ", id_number="031190012345"),
        ),
    )
    Dossier.objects.filter(pk=received.pk).update(applicant_user=world.user("demo-citizen"))
    return Dossier.objects.get(pk=received.pk)


def _person(world, username: str, role: str, agency: str | None = None, **extra) -> User:
    return User.objects.create(
        username=username,
        full_name="Lê Văn Thử",
        role=role,
        agency=world.agency(agency) if agency else None,
        **extra,
    )


def _unsaved_staff_without_agency() -> User:
    """The database refuses such an account (agency_staff_have_agency); the rule must not lean
    on that alone."""
    return User(username="khong-co-quan", role=User.Role.SPECIALIST)


def _codes(user: User) -> set[str]:
    return set(dossiers_visible_to(user).values_list("code", flat=True))


# --- who sees -----------------------------------------------------------------------------


def test_the_applicant_sees_their_own_dossier_and_another_citizen_does_not(world, dossier):
    other = _person(world, "cong-dan-khac", User.Role.CITIZEN)
    assert _codes(world.user("demo-citizen")) == {dossier.code}
    assert _codes(other) == set()


def test_staff_see_only_what_their_agency_handles(world, dossier):
    lead = _person(world, "tp-chuyen-vien", User.Role.SPECIALIST, "SO-TP")
    outsider = _person(world, "yt-chuyen-vien", User.Role.SPECIALIST, "SO-YT")
    no_agency = _unsaved_staff_without_agency()
    assert _codes(lead) == {dossier.code}
    assert _codes(world.user("demo-desk")) == {dossier.code}
    assert _codes(outsider) == set()
    assert _codes(no_agency) == set()


def test_the_reform_office_administrators_and_superusers_see_everything(world, dossier):
    for user in (
        _person(world, "cai-cach", User.Role.REFORM_OFFICE),
        _person(world, "quan-tri", User.Role.ADMINISTRATOR),
        _person(world, "sieu-nguoi-dung", User.Role.CITIZEN, is_superuser=True),
    ):
        assert dossier.code in _codes(user), user.username


def test_a_dossier_one_may_not_see_is_not_found_with_its_code(world, dossier):
    outsider = _person(world, "yt-lanh-dao", User.Role.AGENCY_LEADER, "SO-YT")
    with pytest.raises(NotFound) as error:
        dossier_get_for_user(code=dossier.code, user=outsider)
    assert error.value.code == "dossier_not_found"
    assert error.value.message == f"Không tìm thấy hồ sơ {dossier.code}."
    assert error.value.message_en == f"No dossier {dossier.code}."
    seen = dossier_get_for_user(code=dossier.code, user=world.user("demo-desk"))
    assert seen.pk == dossier.pk


# --- who acts -----------------------------------------------------------------------------


def test_a_role_that_does_not_act_is_refused_in_both_languages(world, dossier):
    reform = _person(world, "cai-cach-2", User.Role.REFORM_OFFICE, "SO-NV")
    with pytest.raises(PermissionDenied) as error:
        require_staff_of(reform, dossier.current_agency_id)
    assert error.value.code == "forbidden_role"
    assert error.value.message == "Vai trò của bạn không được thực hiện thao tác này."
    assert error.value.message_en == "Your role may not do this."


def test_staff_of_another_agency_are_refused_in_both_languages(world, dossier):
    outsider = _person(world, "yt-chuyen-vien-2", User.Role.SPECIALIST, "SO-YT")
    with pytest.raises(PermissionDenied) as error:
        require_staff_of(outsider, dossier.current_agency_id)
    assert error.value.code == "not_your_agency"
    assert error.value.message == "Hồ sơ không do cơ quan của bạn xử lý ở bước này."
    assert error.value.message_en == "Your agency does not hold this dossier at this step."


def test_acting_staff_of_the_agency_administrators_and_superusers_may_act(world, dossier):
    here = dossier.current_agency_id
    for user in (
        world.user("demo-desk"),
        _person(world, "quan-tri-2", User.Role.ADMINISTRATOR),
        _person(world, "sieu-2", User.Role.CITIZEN, is_superuser=True),
    ):
        require_staff_of(user, here)  # no error


# --- who has the papers -------------------------------------------------------------------


def test_who_may_download_the_papers(world, dossier):
    allowed = {
        "applicant": world.user("demo-citizen"),
        "receiving desk": world.user("demo-desk"),
        "lead agency": _person(world, "tp-cv-3", User.Role.SPECIALIST, "SO-TP"),
        "administrator": _person(world, "quan-tri-3", User.Role.ADMINISTRATOR),
        "superuser": _person(world, "sieu-3", User.Role.REFORM_OFFICE, is_superuser=True),
    }
    refused = {
        "anonymous": AnonymousUser(),
        "reform office": _person(world, "cai-cach-3", User.Role.REFORM_OFFICE, "SO-NV"),
        "another citizen": _person(world, "cong-dan-3", User.Role.CITIZEN),
        "another agency": _person(world, "yt-cv-3", User.Role.SPECIALIST, "SO-YT"),
        "staff with no agency": _unsaved_staff_without_agency(),
        "citizen of the lead agency": _person(world, "cd-tp-3", User.Role.CITIZEN, "SO-TP"),
    }
    for who, user in allowed.items():
        assert may_download_documents(user, dossier), who
    for who, user in refused.items():
        # may_download_documents is annotated `User`, but views hand it request.user, which
        # may be the anonymous visitor: the refusal of that visitor is part of its contract.
        assert not may_download_documents(user, dossier), who  # type: ignore[arg-type]


def _document(dossier: Dossier | None, owner: User | None = None) -> Document:
    return Document.objects.create(
        dossier=dossier,
        owner=owner,
        kind=Document.Kind.SUBMITTED,
        title="Căn cước công dân",
        original_name="can-cuoc.pdf",
        file="documents/2026/12/can-cuoc.pdf",
        content_type="application/pdf",
        size=48_213,
        sha256="5e" * 32,
    )


def test_a_document_is_found_only_under_its_own_dossier(world, dossier):
    desk = world.user("demo-desk")
    paper = _document(dossier)
    assert document_get_for_download(user=desk, pk=paper.pk, code=dossier.code) == paper
    assert document_get_for_download(user=desk, pk=paper.pk) == paper
    with pytest.raises(NotFound) as error:
        document_get_for_download(user=desk, pk=paper.pk, code="H24.005.00-261203-9999")
    assert error.value.code == "document_not_found"


def test_documents_outside_a_dossier_belong_to_their_owner_or_an_administrator(world, dossier):
    citizen = world.user("demo-citizen")
    own = _document(None, owner=citizen)
    assert document_get_for_download(user=citizen, pk=own.pk) == own
    admin = _person(world, "quan-tri-4", User.Role.ADMINISTRATOR)
    assert document_get_for_download(user=admin, pk=own.pk) == own
    with pytest.raises(NotFound):
        document_get_for_download(user=world.user("demo-desk"), pk=own.pk)
    with pytest.raises(NotFound):
        document_get_for_download(user=citizen, pk=own.pk, code=dossier.code)


def test_a_document_of_a_dossier_seen_but_not_handled_is_forbidden(world, dossier):
    reform = _person(world, "cai-cach-5", User.Role.REFORM_OFFICE)
    outsider = _person(world, "yt-cv-5", User.Role.SPECIALIST, "SO-YT")
    paper = _document(dossier)
    with pytest.raises(PermissionDenied) as error:
        document_get_for_download(user=reform, pk=paper.pk)
    assert error.value.code == "documents_forbidden"
    with pytest.raises(NotFound):
        document_get_for_download(user=outsider, pk=paper.pk)


def test_a_dossier_taken_for_an_action_is_still_one_the_user_may_see(world, dossier):
    """The locked read an action starts with checks visibility first: an officer of an agency
    not part of the dossier gets the same 404 as on the page, and nothing is locked or read."""
    outsider = _person(world, "xd-motcua", User.Role.DESK_OFFICER, "SO-XD")
    # when / then
    with pytest.raises(NotFound):
        dossier_get_for_user(code=dossier.code, user=outsider, for_update=True)
    assert (
        dossier_get_for_user(code=dossier.code, user=world.user("demo-desk"), for_update=True).pk
        == dossier.pk
    )


def test_taking_part_in_another_dossier_opens_no_papers_of_this_one(world, dossier):
    """An officer whose agency handles other dossiers is no handler of this one."""
    # given: Sở Xây dựng handles a dossier of its own, not this one
    builder = _person(world, "xd-chuyenvien", User.Role.SPECIALIST, "SO-XD")
    other = dossier_receive(
        actor=world.user("demo-desk"),
        data=ReceiptData(
            procedure_code=PROCEDURE,
            channel="counter",
            applicant=ApplicantData(kind="person", name="Trần Văn Bình", id_number="031085004321"),
            lead_agency_code="SO-XD",
        ),
    )
    assert may_download_documents(builder, other)
    # when / then
    assert not may_download_documents(builder, dossier)
