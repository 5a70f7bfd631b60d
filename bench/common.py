"""Shared helpers for benchmarks: a scratch database, percentiles, and a ratio report."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable


def setup_django(scratch: str) -> None:
    os.environ.setdefault("MOTCUA_SECRET_KEY", "bench")
    os.environ.setdefault("MOTCUA_DEMO", "1")
    os.environ.setdefault("MOTCUA_VAR_DIR", tempfile.mkdtemp(prefix=f"motcua-bench-{scratch}-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timings(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def report(name: str, samples: list[float], baseline: list[float], target_ms: float) -> None:
    p50, p99 = percentile(samples, 50), percentile(samples, 99)
    b99 = percentile(baseline, 99)
    verdict = "OK" if p99 < target_ms else "OVER TARGET"
    print(
        f"{name}: p50 {p50:.2f} ms, p99 {p99:.2f} ms, mean {statistics.mean(samples):.2f} ms "
        f"| baseline p99 {b99:.2f} ms | ratio p99/baseline {p99 / b99:.1f}x "
        f"| target p99 < {target_ms:.0f} ms: {verdict}"
    )
