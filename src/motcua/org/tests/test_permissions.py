"""The role × capability table, cell by cell: a right added to or taken from a role shows here."""

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.org.models import User
from motcua.org.permissions import Capability, can, capabilities

Role = User.Role
C = Capability

EXPECTED = {
    Role.CITIZEN: {C.APPLY_ONLINE},
    Role.DESK_OFFICER: {C.ACT_ON_DOSSIERS, C.ANSWER_PETITIONS, C.SEE_OWN_DASHBOARD},
    Role.SPECIALIST: {C.ACT_ON_DOSSIERS, C.ANSWER_PETITIONS, C.SELF_ASSESS, C.SEE_OWN_DASHBOARD},
    Role.AGENCY_LEADER: {
        C.ACT_ON_DOSSIERS,
        C.ANSWER_PETITIONS,
        C.SELF_ASSESS,
        C.SEE_OWN_DASHBOARD,
    },
    Role.REFORM_OFFICE: {C.SEE_EVERY_AGENCY, C.APPRAISE_INDICES},
    Role.CITY_LEADER: {C.SEE_EVERY_AGENCY},
    Role.ADMINISTRATOR: {
        C.SEE_EVERY_AGENCY,
        C.ACT_ON_DOSSIERS,
        C.ACT_IN_ANY_AGENCY,
        C.MANAGE_CATALOG,
    },
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("capability", list(Capability))
def test_each_role_has_exactly_its_rights(role, capability):
    user = User(username=f"u-{role}", role=role)

    assert can(user, capability) is (capability in EXPECTED[role])


def test_a_superuser_has_the_administrators_rights_whatever_its_role():
    user = User(username="root", role=Role.CITIZEN, is_superuser=True)

    assert capabilities(user) == frozenset(EXPECTED[Role.ADMINISTRATOR] | {C.APPLY_ONLINE})


def test_nobody_logged_out_may_do_anything():
    assert capabilities(AnonymousUser()) == frozenset()  # type: ignore[arg-type]
