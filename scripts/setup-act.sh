#!/usr/bin/env bash
# Idempotently build nektos/act into .tools/bin/act from the Go module proxy, with every Go cache
# (GOPATH, module cache, build cache) under .tools/go so CI caches nothing outside the project.
# The act tests (__tests__/act/) use it in host mode (-P ubuntu-latest=-self-hosted): no docker.
# Prints exactly one line saying what it did.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

version="${ACT_VERSION:-v0.2.87}"
bin="$root/.tools/bin/act"
stamp="$root/.tools/bin/.act-version"

if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
  echo "setup-act: act $version already at .tools/bin/act"
  exit 0
fi

go_bin="${GO:-}"
if [ -z "$go_bin" ]; then
  if command -v go >/dev/null; then go_bin="$(command -v go)"
  elif [ -x /usr/local/go/bin/go ]; then go_bin=/usr/local/go/bin/go
  else echo "setup-act: no Go toolchain found (set GO=/path/to/go)" >&2; exit 1
  fi
fi

mkdir -p .tools/bin .tools/go
start=$(date +%s)
log="$root/.tools/go/act-build.log"
if ! env GOPATH="$root/.tools/go" GOMODCACHE="$root/.tools/go/pkg/mod" \
     GOCACHE="$root/.tools/go/cache" GOBIN="$root/.tools/bin" GOFLAGS=-mod=mod \
     GOTOOLCHAIN=local CGO_ENABLED=0 \
     "$go_bin" install "github.com/nektos/act@$version" >"$log" 2>&1; then
  echo "setup-act: building act $version failed; see $log" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
# The module cache is read-only by default; make it removable by a plain rm -rf.
chmod -R u+w "$root/.tools/go/pkg/mod" 2>/dev/null || true
echo "$version" > "$stamp"
echo "setup-act: built act $version into .tools/bin/act in $(( $(date +%s) - start ))s ($("$go_bin" version | cut -d' ' -f3))"
