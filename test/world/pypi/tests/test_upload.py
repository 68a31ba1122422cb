import hashlib
import json
import os
import subprocess

import pytest
import requests

from conftest import VENV_BIN, control, make_sdist, make_wheel, mint, post_upload

USER = ("alice", "s3cret")
PUB = {"project": "sampleproject", "repository": "octo-org/sampleproject", "repository_owner_id": "1001",
       "workflow_filename": "release.yml"}
HELP = "https://pypi.org/help/"


def sub(tmp_path, name):
    d = tmp_path / name
    d.mkdir(exist_ok=True)
    return d


def state(world):
    return requests.get(world.url + "/_world/state").json()


def twine(world, *args, files):
    env = dict(os.environ, TWINE_NON_INTERACTIVE="1")
    env.pop("TWINE_USERNAME", None)
    env.pop("TWINE_PASSWORD", None)
    return subprocess.run([str(VENV_BIN / "twine"), "upload", "--repository-url", world.url + "/legacy/",
                           "--disable-progress-bar", "--non-interactive", *args, *map(str, files)],
                          capture_output=True, text=True, timeout=60, env=env)


def assert_error(r, status, message):
    assert r.status_code == status, (r.status_code, r.text)
    assert r.text == message
    assert r.reason == message.encode("utf-8").decode("latin-1") or r.reason == message


