"""Checks that a Sigstore bundle made against the local world is a valid PEP 740 attestation.

pypi-attestations' Attestation.verify() always verifies against public-good Sigstore
(Verifier.production()), so this points that constructor at the world's trusted root and then runs the
unmodified conversion (Attestation.from_bundle) and verification (GitHubPublisher policy, subject name
and digest checks). Prints {"predicate_type": ..., "predicate": ...} and exits 0 on success.
"""

import argparse
import json
from pathlib import Path

from pypi_attestations import Attestation, Distribution, GitHubPublisher
from sigstore.models import Bundle, TrustedRoot
from sigstore.verify import Verifier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trusted-root", required=True, type=Path)
    parser.add_argument("--bundle", required=True, type=Path)
    parser.add_argument("--repository", required=True, help="owner/name of the publisher")
    parser.add_argument("--workflow", required=True, help="workflow filename, e.g. release.yml")
    parser.add_argument("--environment")
    parser.add_argument("dist", type=Path)
    args = parser.parse_args()

    trusted_root = TrustedRoot.from_file(str(args.trusted_root))
    Verifier.production = classmethod(lambda cls, offline=False: cls(trusted_root=trusted_root))  # type: ignore[method-assign,assignment]

    attestation = Attestation.from_bundle(Bundle.from_json(args.bundle.read_bytes()))
    publisher = GitHubPublisher(repository=args.repository, workflow=args.workflow, environment=args.environment)
    predicate_type, predicate = attestation.verify(publisher, Distribution.from_file(args.dist))
    print(json.dumps({"predicate_type": predicate_type, "predicate": predicate}))


if __name__ == "__main__":
    main()
