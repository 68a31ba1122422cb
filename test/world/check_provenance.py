"""Judge a PEP 740 provenance object for a dist with pypi-attestations' and sigstore-python's newest releases.

    check_provenance.py --trusted-root ROOT --provenance FILE --dist PATH

Does what `pypi-attestations verify pypi --provenance-file FILE PATH` does once the publisher is the
expected one: validates the provenance with its pydantic model, then verifies every attestation of
every bundle under that bundle's publisher's policy (`publisher._as_policy()`) against the dist, with
sigstore-python's `Verifier.production()` pointed at the local world's trusted root instead of
public-good Sigstore's TUF root. The releases come from .venv/pypi-attestations-latest (put first on
the path; the .venv's own copies are warehouse's pins), so publisher kinds newer than warehouse's
(CircleCI) are judged by the code that defines them, and certificate chains by sigstore 4.5.1's
path validation (cryptography's web PKI policies, where 4.5.0 used OpenSSL's store). Prints "OK <kind>…" and exits 0, or prints
"FAIL <error>" and exits 1.
"""

import argparse
import sys
from pathlib import Path

NEWEST = Path(__file__).resolve().parents[2] / ".venv" / "pypi-attestations-latest"
if not (NEWEST / "pypi_attestations").is_dir():
    # Without it the .venv's pins would judge, quietly.
    sys.exit(f"{NEWEST} is missing: run scripts/setup.sh")
sys.path.insert(0, str(NEWEST))

from pydantic import ValidationError  # noqa: E402
from pypi_attestations import Distribution, Provenance, VerificationError  # noqa: E402
from sigstore.models import TrustedRoot  # noqa: E402
from sigstore.verify import Verifier  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trusted-root", required=True, type=Path)
    parser.add_argument("--provenance", required=True, type=Path)
    parser.add_argument("--dist", required=True, type=Path)
    args = parser.parse_args()

    trusted_root = TrustedRoot.from_file(str(args.trusted_root))
    Verifier.production = classmethod(lambda cls, offline=False: cls(trusted_root=trusted_root))  # type: ignore[method-assign,assignment]

    try:
        provenance = Provenance.model_validate_json(args.provenance.read_bytes())
    except ValidationError as e:
        print(f"FAIL Invalid provenance: {e}")
        return 1
    dist = Distribution.from_file(args.dist)
    try:
        for bundle in provenance.attestation_bundles:
            policy = bundle.publisher._as_policy()  # noqa: SLF001 - what `verify pypi` calls
            for attestation in bundle.attestations:
                attestation.verify(policy, dist)
    except VerificationError as e:
        print(f"FAIL Verification failed for {dist.name}: {e}")
        return 1
    except Exception as e:  # noqa: BLE001 - e.g. a policy's ExtensionNotFound, which the CLI lets escape
        print(f"FAIL {type(e).__name__}: {e}")
        return 1
    print("OK " + " ".join(b.publisher.kind for b in provenance.attestation_bundles))
    return 0


if __name__ == "__main__":
    sys.exit(main())
