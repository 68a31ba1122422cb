"""pypi-attestations' own `Attestation.verify` on statements, with the signature taken as verified:
its Sigstore verifier is replaced by one that hands back the payload, so every check after the
signature (sigstore-python's `_Statement` model, the subject's name and digest, the predicate type)
is the library's code as PyPI runs it. argv[1]: JSON list of {payload (base64), filename, sha256};
prints a JSON list of null (accepted) or the error's message."""

import base64
import json
import sys

import pypi_attestations._impl as impl
from pypi_attestations import Attestation, Distribution, GitHubPublisher


class PayloadOnly:
    def __init__(self, payload):
        self.payload = payload

    def verify_dsse(self, _bundle, _policy):
        return "application/vnd.in-toto+json", self.payload


def verdict(case):
    payload = base64.b64decode(case["payload"])
    impl.Verifier.production = classmethod(lambda _cls, offline=False: PayloadOnly(payload))
    attestation = Attestation.model_construct()
    object.__setattr__(attestation, "to_bundle", lambda: None)
    try:
        attestation.verify(GitHubPublisher(repository="o/r", workflow="w.yml"),
                           Distribution(name=case["filename"], digest=case["sha256"]))
        return None
    except Exception as e:  # noqa: BLE001 - every refusal is a verdict
        return str(e)


print(json.dumps([verdict(c) for c in json.loads(sys.argv[1])]))
