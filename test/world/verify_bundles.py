"""Judge Sigstore bundles of dists with pypi-attestations, as PyPI does on upload.

    verify_bundles.py --trusted-root ROOT --repository OWNER/NAME --workflow FILE.yml
                      --predicate-type URI [--publisher gitlab] BUNDLE=DIST...

For each pair: `Attestation.from_bundle(bundle).verify(GitHubPublisher(...), Distribution.from_file(dist))`
(with --publisher gitlab: `GitLabPublisher(repository=NAMESPACE/PROJECT, workflow_filepath=PATH)`)
with sigstore-python's `Verifier.production()` pointed at ROOT, and the predicate type it returns must
be URI. Prints a JSON list, one entry per pair: null when accepted, else the error PyPI would report.
One process judges them all (each interpreter start costs more than a verification).
"""

import argparse
import json
import sys
from pathlib import Path

from pypi_attestations import Attestation, Distribution, GitHubPublisher, GitLabPublisher
from sigstore.models import Bundle, TrustedRoot
from sigstore.verify import Verifier


def judge(pair: str, publisher: GitHubPublisher, predicate_type: str) -> str | None:
    bundle_path, dist_path = pair.split("=", 1)
    try:
        attestation = Attestation.from_bundle(Bundle.from_json(Path(bundle_path).read_bytes()))
        found, _ = attestation.verify(publisher, Distribution.from_file(Path(dist_path)))
    except Exception as e:  # noqa: BLE001 - report whatever PyPI would
        return f"{type(e).__name__}: {e}"
    return None if found == predicate_type else f"predicate type {found}, expected {predicate_type}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trusted-root", required=True, type=Path)
    parser.add_argument("--repository", required=True)
    parser.add_argument("--workflow", required=True)
    parser.add_argument("--predicate-type", required=True)
    parser.add_argument("--publisher", choices=["github", "gitlab"], default="github")
    parser.add_argument("pairs", nargs="+")
    args = parser.parse_args()
    trusted_root = TrustedRoot.from_file(str(args.trusted_root))
    Verifier.production = classmethod(lambda cls, offline=False: cls(trusted_root=trusted_root))  # type: ignore[method-assign,assignment]
    publisher = (GitLabPublisher(repository=args.repository, workflow_filepath=args.workflow)
                 if args.publisher == "gitlab" else GitHubPublisher(repository=args.repository, workflow=args.workflow))
    print(json.dumps([judge(pair, publisher, args.predicate_type) for pair in args.pairs]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
