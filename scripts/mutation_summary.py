"""Per-module mutation counts from mutmut's results (`mutmut results --all true`)."""

import collections
import subprocess
import sys

modules = sys.argv[1:]
out = subprocess.run(
    [".venv/bin/mutmut", "results", "--all", "true"],
    capture_output=True,
    text=True,
    check=True,
).stdout
counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
for line in out.splitlines():
    name, _, status = line.strip().rpartition(": ")
    for module in modules:
        if name.startswith(f"motcua.{module}.") and "__mutmut_" in name:
            counts[module][status] += 1
print(
    f"{'module':28} {'mutants':>8} {'killed':>7} {'survived':>9} {'timeout':>8} "
    f"{'no tests':>9} {'not run':>8}"
)
for module in modules:
    c = counts[module]
    total = sum(c.values())
    tested = c["killed"] + c["survived"] + c["timeout"]
    rate = f"{100 * c['survived'] / tested:.1f} %" if tested else "-"
    print(
        f"{module:28} {total:8} {c['killed']:7} {c['survived']:9} {c['timeout']:8} "
        f"{c['no tests']:9} {c['not checked']:8}   survival {rate}"
    )
