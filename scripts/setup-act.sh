#!/usr/bin/env bash
# Idempotently build nektos/act into .tools/bin/act from the Go module proxy, with every Go cache
# under .tools/go (scripts/lib/go-tools.sh). The act tests (__tests__/act/) use it in host mode
# (-P ubuntu-latest=-self-hosted): no docker.
# Prints exactly one line saying what it did.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=lib/go-tools.sh
source "$root/scripts/lib/go-tools.sh"

install_go_tool local act github.com/nektos/act "${ACT_VERSION:-v0.2.87}" act
