#!/usr/bin/env bash
# The whole suite: lint, then pytest on SQLite, then on a throwaway PostgreSQL cluster.
# Installs the system packages it needs (Chromium, poppler, PostgreSQL) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV_BIN="$PWD/.venv/bin"
export MOTCUA_DEMO=0
# The checkout's .env (written by `make run`) is for the demo, never for the suite.
export MOTCUA_ENV_FILE=

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || need_apt+=(nginx-light)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
fc-list 2>/dev/null | grep -qi dejavu || need_apt+=(fonts-dejavu-core)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing system packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

echo "== lint"
"$VENV_BIN/ruff" check src bench scripts tests
"$VENV_BIN/ruff" format --check src bench scripts tests
"$VENV_BIN/lint-imports" --no-cache >/dev/null || { "$VENV_BIN/lint-imports" --no-cache; exit 1; }
MOTCUA_SECRET_KEY=lint "$VENV_BIN/motcua" makemigrations --check --dry-run >/dev/null \
  || { echo "models and migrations disagree: run motcua makemigrations"; exit 1; }

echo "== tests on SQLite"
unset MOTCUA_DATABASE_URL
"$VENV_BIN/python" -m pytest "$@"

echo "== tests on PostgreSQL"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
PG_DIR="$(mktemp -d /tmp/motcua-pg.XXXXXX)"
PG_PORT="$("$VENV_BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$PG_DIR"
  as_pg=(runuser -u postgres --)
fi
stop_pg() {
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap stop_pg EXIT
"${as_pg[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w start \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
export MOTCUA_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/motcua"
"$VENV_BIN/python" -m pytest "$@"
