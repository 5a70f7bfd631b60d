#!/usr/bin/env bash
# Benchmarks print p50/p99 and the ratio to a baseline measured in the same process.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
echo "== catalog search, SQLite"; $PY bench/bench_search.py
if [ -n "${MOTCUA_BENCH_PG:-}" ]; then
  echo "== catalog search, PostgreSQL ($MOTCUA_BENCH_PG)"
  MOTCUA_DATABASE_URL="$MOTCUA_BENCH_PG" $PY bench/bench_search.py
fi
echo "== receipt, SQLite"; $PY bench/bench_receipt.py "${BENCH_MONTHS:-3}"
echo "== pages and memory"; $PY bench/bench_pages.py
