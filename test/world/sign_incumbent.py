"""Sign dists as pypa/gh-action-pypi-publish does, with sigstore-python and pypi-attestations.

    sign_incumbent.py --trust-config FILE DIST...

The identity token is read from $SIGSTORE_ID_TOKEN. Like the incumbent's attestation step, it opens
one `SigningContext` from the trust config (a ClientTrustConfig: the world's, instead of
`ClientTrustConfig.production()`), one cached signer, and writes `Attestation.sign(signer, dist)` as
`<dist>.publish.attestation` (its `model_dump_json()`). Prints "FAIL <error>" and exits 1 on failure.
"""

import argparse
import os
import sys
from pathlib import Path

from pypi_attestations import Attestation, Distribution
from sigstore.models import ClientTrustConfig
from sigstore.oidc import IdentityToken
from sigstore.sign import SigningContext


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trust-config", required=True, type=Path)
    parser.add_argument("dists", nargs="+", type=Path)
    args = parser.parse_args()
    try:
        identity = IdentityToken(os.environ["SIGSTORE_ID_TOKEN"])
        context = SigningContext.from_trust_config(ClientTrustConfig.from_json(args.trust_config.read_text()))
        with context.signer(identity, cache=True) as signer:
            for dist in args.dists:
                attestation = Attestation.sign(signer, Distribution.from_file(dist))
                Path(f"{dist}.publish.attestation").write_text(attestation.model_dump_json())
    except Exception as e:  # noqa: BLE001 - the test reports whatever failed
        print(f"FAIL {type(e).__name__}: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
