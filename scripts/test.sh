#!/usr/bin/env bash
# The test command (npm test): set-up if needed, type-check, build dist/ from src/, then the
# PyPI stand-in's own tests and every node:test suite. End-to-end suites run dist/index.js as the
# runner does, against the local world on 127.0.0.1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
export PATH="$root/.tools/node/bin:$PATH"
bash test/corpus/fetch.sh
# nektos/act for __tests__/act (only the tests need it; the demo does not).
bash scripts/setup-act.sh
# cosign 3 and sigstore-go's verifier, built the same way, to judge every bundle the e2e suites make.
bash scripts/setup-verifiers.sh
echo "== type check"
npx tsc --noEmit -p .
echo "== build"
node scripts/build.mjs
echo "== PyPI stand-in (pytest)"
.venv/bin/python -m pytest -q -p no:cacheprovider test/world/pypi/tests
echo "== node:test suites"
# Suites start their own worlds; two at a time fits the 2-core machine.
node --test --test-concurrency=2 --test-timeout=600000 "__tests__/**/*.test.ts"
