#!/usr/bin/env bash
# The test command. `npm test` (what CI runs): set-up if needed, lint, type-check, build dist/ from
# src/, the engine's in-process suites with their coverage, the PyPI stand-in's own tests and every
# node:test suite. End-to-end suites run dist/index.js as the runner does, against the local world
# on 127.0.0.1.
# `npm run test:quick` (scripts/test.sh --quick), for the edit loop: the same checks and the fast
# suites, without the benchmark, the fault matrix, the corpus, act, the demo and the
# Sigstore interoperability suite.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
quick=false
[ "${1:-}" = "--quick" ] && quick=true
bash scripts/setup.sh
export PATH="$root/.tools/node/bin:$PATH"
$quick || bash test/corpus/fetch.sh
# nektos/act for __tests__/act (only the tests need it; the demo does not).
$quick || bash scripts/setup-act.sh
# cosign 3 and sigstore-go's verifier, built the same way, to judge every bundle the e2e suites make.
bash scripts/setup-verifiers.sh
# rhysd/actionlint, built the same way, to validate the repository's workflows (__tests__/unit/workflows.test.ts).
bash scripts/setup-actionlint.sh
# devpi-server in a virtualenv of its own, a real third-party index for __tests__/e2e/indexes.test.ts.
$quick || bash scripts/setup-devpi.sh
echo "== lint"
npm run -s lint
echo "== function length (no function in src/ over 80 lines)"
node --no-warnings scripts/check-function-length.ts src 80
echo "== type check"
npx tsc --noEmit -p .
echo "== build"
node scripts/build.mjs
echo "== engine, in-process (coverage of src/engine/, at least 90 % of lines)"
node --test --experimental-test-coverage --test-coverage-include='src/engine/**' --test-coverage-lines=90 \
  --test-reporter=spec --test-timeout=120000 "__tests__/engine/**/*.test.ts"
if $quick; then
  echo "== node:test suites (quick tier)"
  node --test --test-concurrency=2 --test-timeout=120000 \
    "__tests__/unit/**/*.test.ts" "__tests__/dists/**/*.test.ts" __tests__/sigstore/unit.test.ts __tests__/sigstore/trust-config.test.ts \
    __tests__/faults/units.test.ts __tests__/e2e/publish.test.ts __tests__/e2e/trusted-publishing.test.ts
  exit 0
fi
echo "== PyPI stand-in (pytest)"
.venv/bin/python -m pytest -q -p no:cacheprovider test/world/pypi/tests
echo "== node:test suites"
# Suites start their own worlds; two at a time fits the 2-core machine. The engine's ran above.
node --test --test-concurrency=2 --test-timeout=600000 "__tests__/!(engine)/**/*.test.ts"
