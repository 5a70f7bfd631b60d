"""The required-documents rule, one function for the desk's receipt and the portal's online
application (`services.required_documents_missing` / `required_documents_check`)."""

from __future__ import annotations

import pytest

from motcua.common.errors import ApiError
from motcua.dossiers import services
from motcua.dossiers.models import Channel

pytestmark = pytest.mark.django_db

BIRTH = "1.001193"  # Đăng ký khai sinh: form, birth certificate, ID shown at the desk
FORM = "Tờ khai đăng ký khai sinh theo mẫu"
BIRTH_PROOF = "Giấy chứng sinh hoặc văn bản của người làm chứng xác nhận về việc sinh"
ID_SHOWN = "Giấy tờ tùy thân của người đi đăng ký (hộ chiếu, căn cước)"


def test_the_desk_needs_every_required_paper_including_the_id_shown(world):
    # given the birth registration, with the form and the birth certificate only
    procedure = world.procedure(BIRTH)
    # when
    missing = services.required_documents_missing(
        procedure, [FORM.upper(), BIRTH_PROOF], channel=Channel.COUNTER
    )
    # then the ID card still has to be shown; names compare without case
    assert missing == [ID_SHOWN]


def test_online_the_account_proves_the_id_but_not_the_other_papers(world):
    # given the same procedure, applied for online with the form alone
    procedure = world.procedure(BIRTH)
    # when
    missing = services.required_documents_missing(procedure, [FORM], channel=Channel.ONLINE)
    # then only the birth certificate is missing; the optional authorisation never is
    assert missing == [BIRTH_PROOF]
    assert (
        services.required_documents_missing(procedure, [FORM, BIRTH_PROOF], channel=Channel.ONLINE)
        == []
    )


def test_the_check_names_each_missing_paper_and_tells_the_desk_to_ask_for_a_supplement(world):
    procedure = world.procedure(BIRTH)
    # when / then at the desk
    with pytest.raises(ApiError) as desk:
        services.required_documents_check(procedure, [FORM], channel=Channel.COUNTER)
    assert desk.value.code == "documents_missing"
    assert [e["message"] for e in desk.value.errors] == [BIRTH_PROOF, ID_SHOWN]
    assert "Hãy yêu cầu bổ sung" in desk.value.message
    # when / then online: the same rule, no advice meant for the desk
    with pytest.raises(ApiError) as online:
        services.required_documents_check(procedure, [FORM], channel=Channel.ONLINE)
    assert [e["message"] for e in online.value.errors] == [BIRTH_PROOF]
    assert "bổ sung" not in online.value.message
