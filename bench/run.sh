#!/usr/bin/env bash
# npm run bench [-- --quick] [-- --runs N] [-- --only a,b,c,d,e,v] [-- --write docs/benchmarks.md]
# Builds dist/ (what is measured is what ships), makes sure /usr/bin/time is there, then runs
# bench/bench.ts against the local world. Loopback only; the GiB-sized dists are deleted at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE=.tools/node/bin/node
[ -x "$NODE" ] || NODE=node
for tool in .venv/bin/twine .venv/bin/uv; do
  [ -x "$tool" ] || { echo "bench: $tool missing (npm run setup)" >&2; exit 1; }
done
command -v curl >/dev/null && command -v openssl >/dev/null || { echo "bench: needs curl and openssl" >&2; exit 1; }
# GNU time (/usr/bin/time) gives the peak RSS and CPU of each child when the machine has it; without
# it bench.ts measures the same through getrusage in Python. Nothing is installed from here.
"$NODE" scripts/build.mjs
exec "$NODE" bench/bench.ts "$@"
