#!/usr/bin/env bash
# Install SLI Desk into ./.venv (or $SLIDESK_VENV) with what a bare Debian machine needs.
#   bash scripts/install.sh           # runtime only
#   bash scripts/install.sh test      # with the test tools
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
venv="${SLIDESK_VENV:-.venv}"

# Qt's xcb platform needs these on a desktop; the offscreen platform (tests) needs none.
need=()
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  for p in libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
           libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 fonts-dejavu-core; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi

python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
if [ "$extras" = test ]; then
  "$venv/bin/python" -m pip install -q -e ".[test]"
  # test.sh installs again only when the dependencies it was installed from have changed.
  sha256sum pyproject.toml > "$venv/.slidesk-test-extras"
else
  "$venv/bin/python" -m pip install -q -e .
fi
echo "SLI Desk installed in $venv"
