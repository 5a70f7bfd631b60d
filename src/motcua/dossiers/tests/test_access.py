"""Who may act on a dossier at a step: the staff of the agency that holds it there."""

from __future__ import annotations

from motcua.dossiers.access import may_act
from motcua.dossiers.models import Dossier
from motcua.org.models import User


def _specialist(agency_id: int | None) -> User:
    return User(
        username="chuyenvien.binh",
        full_name="Trần Văn Bình",
        role=User.Role.SPECIALIST,
        agency_id=agency_id,
    )


def test_an_officer_placed_in_no_agency_may_not_act_where_no_agency_holds_the_dossier():
    # given a specialist account not yet placed in an agency, and a dossier no agency holds now
    officer = _specialist(agency_id=None)
    # The column is NOT NULL: an unsaved dossier stands for one between two holders.
    dossier = Dossier(
        code="000.00.31.H31-260103-0001",
        receiving_agency_id=7,
        current_agency_id=None,  # type: ignore[misc]
    )
    # when the officer would forward it
    allowed = may_act(officer, dossier, "forward")
    # then an unset agency is no one's: None does not match None
    assert allowed is False


def test_the_specialist_of_the_agency_holding_the_dossier_may_forward_it():
    # given the same dossier held by the specialist's own agency
    officer = _specialist(agency_id=7)
    dossier = Dossier(code="000.00.31.H31-260103-0001", receiving_agency_id=3, current_agency_id=7)
    # when / then
    assert may_act(officer, dossier, "forward") is True
