"""Catalog search on 10,000 procedures: p99 of the API search against a primary-key lookup
through the same API stack (the baseline, measured in the same process)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import report, setup_django, timings

QUERIES = [
    "dang ky khai sinh",
    "cấp giấy phép xây dựng",
    "ho kinh doanh",
    "đất đai",
    "chung thuc ban sao",
    "ket hon",
    "tro cap xa hoi",
    "nuoi con nuoi",
    "cu tru",
    "giay phep lai xe",
    "dang ky bien dong",
    "khai tu",
    "1.001193",
    "bao tro",
    "dang",
]


def grow_catalog(target: int) -> None:
    """Real procedures, repeated with the names of communes and variants, up to `target`."""
    from tqdm import tqdm

    from motcua.catalog.models import Procedure
    from motcua.demo.catalog import load_catalog
    from motcua.demo.organisation import load_organisation
    from motcua.org.models import Unit

    load_organisation()
    load_catalog()
    base = list(Procedure.objects.select_related("field"))
    places = list(Unit.objects.exclude(kind="province").values_list("name", flat=True))
    rng = random.Random(7)
    new = []
    for i in tqdm(range(target - len(base)), desc="catalog", unit="procedure"):
        source = base[i % len(base)]
        p = Procedure(
            code=f"B.{i:06d}",
            name=f"{source.name} tại {rng.choice(places)}",
            field=source.field,
            levels=source.levels,
            processing_days=source.processing_days,
            online_level=source.online_level,
        )
        p.refresh_search_text()
        new.append(p)
    Procedure.objects.bulk_create(new, batch_size=2000)
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would after a bulk load
        cursor.execute("ANALYZE")


def main() -> None:
    setup_django("search")
    from django.db import connection
    from django.test import Client

    grow_catalog(10_000)
    client = Client(HTTP_HOST="127.0.0.1")
    rng = random.Random(1)
    for q in QUERIES:  # warm caches
        client.get("/api/v1/procedures", {"q": q})
    baseline = timings(lambda: client.get("/api/v1/procedures/1.001193"), 500)
    samples = timings(lambda: client.get("/api/v1/procedures", {"q": rng.choice(QUERIES)}), 1000)
    first = client.get("/api/v1/procedures", {"q": "dang ky khai sinh"}).json()["items"][0]
    print(
        f"database: {connection.vendor}; catalog: 10,000 procedures; first hit for "
        f"'dang ky khai sinh': {first['name']}"
    )
    report("catalog search via API", samples, baseline, target_ms=20)


if __name__ == "__main__":
    main()
