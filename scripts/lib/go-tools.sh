# shellcheck shell=bash
# Sourced by scripts/setup-act.sh, setup-actionlint.sh and setup-verifiers.sh (after they set `root`
# to the project root): build Go tools idempotently from the Go module proxy into .tools/bin, with
# every Go cache (GOPATH, module cache, build cache) under .tools/go so CI caches nothing outside the
# project. Each tool's stamp, .tools/bin/.BINARY-version, holds the version its binary was built at.
# Messages start with the calling script's name, e.g. "setup-act:".

: "${root:?set root to the project root before sourcing scripts/lib/go-tools.sh}"
go_tools_prefix="$(basename "$0" .sh):"
go_bin=""

# Sets go_bin to the Go toolchain: $GO, else `go` on PATH, else /usr/local/go/bin/go.
find_go() {
  go_bin="${GO:-}"
  [ -n "$go_bin" ] && return 0
  if command -v go >/dev/null; then go_bin="$(command -v go)"
  elif [ -x /usr/local/go/bin/go ]; then go_bin=/usr/local/go/bin/go
  else echo "$go_tools_prefix no Go toolchain found (set GO=/path/to/go)" >&2; exit 1
  fi
}

go_env() { # toolchain command...: runs the command with every Go cache under .tools/go
  local toolchain="$1"; shift
  env GOPATH="$root/.tools/go" GOMODCACHE="$root/.tools/go/pkg/mod" \
    GOCACHE="$root/.tools/go/cache" GOBIN="$root/.tools/bin" GOFLAGS=-mod=mod \
    GOTOOLCHAIN="$toolchain" CGO_ENABLED=0 "$@"
}

tool_is_current() { # binary version: built, and its stamp says at this version
  [ -x "$root/.tools/bin/$1" ] && [ "$(cat "$root/.tools/bin/.$1-version" 2>/dev/null)" = "$2" ]
}

go_install_logged() { # toolchain name package version binary: go install, output in a log
  local log="$root/.tools/go/$5-build.log"
  if ! go_env "$1" "$go_bin" install "$3@$4" >"$log" 2>&1; then
    echo "$go_tools_prefix building $2 $4 failed; see $log" >&2
    tail -n 20 "$log" >&2
    return 1
  fi
  # The module cache is read-only by default; make it removable by a plain rm -rf.
  chmod -R u+w "$root/.tools/go/pkg/mod" 2>/dev/null || true
}

# Installs PACKAGE@VERSION as .tools/bin/BINARY with GOTOOLCHAIN=TOOLCHAIN unless its stamp says it
# is there already; prints one line saying what it did, or fails with the build log's tail.
install_go_tool() { # toolchain name package version binary
  local toolchain="$1" name="$2" pkg="$3" version="$4" binary="$5" start
  if tool_is_current "$binary" "$version"; then
    echo "$go_tools_prefix $name $version already at .tools/bin/$binary"
    return 0
  fi
  [ -n "$go_bin" ] || find_go
  mkdir -p "$root/.tools/bin" "$root/.tools/go"
  start=$(date +%s)
  go_install_logged "$toolchain" "$name" "$pkg" "$version" "$binary" || return 1
  echo "$version" > "$root/.tools/bin/.$binary-version"
  echo "$go_tools_prefix built $name $version into .tools/bin/$binary in $(( $(date +%s) - start ))s"
}
