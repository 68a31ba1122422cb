#!/usr/bin/env bash
# `npm run setup`: one idempotent set-up for a fresh machine: Node 24 (from the npm registry, because the machine
# may ship an older Node), the npm packages, and a project-local Python virtualenv holding the
# PyPI stand-in and the reference tools that judge our output (pypi-attestations, sigstore-python,
# twine, uv, pypiserver). Every step is skipped when already done, so demo and test call it freely.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# 1. Node 24
if [ "$(node_major "$root/.tools/node/bin/node")" != "24" ]; then
  if command -v node >/dev/null && [ "$(node_major node)" = "24" ]; then
    mkdir -p .tools/node/bin && ln -sf "$(command -v node)" .tools/node/bin/node
  else
    echo "setup: installing Node 24 into .tools/"
    rm -rf .tools/node-pkg && mkdir -p .tools/node-pkg .tools/node/bin
    npm install --silent --no-save --no-package-lock --prefix .tools/node-pkg node@24 >/dev/null
    ln -sf "$root/.tools/node-pkg/node_modules/node/bin/node" .tools/node/bin/node
  fi
fi
export PATH="$root/.tools/node/bin:$PATH"

# 2. npm packages (lock file is the truth)
stamp=node_modules/.setup-stamp
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: npm ci"
  npm ci --silent --no-audit --no-fund
  touch "$stamp"
fi

# 3. Python virtualenv with pinned packages
# .venv runs CPython 3.14, as PyPI does (scripts/setup-python.sh); one made with another Python is made anew.
reqs=(test/world/pypi/requirements.txt test/requirements-tools.txt)
python314="$(bash scripts/setup-python.sh)"
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 14))' 2>/dev/null; then
  echo "setup: creating .venv (CPython 3.14)"
  rm -rf .venv
  "$python314" -m venv --without-pip .venv
  wheel="$(ls "$root"/.tools/python3.14/usr/share/python-wheels/pip-*.whl)"
  .venv/bin/python "$wheel/pip" install --quiet "$wheel"
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
# Debian's Python.h includes its multiarch pyconfig.h by a path under the unpacked include directory.
export CFLAGS="-I$root/.tools/python3.14/usr/include ${CFLAGS:-}"
want="$(cat "${reqs[@]}" | sha256sum | cut -c1-16)"
if [ "$(cat .venv/.reqs-stamp 2>/dev/null)" != "$want" ]; then
  echo "setup: pip install (pinned requirements)"
  for r in "${reqs[@]}"; do .venv/bin/python -m pip install --quiet -r "$r"; done
  echo "$want" > .venv/.reqs-stamp
fi
# warehouse's own pins of the libraries that decide PyPI's verdicts, apart from the .venv's newer
# copies; the stand-in puts them first on its path (test/world/pypi/requirements-warehouse.txt)
pins=test/world/pypi/requirements-warehouse.txt
if [ "$(cat .venv/warehouse-pins/.stamp 2>/dev/null)" != "$(sha256sum < "$pins")" ]; then
  echo "setup: warehouse's pins into .venv/warehouse-pins"
  rm -rf .venv/warehouse-pins
  .venv/bin/python -m pip install --quiet --no-deps --target .venv/warehouse-pins -r "$pins"
  sha256sum < "$pins" > .venv/warehouse-pins/.stamp
fi
# pypi-attestations' and sigstore-python's newest releases, apart from warehouse's pins:
# test/world/check_provenance.py puts them first on its path (test/requirements-attestations-latest.txt)
latest=test/requirements-attestations-latest.txt
if [ "$(cat .venv/pypi-attestations-latest/.stamp 2>/dev/null)" != "$(sha256sum < "$latest")" ]; then
  echo "setup: pypi-attestations' and sigstore-python's newest releases into .venv/pypi-attestations-latest"
  rm -rf .venv/pypi-attestations-latest
  .venv/bin/python -m pip install --quiet --no-deps --target .venv/pypi-attestations-latest -r "$latest"
  sha256sum < "$latest" > .venv/pypi-attestations-latest/.stamp
fi
# nektos/act (for the host-mode workflow suite) is built by `npm test` (scripts/test.sh), not here:
# the demo and the README's rehearsal do not use it, and building it takes minutes.
