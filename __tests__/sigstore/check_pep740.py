"""Judge a PEP 740 attestation with the code PyPI runs (pypi-attestations + sigstore-python).

Usage: check_pep740.py TRUSTED_ROOT ATTESTATION REPOSITORY WORKFLOW DIST_FILENAME SHA256

Runs `Attestation.model_validate_json(...).verify(GitHubPublisher(...), Distribution(...))` exactly as
warehouse does on upload, except that `Verifier.production()` is patched to trust the local world's
trusted root instead of public-good Sigstore's TUF root. Prints "OK <predicate type>" and exits 0, or
prints the error PyPI would report and exits 1.
"""

import sys
from pathlib import Path

from pypi_attestations import Attestation, Distribution, GitHubPublisher
from sigstore.models import TrustedRoot
from sigstore.verify import Verifier


def main() -> int:
    root_path, att_path, repository, workflow, name, digest = sys.argv[1:7]
    trusted_root = TrustedRoot.from_file(root_path)
    Verifier.production = classmethod(lambda cls, offline=False: cls(trusted_root=trusted_root))  # type: ignore[method-assign]

    try:
        attestation = Attestation.model_validate_json(Path(att_path).read_bytes())
        predicate_type, _ = attestation.verify(
            GitHubPublisher(repository=repository, workflow=workflow),
            Distribution(name=name, digest=digest),
        )
        # The incumbent writes model_dump_json(); ours must round-trip to the same bytes.
        dumped = attestation.model_dump_json()
        if dumped != Path(att_path).read_text():
            print("MISMATCH model_dump_json differs from the file", file=sys.stderr)
            print(dumped, file=sys.stderr)
            return 2
    except Exception as e:  # noqa: BLE001 - report whatever PyPI would
        print(f"FAIL {type(e).__name__}: {e}")
        return 1
    print(f"OK {predicate_type}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
