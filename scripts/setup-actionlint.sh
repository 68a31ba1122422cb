#!/usr/bin/env bash
# Idempotently build rhysd/actionlint into .tools/bin/actionlint from the Go module proxy, with every
# Go cache under .tools/go (as scripts/setup-act.sh does for act). __tests__/unit/workflows.test.ts
# runs it over .github/workflows/ and the action's own metadata. Prints exactly one line.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

version="${ACTIONLINT_VERSION:-v1.7.12}"
bin="$root/.tools/bin/actionlint"
stamp="$root/.tools/bin/.actionlint-version"

if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
  echo "setup-actionlint: actionlint $version already at .tools/bin/actionlint"
  exit 0
fi

go_bin="${GO:-}"
if [ -z "$go_bin" ]; then
  if command -v go >/dev/null; then go_bin="$(command -v go)"
  elif [ -x /usr/local/go/bin/go ]; then go_bin=/usr/local/go/bin/go
  else echo "setup-actionlint: no Go toolchain found (set GO=/path/to/go)" >&2; exit 1
  fi
fi

mkdir -p .tools/bin .tools/go
start=$(date +%s)
log="$root/.tools/go/actionlint-build.log"
if ! env GOPATH="$root/.tools/go" GOMODCACHE="$root/.tools/go/pkg/mod" \
     GOCACHE="$root/.tools/go/cache" GOBIN="$root/.tools/bin" GOFLAGS=-mod=mod \
     GOTOOLCHAIN=local CGO_ENABLED=0 \
     "$go_bin" install "github.com/rhysd/actionlint/cmd/actionlint@$version" >"$log" 2>&1; then
  echo "setup-actionlint: building actionlint $version failed; see $log" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
# The module cache is read-only by default; make it removable by a plain rm -rf.
chmod -R u+w "$root/.tools/go/pkg/mod" 2>/dev/null || true
echo "$version" > "$stamp"
echo "setup-actionlint: built actionlint $version into .tools/bin/actionlint in $(( $(date +%s) - start ))s"
