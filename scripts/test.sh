#!/usr/bin/env bash
# Run the whole test suite: lint, import rules, core types, then pytest (a throwaway PostgreSQL too,
# when its server binaries are installed). Exit code 5 (no tests ran) counts as a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${SLIDESK_VENV:-.venv}"

# The test tools: installed when the venv lacks them (`install.sh` without `test` makes such a
# venv) or when pyproject.toml changed since they were installed; otherwise nothing is installed.
test_tools_ready() {
  [ -x "$venv/bin/python" ] || return 1
  [ "$(cat "$venv/.slidesk-test-extras" 2>/dev/null)" = "$(sha256sum pyproject.toml)" ] || return 1
  for tool in ruff lint-imports mypy; do
    [ -x "$venv/bin/$tool" ] || return 1
  done
  "$venv/bin/python" -c "import pytest, pytestqt, hypothesis" 2>/dev/null
}
if ! test_tools_ready; then
  echo "Installing the test tools into $venv" >&2
  bash scripts/install.sh test
fi
export PATH="$PWD/$venv/bin:$PATH"
export QT_QPA_PLATFORM=offscreen

ruff check .
lint-imports
mypy  # --strict on the core and the GUI (pyproject [tool.mypy]: packages slidesk and ui)

PGBIN=/usr/lib/postgresql/15/bin
if [ -z "${TEST_PG_URL:-}" ] && [ -x "$PGBIN/initdb" ] && [ "$(id -u)" = 0 ]; then
  PGDATA=$(mktemp -d /tmp/slidesk-pg.XXXXXX)
  trap 'su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $PGDATA -m fast -w stop" >/dev/null 2>&1; rm -rf "$PGDATA"' EXIT
  chown postgres:postgres "$PGDATA"
  su postgres -s /bin/sh -c "$PGBIN/initdb -D $PGDATA -A trust -U postgres --no-sync -E UTF8 >/dev/null"
  # A free port of its own, so that runs at the same time never meet; another program may take
  # it between the look and the start, so a refused start tries another.
  for attempt in 1 2 3 4 5; do
    PGPORT=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $PGDATA -o '-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=off' -l $PGDATA/log -w start >/dev/null"; then
      break
    fi
    if [ "$attempt" = 5 ]; then
      echo "The test PostgreSQL did not start:" >&2
      tail -n 5 "$PGDATA/log" >&2
      exit 1
    fi
  done
  su postgres -s /bin/sh -c "$PGBIN/createdb -h 127.0.0.1 -p $PGPORT -U postgres slidesk_test"
  export TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/slidesk_test"
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
