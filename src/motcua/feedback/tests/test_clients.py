"""Open311 keys: issued by an administrator (CLI or admin), stored only as a hash, replaced
when reissued."""

from __future__ import annotations

import io
import re

from django.core.management import call_command
from django.test import Client

from motcua.audit.models import Event
from motcua.feedback.models import ApiClient

from .conftest import logged_in, open311_post


def issue(name: str) -> str:
    out = io.StringIO()
    call_command("open311_key", name, "--by", "admin", stdout=out)
    return out.getvalue().strip()


def test_cli_prints_a_key_that_works(world):
    # when
    key = issue("Ứng dụng Hải Phòng Smart")
    # then
    assert re.fullmatch(r"o311_[\w-]{40,}", key)
    client_row = ApiClient.objects.get(name="Ứng dụng Hải Phòng Smart")
    assert key not in (client_row.key_hash, client_row.prefix)
    assert client_row.created_by is not None and client_row.created_by.username == "admin"
    response = open311_post(Client(), key)
    assert response.status_code == 201
    assert ApiClient.objects.get(pk=client_row.pk).last_used_at is not None


def test_reissuing_replaces_the_old_key(world):
    old = issue("city-app")
    new = issue("city-app")
    assert old != new
    assert open311_post(Client(), old).status_code == 403
    assert open311_post(Client(), new).status_code == 201
    assert ApiClient.objects.filter(name="city-app").count() == 1
    assert Event.objects.filter(subject_type="open311_client", action="issue_key").exists()


def test_the_motcua_command_accepts_the_hyphenated_name(world, monkeypatch):
    """`motcua open311-key NAME` reaches this command (run_from_argv would close the test
    database's connection, so the command is called in-process with the mapped arguments)."""
    import django.core.management

    from motcua.cli import main

    seen: list[list[str]] = []
    monkeypatch.setattr(django.core.management, "execute_from_command_line", seen.append)
    main(["open311-key", "hyphen-app"])
    assert seen == [["motcua", "open311_key", "hyphen-app"]]
    key = issue(seen[0][2])
    assert open311_post(Client(), key).status_code == 201


def test_admin_adds_a_client_and_sees_its_key_once(world):
    admin = logged_in(world.user("admin"))
    response = admin.post(
        "/admin/feedback/apiclient/add/",
        {"name": "from-admin", "contact": "dev@example.vn", "active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    found = re.search(r"o311_[\w-]+", response.content.decode())
    assert found is not None
    key = found.group(0)
    assert open311_post(Client(), key).status_code == 201
    # the action issues a new one
    row = ApiClient.objects.get(name="from-admin")
    response = admin.post(
        "/admin/feedback/apiclient/",
        {"action": "issue_key", "_selected_action": [row.pk]},
        follow=True,
    )
    found = re.search(r"o311_[\w-]+", response.content.decode())
    assert found is not None
    new_key = found.group(0)
    assert new_key != key
    assert open311_post(Client(), key).status_code == 403


def test_open311_post_needs_no_csrf_token_only_the_key(world, api_key):
    strict = Client(enforce_csrf_checks=True)
    assert open311_post(strict, api_key).status_code == 201
    assert open311_post(strict, None).status_code == 403
