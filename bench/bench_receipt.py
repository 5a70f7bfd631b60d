"""A receipt through the API on SQLite with months of history: p99 against the baseline of a
dossier read through the same API stack, in the same process."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import report, setup_django, timings

MONTHS = int(sys.argv[1]) if len(sys.argv) > 1 else 3


def main() -> None:
    setup_django("receipt")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from motcua.dossiers.models import Dossier
    from motcua.org.models import User
    from motcua.org.services import api_token_create

    call_command("demo", verbosity=0)
    call_command("generate", months=MONTHS, seed=1)
    history = Dossier.objects.count()
    token = api_token_create(user=User.objects.get(username="demo-desk"))
    headers = {"Authorization": f"Bearer {token}"}
    client = Client(HTTP_HOST="127.0.0.1")
    body = {
        "procedure": "1.003179",
        "channel": "counter",
        "applicant": {
            "kind": "person",
            "name": "Nguyễn Thị Ngữ",
            "id_number": "031190012345",
            "address": "Số 12 Lạch Tray, Hải Phòng",
        },
    }
    code = client.post(
        "/api/v1/dossiers", body, content_type="application/json", headers=headers
    ).json()["code"]
    baseline = timings(lambda: client.get(f"/api/v1/dossiers/{code}", headers=headers), 300)
    samples = timings(
        lambda: client.post(
            "/api/v1/dossiers", body, content_type="application/json", headers=headers
        ),
        500,
    )
    print(f"database: {connection.vendor}; history: {history:,} dossiers over {MONTHS} months")
    report("receipt via API (POST /api/v1/dossiers)", samples, baseline, target_ms=100)


if __name__ == "__main__":
    main()
