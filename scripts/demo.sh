#!/usr/bin/env bash
# npm run demo: set up (if needed), then publish sample dists to the local PyPI stand-in, signed by
# the local Sigstore, exactly as a release job would run the action, and show the verified result.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
export PATH="$root/.tools/node/bin:$PATH"
[ -f dist/index.js ] && [ -f dist/build-provenance.js ] || node scripts/build.mjs
exec node scripts/demo.ts
