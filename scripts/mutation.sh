#!/usr/bin/env bash
# Mutation testing of the rule modules with mutmut 3 (configuration: [tool.mutmut] in
# pyproject.toml). Not part of `make test`: it takes minutes per module.
#   bash scripts/mutation.sh                 # the four rule modules, one after the other
#   bash scripts/mutation.sh workdays.calendar dossiers.access
# Results stay in mutants/ (git-ignored); `.venv/bin/mutmut results` lists the survivors and
# `.venv/bin/mutmut show NAME` shows one. docs/mutation.md records the last rates.
set -euo pipefail
cd "$(dirname "$0")/.."
export MOTCUA_ENV_FILE= MOTCUA_DEMO=0
CHILDREN="${MUTMUT_CHILDREN:-2}"  # the machine's cores are shared
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
  modules=(workdays.calendar dossiers.access indices.engine dossiers.services.actions)
fi
for module in "${modules[@]}"; do
  echo "== motcua.${module}"
  children="$CHILDREN"
  # Workers share the fork server's MOTCUA_VAR_DIR, so two at once clobber each other's SQLite
  # test database and mutants of database-backed modules are "killed" by the crash.
  case "$module" in dossiers.*) children=1 ;; esac
  .venv/bin/mutmut run --max-children "$children" "motcua.${module}.*" | tail -n 3
done
.venv/bin/python scripts/mutation_summary.py "${modules[@]}"
