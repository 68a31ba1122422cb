"""Judge a PEP 740 attestation with the code PyPI runs (pypi-attestations + sigstore-python).

    check_attestation.py --trusted-root ROOT (--attestation FILE | --bundle FILE)
                         --repository OWNER/NAME --workflow FILE.yml [--environment ENV]
                         (--dist PATH | --dist-name FILENAME --dist-sha256 HEX)

Runs `Attestation.verify(GitHubPublisher(...), Distribution(...))` exactly as warehouse does on upload,
except that sigstore-python's `Verifier.production()` is pointed at the local world's trusted root
instead of public-good Sigstore's TUF root. A `--bundle` is first converted with the unmodified
`Attestation.from_bundle`; an `--attestation` must also survive pydantic's round trip byte for byte
(the incumbent writes `model_dump_json()`). Prints {"predicate_type", "predicate"} and exits 0, or
prints "FAIL <error>" (what PyPI would report) and exits 1.
"""

import argparse
import json
import sys
from pathlib import Path

from pypi_attestations import Attestation, Distribution, GitHubPublisher
from sigstore.models import Bundle, TrustedRoot
from sigstore.verify import Verifier


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trusted-root", required=True, type=Path)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--attestation", type=Path)
    source.add_argument("--bundle", type=Path)
    parser.add_argument("--repository", required=True)
    parser.add_argument("--workflow", required=True)
    parser.add_argument("--environment")
    parser.add_argument("--dist", type=Path)
    parser.add_argument("--dist-name")
    parser.add_argument("--dist-sha256")
    args = parser.parse_args()

    trusted_root = TrustedRoot.from_file(str(args.trusted_root))
    Verifier.production = classmethod(lambda cls, offline=False: cls(trusted_root=trusted_root))  # type: ignore[method-assign,assignment]

    try:
        if args.bundle:
            attestation = Attestation.from_bundle(Bundle.from_json(args.bundle.read_bytes()))
        else:
            raw = args.attestation.read_text()
            attestation = Attestation.model_validate_json(raw)
            if attestation.model_dump_json() != raw:
                print("FAIL the attestation does not round-trip through model_dump_json()")
                return 1
        dist = Distribution.from_file(args.dist) if args.dist else Distribution(name=args.dist_name, digest=args.dist_sha256)
        publisher = GitHubPublisher(repository=args.repository, workflow=args.workflow, environment=args.environment)
        predicate_type, predicate = attestation.verify(publisher, dist)
    except Exception as e:  # noqa: BLE001 - report whatever PyPI would
        print(f"FAIL {type(e).__name__}: {e}")
        return 1
    print(json.dumps({"predicate_type": predicate_type, "predicate": predicate}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
