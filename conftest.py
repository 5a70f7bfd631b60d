"""Shared fixtures: the named demo world (Hải Phòng, its catalog, one account per role)."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard would
# otherwise refuse every query made from a browser test.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db):
    """The demo world, loaded once per database and reloaded after a transactional test."""
    from motcua.catalog.models import Procedure
    from motcua.demo.catalog import load_catalog
    from motcua.demo.organisation import load_demo_accounts, load_organisation

    if not Procedure.objects.exists():
        load_organisation()
        load_catalog()
        load_demo_accounts()
    _reload_migration_data()
    return World()


def _reload_migration_data() -> None:
    """A transactional test flushes what data migrations loaded (methodologies, rating criteria,
    petition categories); put back what the next test expects."""
    from motcua.indices.methodology import methodologies_load
    from motcua.indices.models import Methodology

    if not Methodology.objects.exists():
        methodologies_load()


class World:
    """Named actors of the demo world, as in `example_user("hamlet")`."""

    def user(self, username: str):
        from motcua.org.models import User

        return User.objects.select_related("agency").get(username=username)

    def agency(self, code: str):
        from motcua.org.models import Agency

        return Agency.objects.get(code=code)

    def procedure(self, code: str):
        from motcua.catalog.models import Procedure

        return Procedure.objects.get(code=code)

    def token(self, username: str) -> str:
        from motcua.org.services import api_token_create

        return api_token_create(user=self.user(username), label="test")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Mutation workers (mutmut sets MUTANT_UNDER_TEST) are forked from one server whose
    settings name one test database: each worker takes its own, so two at once cannot drop
    each other's (docs/mutation.md)."""
    if "MUTANT_UNDER_TEST" in os.environ:
        from pytest_django.fixtures import _set_suffix_to_test_databases

        _set_suffix_to_test_databases(suffix=f"mutant{os.getpid()}")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo world into the test database once; each test then runs in a rollback."""
    from motcua.demo.catalog import load_catalog
    from motcua.demo.organisation import load_demo_accounts, load_organisation

    with django_db_blocker.unblock():
        load_organisation()
        load_catalog()
        load_demo_accounts()


@pytest.fixture
def api_client():
    from django.test import Client

    return Client()
