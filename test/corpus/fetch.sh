#!/usr/bin/env bash
# Download the real-dist corpus listed in list.txt into test/corpus/.cache (idempotent).
# Used by __tests__/dists/corpus.test.ts; CI calls this before the tests.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
pip="${PIP:-$repo/.venv/bin/pip}"
cache="$here/.cache"
mkdir -p "$cache"
# Done before for this very list: nothing to ask the index again.
if cmp -s "$here/list.txt" "$cache/.fetched-list"; then
  ls -1 "$cache"
  exit 0
fi
while read -r kind req platform _rest; do
  [[ -z "${kind:-}" || "$kind" == \#* ]] && continue
  name="${req%%==*}"
  if [[ "$kind" == sdist ]]; then
    "$pip" download --quiet --no-deps --no-binary=:all: --no-build-isolation -d "$cache" "$req" 2>/dev/null \
      || "$pip" download --quiet --no-deps --no-binary=:all: -d "$cache" "$req"
  elif [[ "$platform" == - ]]; then
    "$pip" download --quiet --no-deps --only-binary=:all: -d "$cache" "$req"
  else
    "$pip" download --quiet --no-deps --only-binary=:all: --platform "$platform" \
      --python-version 3.12 --implementation cp --abi cp312 -d "$cache" "$req"
  fi
  echo "ok $kind $req $platform"
done < "$here/list.txt"
cp "$here/list.txt" "$cache/.fetched-list"
ls -1 "$cache"