def test_twine_password_upload_and_simple_api(world, tmp_path):
    control(world, "/_world/users", {"username": USER[0], "password": USER[1], "projects": []})
    wheel = make_wheel(tmp_path, "Sample.Project", "1.0.0")
    sdist = make_sdist(tmp_path, "Sample.Project", "1.0.0")
    p = twine(world, "-u", USER[0], "-p", USER[1], files=[wheel, sdist])
    assert p.returncode == 0, p.stdout + p.stderr
    st = state(world)
    assert [pr["name"] for pr in st["projects"]] == ["Sample.Project"]
    assert st["projects"][0]["owners"] == ["alice"]
    assert {f["filename"] for f in st["files"]} == {wheel.name, sdist.name}
    assert all(not f["has_provenance"] for f in st["files"])
    assert st["uploadAttempts"] == {wheel.name: 1, sdist.name: 1}

    r = requests.get(world.url + "/simple/sample-project/", headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/vnd.pypi.simple.v1+json"
    body = r.json()
    assert body["name"] == "sample-project" and body["versions"] == ["1.0.0"]
    by_name = {f["filename"]: f for f in body["files"]}
    for path in (wheel, sdist):
        f = by_name[path.name]
        assert f["hashes"] == {"sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        assert f["provenance"] is None
        dl = requests.get(f["url"])
        assert dl.status_code == 200 and dl.content == path.read_bytes()
    meta = requests.get(by_name[wheel.name]["url"] + ".metadata")
    assert meta.status_code == 200 and b"Name: Sample.Project" in meta.content
    html = requests.get(world.url + "/simple/sample-project/").text
    assert f"#sha256={hashlib.sha256(wheel.read_bytes()).hexdigest()}" in html and "data-provenance" not in html
    r = requests.get(world.url + "/simple/Sample.Project/", allow_redirects=False)
    assert r.status_code == 301 and r.headers["Location"] == "/simple/sample-project/"
    r = requests.get(f"{world.url}/integrity/sample-project/1.0.0/{wheel.name}/provenance")
    assert r.status_code == 404 and r.json() == {"message": f"No provenance available for {wheel.name}"}


def test_twine_with_minted_token(world, issuer, tmp_path):
    control(world, "/_world/publishers", PUB)
    token = mint(world, issuer).json()["token"]
    wheel = make_wheel(tmp_path, "sampleproject", "2.0.0")
    p = twine(world, "-u", "__token__", "-p", token, files=[wheel])
    assert p.returncode == 0, p.stdout + p.stderr
    st = state(world)
    assert st["files"][0]["via_trusted_publishing"] is True
    # a TP token is scoped to the publisher's projects, and cannot create new ones
    other = make_wheel(tmp_path, "otherproject", "1.0")
    r = post_upload(world, other, "otherproject", "1.0", ("__token__", token))
    assert r.status_code == 400 and r.text.startswith("Non-user identities cannot create new projects.")
    control(world, "/_world/projects", {"name": "otherproject"})
    r = post_upload(world, other, "otherproject", "1.0", None, headers={"Authorization": f"token {token}"})
    assert_error(r, 403, "Invalid API Token: OIDC scoped token is not valid for project 'otherproject'")
    r = post_upload(world, other, "otherproject", "1.0", ("__token__", "pypi-bogus"))
    assert_error(r, 403, "Invalid or non-existent authentication information. "
                         f"See {HELP}#invalid-auth for more information.")


def test_uv_publish_check_url(world, tmp_path):
    control(world, "/_world/users", {"username": USER[0], "password": USER[1], "projects": ["uvproject"]})
    wheel = make_wheel(tmp_path, "uvproject", "0.1.0")
    sdist = make_sdist(tmp_path, "uvproject", "0.1.0")
    env = dict(os.environ, UV_CACHE_DIR=str(tmp_path / "uv-cache"), UV_NO_CONFIG="1", NO_COLOR="1")
    for k in ("UV_PUBLISH_TOKEN", "UV_PUBLISH_USERNAME", "UV_PUBLISH_PASSWORD", "UV_INDEX_URL"):
        env.pop(k, None)
    cmd = [str(VENV_BIN / "uv"), "publish", "--publish-url", world.url + "/legacy/", "--check-url",
           world.url + "/simple/", "-u", USER[0], "-p", USER[1], "--trusted-publishing", "never", str(wheel),
           str(sdist)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)
    assert p.returncode == 0, p.stdout + p.stderr
    assert len(state(world)["files"]) == 2
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "already exists" in (p.stdout + p.stderr).lower() or "skipping" in (p.stdout + p.stderr).lower()
    assert state(world)["uploadAttempts"] == {wheel.name: 1, sdist.name: 1}  # second run did not upload


def test_duplicates(world, tmp_path):
    control(world, "/_world/users", {"username": USER[0], "password": USER[1], "projects": ["dup"]})
    wheel = make_wheel(tmp_path, "dup", "1.0")
    r = post_upload(world, wheel, "dup", "1.0", USER)
    assert r.status_code == 200 and r.text == ""
    r = post_upload(world, wheel, "dup", "1.0", USER)
    assert r.status_code == 200  # identical file: no-op success
    changed = make_wheel(sub(tmp_path, "1"), "dup", "1.0", payload=b"VALUE = 2\n")
    b2 = hashlib.blake2b(changed.read_bytes(), digest_size=32).hexdigest()
    r = post_upload(world, changed, "dup", "1.0", USER)
    assert_error(r, 400, f"File already exists ('{wheel.name}', with blake2_256 hash '{b2}'). "
                         f"See {HELP}#file-name-reuse for more information.")
    # twine 7 against a non-PyPI URL: plain failure on the different file
    p = twine(world, "-u", USER[0], "-p", USER[1], files=[changed])
    assert p.returncode != 0 and "File already exists" in p.stdout + p.stderr
    assert len(state(world)["files"]) == 1
    assert state(world)["uploadAttempts"][wheel.name] == 4


def test_upload_validation(world, tmp_path):
    control(world, "/_world/users", {"username": USER[0], "password": USER[1], "projects": ["val"]})
    control(world, "/_world/users", {"username": "mallory", "password": "pw", "projects": []})
    w = make_wheel(tmp_path, "val", "1.0")
    cm = "See https://packaging.python.org/specifications/core-metadata for more information."
    assert_error(post_upload(world, w, "val", "1.0", ("alice", "wrong")), 403,
                 f"Invalid or non-existent authentication information. See {HELP}#invalid-auth for more information.")
    assert_error(post_upload(world, w, "val", "1.0", USER, protocol_version="2"), 400, "Unknown protocol version.")
    assert_error(post_upload(world, w, "val", "1.0", USER, filetype="bdist_egg"), 400,
                 "Invalid value for filetype. Error: Use a known file type.")
    assert_error(post_upload(world, w, "val", "1.0", USER, pyversion=None), 400,
                 "Invalid value for pyversion. Error: Python version is required for binary distribution uploads.")
    assert_error(post_upload(world, w, "val", "1.0", USER, sha256_digest=None, blake2_256_digest=None), 400,
                 "Error: Include at least one message digest.")
    assert_error(post_upload(world, w, "val", "1.0", USER, sha256_digest="zz"), 400,
                 "Invalid value for sha256_digest. Error: Use a valid, hex-encoded, SHA256 message digest.")
    assert_error(post_upload(world, w, "-bad-", "1.0", USER), 400,
                 "'-bad-' is an invalid value for Name. Error: Start and end with a letter or numeral containing "
                 f"only ASCII numeric and '.', '_' and '-'. {cm}")
    assert_error(post_upload(world, w, "val", "1.0", USER, blake2_256_digest="0" * 64), 400,
                 "The digest supplied does not match a digest calculated from the uploaded file.")
    r = post_upload(world, w, "val", "1.0", USER, metadata_version="2.0")
    assert r.status_code == 400 and r.text.startswith("'2.0' is not a valid metadata version") and r.text.endswith(cm)
    r = post_upload(world, w, "val", "1.0+local", USER)
    assert r.status_code == 400 and "The use of local versions in '1.0+local' is not allowed." in r.text
    assert_error(post_upload(world, w, "val", "1.0", USER, classifiers="Not :: A :: Classifier"), 400,
                 f"'Not :: A :: Classifier' is not a valid classifier. {cm}")
    assert_error(post_upload(world, w, "val", "1.0", USER, description="Title\n===\n\n.. broken::\n"), 400,
                 "The description failed to render in the default format of reStructuredText. "
                 f"See {HELP}#description-content-type for more information.")
    r = post_upload(world, w, "val", "1.0", USER, description="# Hi\n", description_content_type="text/markdown")
    assert r.status_code == 200, r.text
    r = post_upload(world, w, "val", "1.0", ("mallory", "pw"))
    assert_error(r, 403, f"The user 'mallory' isn't allowed to upload to project 'val'. See {HELP}#project-name "
                         "for more information.")
    # filename rules
    bad_sdist = make_sdist(tmp_path, "val", "1.0", filename="Val-1.0.tar.gz")
    assert_error(post_upload(world, bad_sdist, "val", "1.0", USER), 400,
                 "Filename 'Val-1.0.tar.gz' is invalid, should be 'val-1.0.tar.gz'.")
    assert_error(post_upload(world, w, "val", "1.0", USER, filetype="sdist", pyversion="source"), 400,
                 "Invalid file extension: Extension .whl is invalid for filetype sdist. "
                 "See https://www.python.org/dev/peps/pep-0527 for more information.")
    plat = make_wheel(tmp_path, "val", "1.1", tag="py3-none-linux_x86_64")
    assert_error(post_upload(world, plat, "val", "1.1", USER), 400,
                 f"Binary wheel '{plat.name}' has an unsupported platform tag 'linux_x86_64'.")
    norecord = make_wheel(sub(tmp_path, "2"), "val", "1.2", record=False)
    assert_error(post_upload(world, norecord, "val", "1.2", USER), 400,
                 f"Wheel '{norecord.name}' does not contain the required RECORD file: val-1.2.dist-info/RECORD")
    w2 = make_wheel(tmp_path, "val", "1.5")
    assert_error(post_upload(world, w2, "val", "1.3", USER), 400, "Version in filename should be '1.3' not '1.5'.")
    assert_error(post_upload(world, w, "val", "1.0", USER, content_type="image/png"), 400,
                 "Invalid distribution file.")
    garbage = tmp_path / "val-1.4.tar.gz"
    garbage.write_bytes(b"not a tarball")
    assert_error(post_upload(world, garbage, "val", "1.4", USER), 400,
                 "Invalid distribution file. File is not a tarfile")
    # one sdist per release
    s1 = make_sdist(tmp_path, "val", "1.0")
    assert post_upload(world, s1, "val", "1.0", USER).status_code == 200
    s2 = make_sdist(sub(tmp_path, "3"), "val", "1.0", filename="val-1.0.zip")
    r = post_upload(world, s2, "val", "1.0", USER)
    assert_error(r, 400, "Only one sdist may be uploaded per release.")
    # JSON error rendering
    r = post_upload(world, w, "val", "1.0", USER, protocol_version="3", headers={"Accept": "application/json"})
    assert r.status_code == 400 and r.json() == {"message": "Unknown protocol version.",
                                                 "code": "400 Unknown protocol version.", "title": "Bad Request"}


def test_size_limit_routes_and_actions(world, tmp_path):
    control(world, "/_world/users", {"username": USER[0], "password": USER[1], "projects": []})
    control(world, "/_world/projects", {"name": "big", "upload_limit": 1024})
    control(world, "/_world/users", {"username": USER[0], "password": USER[1], "projects": ["big"]})
    w = make_wheel(tmp_path, "big", "1.0", payload=os.urandom(4096))
    assert_error(post_upload(world, w, "big", "1.0", USER), 400,
                 "File too large. Limit for project 'big' is 0 MB. See https://docs.pypi.org/project-management/"
                 "storage-limits#requesting-a-file-size-limit-increase for more information.")
    control(world, "/_world/projects", {"name": "big", "upload_limit": 1 << 20})
    assert post_upload(world, w, "big", "1.0", USER).status_code == 200
    r = requests.post(world.url + "/legacy", data={":action": "file_upload"}, allow_redirects=False)
    assert r.status_code == 308 and r.headers["Location"] == "/legacy/"
    assert r.reason == "An upload was attempted to /legacy but the expected upload URL is /legacy/ (with a trailing slash)"
    r = requests.post(world.url + "/legacy/", files={"x": ("a", b"b")}, data={":action": "submit"})
    assert r.status_code == 410 and r.text.startswith("Project pre-registration is no longer required")
    r = requests.post(world.url + "/legacy/", files={"x": ("a", b"b")}, data={":action": "doc_upload"})
    assert r.status_code == 410
    r = requests.post(world.url + "/legacy/", data={":action": "file_upload", "name": "x"},
                      files={"version": ("v", b"1.0"), "content": ("x.whl", b"x")}, auth=USER)
    assert_error(r, 400, "version: Should not be a tuple.")


def test_attestation_rejections(world, issuer, tmp_path):
    control(world, "/_world/users", {"username": USER[0], "password": USER[1], "projects": ["sampleproject"]})
    control(world, "/_world/publishers", PUB)
    w = make_wheel(tmp_path, "sampleproject", "3.0")
    att = fake_attestation()
    prefix = "Invalid attestations supplied during upload: "
    r = post_upload(world, w, "sampleproject", "3.0", USER, attestations=json.dumps([att]))
    assert_error(r, 400, prefix + "Attestations are only supported when using Trusted Publishing")
    token = mint(world, issuer).json()["token"]
    tp = ("__token__", token)
    r = post_upload(world, w, "sampleproject", "3.0", tp, attestations=json.dumps([att] * 3))
    assert_error(r, 400, prefix + "A maximum of 2 attestations per file are supported")
    r = post_upload(world, w, "sampleproject", "3.0", tp, attestations="[]")
    assert_error(r, 400, prefix + "Malformed attestations: an empty attestation set is not permitted")
    r = post_upload(world, w, "sampleproject", "3.0", tp, attestations='[{"version": 2}]')
    assert r.status_code == 400 and r.text.startswith(prefix + "Malformed attestations: ")
    # well-formed but not verifiable (garbage certificate) → rejected through Attestation.verify
    r = post_upload(world, w, "sampleproject", "3.0", tp, attestations=json.dumps([att]))
    assert_error(r, 400, prefix + "Unknown error while trying to verify included attestations: "
                                  "invalid X.509 certificate")
    # a parseable (self-signed) certificate reaches sigstore's Verifier, which must be the patched
    # production verifier over DIR/trusted_root.json (no TUF refresh, no network): chain failure.
    r = post_upload(world, w, "sampleproject", "3.0", tp, attestations=json.dumps([self_signed_attestation()]))
    assert r.status_code == 400, r.text
    assert r.text.startswith(prefix + "Could not verify the uploaded artifact using the included attestation: "), r.text
    assert "TUF" not in r.text, r.text
    assert state(world)["files"] == []


def fake_attestation():
    import base64
    b = lambda x: base64.b64encode(x).decode()  # noqa: E731
    return {"version": 1,
            "verification_material": {"certificate": b(b"not a certificate"), "transparency_entries": [{
                "logIndex": "1", "logId": {"keyId": b(b"k")}, "kindVersion": {"kind": "dsse", "version": "0.0.1"},
                "integratedTime": "1", "inclusionPromise": {"signedEntryTimestamp": b(b"s")},
                "inclusionProof": {"logIndex": "1", "rootHash": b(b"r"), "treeSize": "2", "hashes": [b(b"h")],
                                   "checkpoint": {"envelope": "x"}},
                "canonicalizedBody": b(b"{}")}]},
            "envelope": {"statement": b(b"{}"), "signature": b(b"sig")}}


def test_faults_and_latency(world, tmp_path):
    control(world, "/_world/users", {"username": USER[0], "password": USER[1], "projects": ["flaky"]})
    w = make_wheel(tmp_path, "flaky", "1.0")
    control(world, "/_world/faults", {"method": "POST", "path": "/legacy/", "count": 2, "status": 503,
                                      "retryAfter": 1})
    r = post_upload(world, w, "flaky", "1.0", USER)
    assert r.status_code == 503 and r.headers["Retry-After"] == "1"
    assert post_upload(world, w, "flaky", "1.0", USER).status_code == 503
    assert post_upload(world, w, "flaky", "1.0", USER).status_code == 200
    assert state(world)["uploadAttempts"] == {w.name: 3}
    control(world, "/_world/faults", {"method": "GET", "path": "/simple/*", "count": 1, "drop": True})
    try:
        requests.get(world.url + "/simple/flaky/", timeout=10)
        raise AssertionError("expected a dropped connection")
    except requests.ConnectionError:
        pass
    control(world, "/_world/faults", {"method": "GET", "path": "/simple/flaky/", "count": 1, "truncate": True})
    try:
        requests.get(world.url + "/simple/flaky/", timeout=10)
        raise AssertionError("expected a truncated body")
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
        pass
    assert requests.get(world.url + "/simple/flaky/").status_code == 200
    control(world, "/_world/faults", {"method": "GET", "path": "/simple/*", "count": 5, "status": 500})
    control(world, "/_world/faults", {}, method="DELETE")
    assert requests.get(world.url + "/simple/flaky/").status_code == 200
    r = requests.post(world.url + "/_world/faults", json={"method": "GET", "path": "/x", "count": 101})
    assert r.status_code == 400
    r = requests.post(world.url + "/_world/faults", json={"method": "GET", "path": "/x", "count": 1,
                                                          "delayMs": 30001})
    assert r.status_code == 400
    control(world, "/_world/latency", {"ms": 50})
    import time
    t0 = time.monotonic()
    requests.get(world.url + "/simple/flaky/")
    assert time.monotonic() - t0 >= 0.05
    control(world, "/_world/latency", {"ms": 0})


def test_classifiers_of_a_newer_trove_classifiers_release(world, tmp_path):
    """The list warehouse serves is what it accepts; a classifier released after the installed copy is
    refused until PyPI has it (POST /_world/classifiers), then accepted and listed."""
    newer = "Framework :: Example :: 9"
    r = requests.get(world.url + "/pypi", params={":action": "list_classifiers"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/plain; charset=utf-8"
    listed = r.text.split("\n")
    assert "Development Status :: 5 - Production/Stable" in listed and "Natural Language :: Ukrainian" in listed
    assert "Natural Language :: Ukranian" not in listed and newer not in listed  # deprecated ones are not listed
    assert requests.get(world.url + "/pypi", params={":action": "search"}).status_code == 404
    control(world, "/_world/users", {"username": USER[0], "password": USER[1], "projects": []})
    w = make_wheel(tmp_path, "newclassifier", "1.0")
    message = (f"'{newer}' is not a valid classifier. "
               "See https://packaging.python.org/specifications/core-metadata for more information.")
    assert_error(post_upload(world, w, "newclassifier", "1.0", USER, classifiers=newer), 400, message)
    control(world, "/_world/classifiers", {"add": [newer]})
    assert newer in requests.get(world.url + "/pypi?%3Aaction=list_classifiers").text.split("\n")
    assert post_upload(world, w, "newclassifier", "1.0", USER, classifiers=newer).status_code == 200
    assert requests.post(world.url + "/_world/classifiers", json={"add": [" padded"]}).status_code == 400
    control(world, "/_world/reset", {})
    assert newer not in requests.get(world.url + "/pypi?%3Aaction=list_classifiers").text.split("\n")


def stats(world):
    return requests.get(world.url + "/_world/stats").json()


def test_a_delay_only_fault_on_an_upload_then_stores_it(world, tmp_path):
    """A fault with only delayMs slows the answer; the upload is handled as without it (the bench's slow index)."""
    control(world, "/_world/users", {"username": USER[0], "password": USER[1], "projects": []})
    w = make_wheel(tmp_path, "slowupload", "1.0")
    control(world, "/_world/faults", {"method": "POST", "path": "/legacy/", "count": 1, "delayMs": 200})
    import time
    t0 = time.monotonic()
    r = post_upload(world, w, "slowupload", "1.0", USER)
    assert r.status_code == 200, r.text
    assert time.monotonic() - t0 >= 0.2
    assert [f["filename"] for f in state(world)["files"]] == [w.name]
    assert stats(world)["faults"]["fired"] == 1 and stats(world)["faults"]["pending"] == 0


def test_fault_paths_match_as_in_the_typescript_world(world):
    """Exact path, route template name, or a prefix ending in "*"; a bare prefix no longer matches."""
    control(world, "/_world/projects", {"name": "flaky"})
    control(world, "/_world/faults", {"method": "GET", "path": "/simple/", "count": 1, "status": 503})
    assert requests.get(world.url + "/simple/flaky/").status_code == 200
    assert stats(world)["faults"] == {"fired": 0, "pending": 1, "streamedBytes": 0, "streamedMaxBytes": 0}
    assert requests.get(world.url + "/simple/").status_code == 503
    control(world, "/_world/faults", {"method": "GET", "path": "/simple/{project}/", "count": 1, "status": 502})
    assert requests.get(world.url + "/simple/").status_code == 200
    assert requests.get(world.url + "/simple/flaky/").status_code == 502
    control(world, "/_world/faults", {"path": "/_/oidc/*", "count": 2, "status": 500})
    assert requests.get(world.url + "/_/oidc/audience").status_code == 500
    assert requests.post(world.url + "/_/oidc/mint-token", json={}).status_code == 500
    assert requests.get(world.url + "/_/oidc/audience").status_code == 200
    assert stats(world)["faults"] == {"fired": 4, "pending": 0, "streamedBytes": 0, "streamedMaxBytes": 0}


def test_stats_have_the_typescript_world_shape(world, tmp_path):
    control(world, "/_world/users", {"username": USER[0], "password": USER[1], "projects": ["counted"]})
    w = make_wheel(tmp_path, "counted", "1.0")
    control(world, "/_world/faults", {"method": "POST", "path": "/legacy/", "count": 1, "status": 503})
    assert post_upload(world, w, "counted", "1.0", USER).status_code == 503
    assert post_upload(world, w, "counted", "1.0", USER).status_code == 200
    requests.get(world.url + "/simple/counted/")
    requests.get(world.url + "/simple/other/")
    control(world, "/_world/faults", {"path": "/never", "count": 1, "status": 500})
    st = stats(world)
    assert st == {"requests": {"POST /legacy/": 2, "GET /simple/{project}/": 2},
                  "peak": {"POST /legacy/": 1, "GET /simple/{project}/": 1},
                  "faults": {"fired": 1, "pending": 1, "streamedBytes": 0, "streamedMaxBytes": 0}}
    r = requests.delete(world.url + "/_world/stats")
    assert r.status_code == 200
    assert stats(world) == {"requests": {}, "peak": {}, "faults": {"fired": 0, "pending": 1, "streamedBytes": 0, "streamedMaxBytes": 0}}


def self_signed_attestation():
    import base64
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(minutes=10))
            .sign(key, hashes.SHA256()))
    att = fake_attestation()
    att["verification_material"]["certificate"] = base64.b64encode(
        cert.public_bytes(serialization.Encoding.DER)).decode()
    return att


def test_hostile_faults_echo_the_credential_in_body_reason_and_headers(world, tmp_path):
    """As the TypeScript world's (test/world/hostile.ts): Basic auth's password, encoded as asked."""
    password = "pa/ss\"w&rd-0123456789"
    control(world, "/_world/users", {"username": "echoed", "password": password, "projects": ["echoed"]})
    w = make_wheel(tmp_path, "echoed", "1.0")
    control(world, "/_world/faults", {"method": "POST", "path": "/legacy/", "count": 1, "status": 403, "echo": "json",
                                       "reason": "bad {{secret}}", "body": '{"message":"you sent {{secret}}"}',
                                       "headers": {"Location": "/x/{{secret}}/"}})
    r = post_upload(world, w, "echoed", "1.0", ("echoed", password))
    assert r.status_code == 403
    assert r.json()["message"] == "you sent " + password
    assert "\\/" in r.text, "written with JSON's \\/ escape"
    assert r.reason == "bad " + json.dumps(password)[1:-1].replace("/", "\\/")
    assert r.headers["Location"].startswith("/x/pa\\/ss")


def test_hostile_faults_endless_body_is_counted(world):
    control(world, "/_world/faults", {"method": "GET", "path": "/_/oidc/audience", "count": 1, "endless": True})
    with requests.get(world.url + "/_/oidc/audience", stream=True) as r:
        got = 0
        for chunk in r.iter_content(65536):
            got += len(chunk)
            if got >= 1 << 20:
                break
    # The count lands once the server sees the client go: ask until it does (bounded).
    for _ in range(500):
        if stats(world)["faults"]["streamedBytes"] >= got:
            break
    assert stats(world)["faults"]["streamedBytes"] >= got
    with pytest.raises(AssertionError):
        control(world, "/_world/faults", {"path": "/x", "count": 1, "status": 500, "echo": "rot13", "body": "{{secret}}"})
