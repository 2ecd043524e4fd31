#!/usr/bin/env bash
# Run the whole test suite: lint, import rules, core types, then pytest (a throwaway PostgreSQL too,
# when its server binaries are installed). Exit code 5 (no tests ran) counts as a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${SLIDESK_VENV:-.venv}"
[ -x "$venv/bin/python" ] || bash scripts/install.sh test
export PATH="$PWD/$venv/bin:$PATH"
export QT_QPA_PLATFORM=offscreen

ruff check .
lint-imports
mypy  # --strict on the core (pyproject [tool.mypy])

PGBIN=/usr/lib/postgresql/15/bin
if [ -z "${TEST_PG_URL:-}" ] && [ -x "$PGBIN/initdb" ] && [ "$(id -u)" = 0 ]; then
  PGDATA=$(mktemp -d /tmp/slidesk-pg.XXXXXX)
  chown postgres:postgres "$PGDATA"
  su postgres -s /bin/sh -c "$PGBIN/initdb -D $PGDATA -A trust -U postgres --no-sync -E UTF8 >/dev/null"
  su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $PGDATA -o '-p 54329 -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=off' -l $PGDATA/log -w start >/dev/null"
  trap 'su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $PGDATA -m fast -w stop" >/dev/null 2>&1; rm -rf "$PGDATA"' EXIT
  su postgres -s /bin/sh -c "$PGBIN/createdb -h 127.0.0.1 -p 54329 -U postgres slidesk_test"
  export TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:54329/slidesk_test"
fi

set +e
python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"
