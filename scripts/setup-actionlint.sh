#!/usr/bin/env bash
# Idempotently build rhysd/actionlint into .tools/bin/actionlint from the Go module proxy, with every
# Go cache under .tools/go (scripts/lib/go-tools.sh). __tests__/unit/workflows.test.ts
# runs it over .github/workflows/ and the action's own metadata. Prints exactly one line.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=lib/go-tools.sh
source "$root/scripts/lib/go-tools.sh"

install_go_tool local actionlint github.com/rhysd/actionlint/cmd/actionlint \
  "${ACTIONLINT_VERSION:-v1.7.12}" actionlint
