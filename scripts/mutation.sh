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
  # Each worker takes its own test database (conftest.py, django_db_modify_db_settings), so
  # database-backed modules run two at once too.
  .venv/bin/mutmut run --max-children "$CHILDREN" "motcua.${module}.*" | tail -n 3
done
.venv/bin/python scripts/mutation_summary.py "${modules[@]}"
