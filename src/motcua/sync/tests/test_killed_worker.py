"""The done-when of the national portal's sync: a worker killed in the middle of a batch, then
started again, leaves the portal holding every change exactly once and nothing lost.

Real processes: the stand-in portal and the worker are `motcua` commands run as subprocesses
against this test's database; the portal answers slowly so the kill lands mid-batch."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from motcua.sync.models import OutboxMessage
from motcua.sync.receiver import ReceiverStore
from motcua.sync.selectors import synchronised_counts

from .helpers import SECRET, at, dossier_forwarded, dossier_received

LEASE_SECONDS = 2
DOSSIERS = 12


def database_env() -> dict[str, str]:
    """The environment that points a `motcua` subprocess at this test's database."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"MOTCUA_SQLITE_PATH": str(db["NAME"]), "MOTCUA_DATABASE_URL": ""}
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return {"MOTCUA_DATABASE_URL": f"postgres://{credentials}@{host}/{db['NAME']}"}


def motcua(*args: str, env: dict[str, str]) -> subprocess.Popen:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.settings.test", **env}
    if not environment.get("MOTCUA_DATABASE_URL"):
        environment.pop("MOTCUA_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "motcua", *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until(condition: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.02)


def start_receiver(store: Path) -> tuple[subprocess.Popen, str]:
    receiver = motcua(
        "national-portal-receiver",
        "--port",
        "0",
        "--store",
        str(store),
        "--delay-ms",
        "150",
        env={"MOTCUA_NATIONAL_PORTAL_SECRET": SECRET},
    )
    assert receiver.stdout is not None
    line = receiver.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert found, f"the receiver did not start: {line!r}"
    return receiver, f"http://127.0.0.1:{found.group(1)}/dong-bo"


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.kill()
        process.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_loses_nothing_and_the_portal_holds_each_change_once(world, tmp_path):
    # given: twelve dossiers received and handed to Sở Tư pháp, 24 changes queued
    dossiers = [
        dossier_received(world, n=i, when=at("2026-03-02", f"08:{i:02d}")) for i in range(DOSSIERS)
    ]
    for dossier in dossiers:
        dossier_forwarded(world, dossier, when=at("2026-03-02", "10:00"))
    queued = set(OutboxMessage.objects.values_list("event_id", flat=True))
    assert len(queued) == 2 * DOSSIERS
    store = ReceiverStore(tmp_path / "cong-dvcqg.sqlite3")
    receiver = worker = None
    try:
        receiver, url = start_receiver(store.path)
        worker_env = {
            **database_env(),
            "MOTCUA_NATIONAL_PORTAL_URL": url,
            "MOTCUA_NATIONAL_PORTAL_SECRET": SECRET,
            "MOTCUA_NATIONAL_PORTAL_LEASE_SECONDS": str(LEASE_SECONDS),
        }
        worker_args = ("sync-worker", "--batch", "4", "--idle", "0.2")
        worker = motcua(*worker_args, env=worker_env)
        # when: the worker is killed (no chance to clean up) in the middle of its second batch
        wait_until(lambda: len(store.all()) >= 6, seconds=120, what="six deliveries")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        held_at_kill = len(store.all())
        claimed_unanswered = OutboxMessage.objects.filter(
            acknowledged_at__isnull=True,
            attempts=0,
            next_attempt_at__gt=F("created_at") + dt.timedelta(seconds=1),
        ).count()
        # when: a worker is started again and runs until the portal has acknowledged all
        worker = motcua(*worker_args, env=worker_env)
        wait_until(
            lambda: not OutboxMessage.objects.filter(acknowledged_at__isnull=True).exists(),
            seconds=180,
            what="every change acknowledged",
        )
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        assert worker.stdout is not None
        output = worker.stdout.read()
    finally:
        stop(worker)
        stop(receiver)
    # then: the kill came mid-batch (claimed rows the dead worker never answered)
    assert held_at_kill < 2 * DOSSIERS
    assert claimed_unanswered > 0
    # then: the restarted worker stopped cleanly on SIGTERM and said what it left
    assert worker.returncode == 0, output
    assert "24 acknowledged, 0 waiting" in output
    # then: the portal holds every queued change, each once, however often it was sent
    held = store.all()
    assert len(held) == 2 * DOSSIERS
    assert {uuid.UUID(item.event_id) for item in held} == queued
    assert sum(item.deliveries for item in held) >= len(held)
    # then: each dossier's changes arrived in order, receive before forward
    arrival: dict[str, list[str]] = {item.payload["MaHoSo"]: [] for item in held}
    for item in held:
        arrival[item.payload["MaHoSo"]].append(item.payload["action"])
    assert all(actions == ["receive", "forward"] for actions in arrival.values())
    # then: the synchronised count is the portal's acknowledgements, once each
    today = timezone.localdate()
    counts = synchronised_counts(start=today - dt.timedelta(days=1), end=today + dt.timedelta(1))
    assert sum(row.acknowledged for row in counts) == 2 * DOSSIERS
