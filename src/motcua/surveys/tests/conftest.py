"""Ratings fixtures: the criteria table (a transactional browser test elsewhere in the run may
have flushed what the migration loaded) and dossiers at the stages a rating needs."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ActionData, ApplicantData, ReceiptData, dossier_act
from motcua.dossiers.services import dossier_receive as receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PROCEDURE = "1.003179"  # Sở Tư pháp leads; received at the city's service centre (TTPVHCC)


def at(day: str, hhmm: str = "09:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=VN)


@pytest.fixture(autouse=True)
def criteria(db):
    from motcua.surveys.criteria import load_criteria

    load_criteria()


@pytest.fixture
def citizen(world):
    return world.user("demo-citizen")


@pytest.fixture
def make_dossier(world, citizen):
    """A dossier received at the desk for demo-citizen on `day`; `returned=True` walks it on
    to "result ready" and "returned" the same day."""

    def make(day: str = "2026-03-02", *, returned: bool = True, applicant_user=citizen) -> Dossier:
        desk = world.user("demo-desk")
        dossier = receive(
            actor=desk,
            data=ReceiptData(
                procedure_code=PROCEDURE,
                channel="counter",
                applicant=ApplicantData(
                    kind="person",
                    name="Vũ Đức Anh",
                    id_number="031190012345",
                    phone="0912345678",
                    email="citizen@example.vn",
                    address="Số 12 Lạch Tray, Ngô Quyền, Hải Phòng",
                ),
            ),
            at=at(day, "08:00"),
            applicant_user=applicant_user,
        )
        if returned:
            for hhmm, data in (
                ("10:00", ActionData(action="finish", result_kind="paper")),
                ("11:00", ActionData(action="return")),
            ):
                dossier = dossier_act(
                    actor=desk,
                    code=dossier.code,
                    data=data,
                    at=at(day, hhmm),
                )
        return Dossier.objects.select_related("receiving_agency", "lead_agency").get(pk=dossier.pk)

    return make
