#!/usr/bin/env bash
# Idempotently install devpi-server (pinned, test/requirements-devpi.txt) into a virtualenv of its own
# at .tools/devpi: __tests__/e2e/indexes.test.ts uploads to it as to any third-party index. Its own
# environment, because its libraries (packaging among them) are newer than the ones the .venv pins
# for the PyPI stand-in. Prints exactly one line.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
reqs=test/requirements-devpi.txt
venv=.tools/devpi
want="$(sha256sum < "$reqs" | cut -c1-16)"
if [ -x "$venv/bin/devpi-server" ] && [ "$(cat "$venv/.reqs-stamp" 2>/dev/null)" = "$want" ]; then
  echo "setup-devpi: devpi-server already at $venv"
  exit 0
fi
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$reqs"
echo "$want" > "$venv/.reqs-stamp"
echo "setup-devpi: devpi-server $("$venv/bin/devpi-server" --version) at $venv"
