"""Demo mode never runs in production: settings.production refuses MOTCUA_DEMO=1, and the demo
loader commands (demo, indices-demo, feedback-demo) refuse to run under it."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.core.management import CommandError, call_command

from motcua.demo.guard import ERR_DEMO_IN_PRODUCTION
from motcua.settings.env import ERR_DEMO_IN_PRODUCTION as ERR_SETTINGS

from .conftest import MOTCUA, clean_env, test_database_env


def production_env(tmp_path, **extra: str) -> dict[str, str]:
    return clean_env(
        DJANGO_SETTINGS_MODULE="motcua.settings.production",
        MOTCUA_SECRET_KEY="production-test-" + "x" * 40,
        MOTCUA_ALLOWED_HOSTS="dichvucong.haiphong.gov.vn",
        MOTCUA_VAR_DIR=str(tmp_path),
        **extra,
    )


def test_production_refuses_to_start_in_demo_mode(tmp_path):
    env = production_env(
        tmp_path, MOTCUA_DEMO="1", MOTCUA_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )

    result = subprocess.run(
        [str(MOTCUA), "check"], env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 2
    assert result.stderr == f"motcua: {ERR_SETTINGS}\n"


@pytest.mark.django_db(transaction=True)
def test_motcua_demo_creates_no_account_under_production(world, tmp_path, django_user_model):
    # given: a production database without the demo accounts
    django_user_model.objects.filter(is_demo=True).delete()

    # when
    result = subprocess.run(
        [str(MOTCUA), "demo"],
        env=production_env(tmp_path, **test_database_env()),
        capture_output=True,
        text=True,
        timeout=120,
    )

    # then
    assert result.returncode != 0
    assert ERR_DEMO_IN_PRODUCTION in result.stderr
    assert not django_user_model.objects.filter(is_demo=True).exists()


@pytest.mark.parametrize("command", ["demo", "indices_demo", "feedback_demo"])
def test_every_demo_loader_refuses_under_production(command, settings, db):
    settings.MOTCUA_PRODUCTION = True

    with pytest.raises(CommandError) as raised:
        call_command(command, stdout=io.StringIO())

    assert str(raised.value) == ERR_DEMO_IN_PRODUCTION
