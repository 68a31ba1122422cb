"""The stand-in's attestation rules, as warehouse's IntegrityService states them: one attestation per
predicate type, of the two PyPI knows (publish/v1 and SLSA provenance/v1), each one checked by
pypi-attestations' Attestation.verify against the file.

Run in-process on upload.verify_attestations: only the Sigstore cryptography is replaced (a verifier
that hands back the signed statement), so every statement rule here is pypi-attestations' own code.
The end-to-end suites sign both types with the local Sigstore and upload them through the server.
"""

import base64
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from standin import upload  # noqa: E402
from test_upload import self_signed_attestation  # noqa: E402

PUBLISH = "https://docs.pypi.org/attestations/publish/v1"
SLSA = "https://slsa.dev/provenance/v1"
PREFIX = "Invalid attestations supplied during upload: "
# warehouse's words, then pypi-attestations' VerificationError as str() renders it
REFUSED = "Could not verify the uploaded artifact using the included attestation: Verification failed: "
FILENAME = "sampleproject-1.0-py3-none-any.whl"
SHA256 = "ab" * 32
PUBLISHER = {"repository_owner": "octo-org", "repository_name": "sampleproject", "workflow_filename": "release.yml",
             "environment": ""}


@pytest.fixture(autouse=True)
def statement_only_verifier(monkeypatch):
    from sigstore.verify import Verifier

    class StatementOnly:
        def verify_dsse(self, bundle, policy):
            return "application/vnd.in-toto+json", bundle._inner.dsse_envelope.payload

    monkeypatch.setattr(Verifier, "production", classmethod(lambda cls, *, offline=False: StatementOnly()))


def attestation(predicate_type, *, name=FILENAME, sha256=SHA256, subjects=1):
    statement = {"_type": "https://in-toto.io/Statement/v1",
                 "subject": [{"name": name, "digest": {"sha256": sha256}}] * subjects,
                 "predicateType": predicate_type, "predicate": {} if predicate_type == SLSA else None}
    att = self_signed_attestation()
    att["envelope"]["statement"] = base64.b64encode(json.dumps(statement).encode()).decode()
    return att


def verify(*atts):
    from pypi_attestations import GitHubPublisher

    def factory(pub):
        return GitHubPublisher(repository=f"{pub['repository_owner']}/{pub['repository_name']}",
                               workflow=pub["workflow_filename"], environment=pub["environment"] or None)

    identity = SimpleNamespace(publisher=PUBLISHER)
    return upload.verify_attestations(identity, json.dumps(list(atts)), FILENAME, SHA256, factory)


def refused(*atts):
    with pytest.raises(upload.UploadError) as e:
        verify(*atts)
    assert e.value.status == 400
    return e.value.message


def test_a_publish_and_a_build_attestation_are_both_kept_in_the_provenance():
    provenance = json.loads(verify(attestation(PUBLISH), attestation(SLSA)))
    (bundle,) = provenance["attestation_bundles"]
    assert bundle["publisher"]["kind"] == "GitHub"
    assert bundle["publisher"]["repository"] == "octo-org/sampleproject"
    types = [json.loads(base64.b64decode(a["envelope"]["statement"]))["predicateType"] for a in bundle["attestations"]]
    assert types == [PUBLISH, SLSA]


@pytest.mark.parametrize("predicate_type", [PUBLISH, SLSA])
def test_either_type_alone_is_accepted(predicate_type):
    (bundle,) = json.loads(verify(attestation(predicate_type)))["attestation_bundles"]
    assert len(bundle["attestations"]) == 1


@pytest.mark.parametrize("predicate_type", [PUBLISH, SLSA])
def test_a_second_attestation_of_one_type_is_refused_with_warehouses_message(predicate_type):
    assert refused(attestation(predicate_type), attestation(predicate_type)) == (
        PREFIX + f"Multiple attestations for the same file with the same predicate type ({predicate_type}) are not supported")


def test_an_unsupported_predicate_type_is_refused():
    # pypi-attestations refuses a type PyPI does not know before warehouse's own check is reached.
    assert refused(attestation("https://in-toto.io/attestation/vulns/v0.1")) == (
        PREFIX + REFUSED +
                 "unknown attestation type: https://in-toto.io/attestation/vulns/v0.1")


def test_three_attestations_are_refused_before_any_is_verified():
    assert refused(attestation(PUBLISH), attestation(SLSA), attestation(SLSA)) == (
        PREFIX + "A maximum of 2 attestations per file are supported")


def test_a_build_attestation_for_another_file_or_with_many_subjects_is_refused():
    other = "sampleproject-1.0.tar.gz"
    assert refused(attestation(PUBLISH), attestation(SLSA, name=other)) == (
        PREFIX + REFUSED +
                 f"subject does not match distribution name: {other} != {FILENAME}")
    assert refused(attestation(SLSA, sha256="cd" * 32)) == (
        PREFIX + REFUSED +
                 "subject does not match distribution digest")
    assert refused(attestation(SLSA, subjects=2)) == (
        PREFIX + REFUSED +
                 "too many subjects in statement (must be exactly one)")
