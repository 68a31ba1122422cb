#!/usr/bin/env bash
# Idempotently build the independent Sigstore verifiers the end-to-end suites judge bundles with:
# cosign 3 and sigstore-go's example verifier and signer, and the real Sigstore servers that judge the world's
# own and the action's clients (sigstore/fulcio, sigstore/timestamp-authority, sigstore/rekor on
# google/trillian over PostgreSQL: __tests__/world/real-servers.test.ts), from the Go module proxy
# into .tools/bin, with every Go cache under .tools/go (scripts/lib/go-tools.sh). sigstore-python and
# pypi-attestations come from .venv. Prints one line per tool saying what it did.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=lib/go-tools.sh
source "$root/scripts/lib/go-tools.sh"

# The newest release of each that the module proxy serves, as public-good Sigstore runs them and
# users install them. Rekor 1.6 and timestamp-authority 2.2 need Go 1.27: every build takes the
# toolchain go1.27.3 from the module proxy (GOTOOLCHAIN, kept under .tools/go like every module).
# sigstore-go stays on 1.3: 1.4 needs timestamp-authority v2.2.0, which the proxy does not serve.
go_toolchain="${GO_TOOLCHAIN:-go1.27.3}"
cosign_version="${COSIGN_VERSION:-v3.1.3}"
sigstore_go_version="${SIGSTORE_GO_VERSION:-v1.3.0}"
fulcio_version="${FULCIO_VERSION:-v1.8.8}"
timestamp_authority_version="${TIMESTAMP_AUTHORITY_VERSION:-v2.2.1}"
rekor_version="${REKOR_VERSION:-v1.6.1}"
trillian_version="${TRILLIAN_VERSION:-v1.8.0}"

find_go

build() { # name package version binary
  install_go_tool "$go_toolchain" "$@"
}

build cosign github.com/sigstore/cosign/v3/cmd/cosign "$cosign_version" cosign
build sigstore-go github.com/sigstore/sigstore-go/examples/sigstore-go-verification \
  "$sigstore_go_version" sigstore-go-verification
# sigstore-go's example signer: another real client that follows a signing config (the world's).
build sigstore-go-signing github.com/sigstore/sigstore-go/examples/sigstore-go-signing \
  "$sigstore_go_version" sigstore-go-signing
build fulcio github.com/sigstore/fulcio "$fulcio_version" fulcio
build timestamp-authority github.com/sigstore/timestamp-authority/v2/cmd/timestamp-server \
  "$timestamp_authority_version" timestamp-server
build rekor github.com/sigstore/rekor/cmd/rekor-server "$rekor_version" rekor-server
build trillian-log-server github.com/google/trillian/cmd/trillian_log_server "$trillian_version" trillian_log_server
build trillian-log-signer github.com/google/trillian/cmd/trillian_log_signer "$trillian_version" trillian_log_signer
module_file() { # module version path-in-module destination: a file of a module, beside the binaries
  local dest="$root/.tools/bin/$4"
  [ -f "$dest" ] && return 0
  local dir
  dir="$(go_env "$go_toolchain" "$go_bin" mod download -json "$1@$2" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  cp "$dir/$3" "$dest"
  echo "setup-verifiers: $1 $2 $3 at .tools/bin/$4"
}
# Fulcio's issuer configuration as public-good deploys it, and Trillian's PostgreSQL schema.
module_file github.com/sigstore/fulcio "$fulcio_version" config/identity/config.yaml "fulcio-identity-config-$fulcio_version.yaml"
module_file github.com/google/trillian "$trillian_version" storage/postgresql/schema/storage.sql "trillian-postgresql-$trillian_version.sql"

# Trillian keeps Rekor's log in PostgreSQL, from Debian's packages.
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "setup-verifiers: installing PostgreSQL (Debian's package) for Trillian"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
fi
# Rekor keeps its search index (POST /api/v1/index/retrieve) in Redis, from Debian's package.
if ! command -v redis-server >/dev/null 2>&1; then
  echo "setup-verifiers: installing Redis (Debian's package) for Rekor's search index"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server >/dev/null
fi
