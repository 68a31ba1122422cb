"""Fixtures: a self-made RS256 JWKS served on loopback, the stand-in as a subprocess, dist builders."""

import base64
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import threading
import time
import uuid
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

HERE = Path(__file__).resolve().parent
SERVER = HERE.parent / "server.py"
REPO = HERE.parents[3]
VENV_BIN = Path(sys.executable).parent
ISSUER = "https://token.actions.githubusercontent.com"

DEFAULT_CLAIMS = {
    "repository": "octo-org/sampleproject",
    "repository_owner": "octo-org",
    "repository_owner_id": "1001",
    "repository_id": "2002",
    "workflow_ref": "octo-org/sampleproject/.github/workflows/release.yml@refs/tags/v1.0.0",
    "job_workflow_ref": "octo-org/sampleproject/.github/workflows/release.yml@refs/tags/v1.0.0",
    "ref": "refs/tags/v1.0.0",
    "sha": "0123456789abcdef0123456789abcdef01234567",
    "event_name": "push",
    "sub": "repo:octo-org/sampleproject:ref:refs/tags/v1.0.0",
    "actor": "octocat",
    "run_id": "1",
    "runner_environment": "github-hosted",
}


def overridden(base, overrides):
    """A copy of `base` with each override set, or removed where its value is None."""
    result = dict(base)
    for k, v in overrides.items():
        if v is None:
            result.pop(k, None)
        else:
            result[k] = v
    return result


class Issuer:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        self.jwks = json.dumps({"keys": [jwk]}).encode()

    def sign(self, claims):
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def token(self, aud="pypi", now=None, **overrides):
        now = int(time.time()) if now is None else now
        claims = dict(DEFAULT_CLAIMS, iss=ISSUER, aud=aud, iat=now, nbf=now, exp=now + 300, jti=str(uuid.uuid4()))
        return self.sign(overridden(claims, overrides))


@pytest.fixture(scope="session")
def issuer():
    iss = Issuer()

    class H(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(iss.jwks)))
            self.end_headers()
            self.wfile.write(iss.jwks)

        def log_message(self, *a):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    iss.jwks_url = f"http://127.0.0.1:{httpd.server_address[1]}/.well-known/jwks"
    yield iss
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def server(issuer, tmp_path_factory):
    d = tmp_path_factory.mktemp("pypi")
    # Any valid trust root makes the attestation path run the real sigstore Verifier (the world writes its own).
    import shutil
    import sigstore
    shutil.copy(Path(sigstore.__file__).parent / "_store" / "https%3A%2F%2Ftuf-repo-cdn.sigstore.dev" /
                "trusted_root.json", d / "trusted_root.json")
    proc = subprocess.Popen(
        [sys.executable, str(SERVER), "--port", "0", "--dir", str(d), "--jwks-url", issuer.jwks_url,
         "--issuer", ISSUER, "--gitlab-jwks-url", issuer.jwks_url], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # the server prints exactly one line when ready
        assert line.startswith("listening http://127.0.0.1:"), line
        url = line.split()[1]
        yield type("S", (), {"url": url, "dir": d, "proc": proc})
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        assert rc == 0


@pytest.fixture()
def world(server):
    r = requests.post(server.url + "/_world/reset", json={})
    r.raise_for_status()
    return server


def control(world, path, body, method="POST"):
    r = requests.request(method, world.url + path, json=body, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def normalize(name):
    import re
    return re.sub(r"[-_.]+", "_", name).lower()


def make_wheel(directory, name, version, *, metadata_extra="", metadata_version="2.1", tag="py3-none-any",
               record=True, payload=b"VALUE = 1\n", dist_name=None):
    dist = dist_name or f"{normalize(name)}-{version}"
    filename = f"{dist}-{tag}.whl"
    info = f"{dist}.dist-info"
    files = {
        f"{normalize(name)}/__init__.py": payload,
        f"{info}/METADATA": (f"Metadata-Version: {metadata_version}\nName: {name}\nVersion: {version}\n"
                             f"Summary: A tiny test package\n{metadata_extra}\n").encode(),
        f"{info}/WHEEL": f"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: {tag}\n".encode(),
    }
    lines = []
    for n, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{n},sha256={digest},{len(data)}")
    lines.append(f"{info}/RECORD,,")
    if record:
        files[f"{info}/RECORD"] = ("\n".join(lines) + "\n").encode()
    path = Path(directory) / filename
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in files.items():
            zf.writestr(n, data)
    return path


def make_sdist(directory, name, version, *, metadata_extra="", filename=None, payload=b"VALUE = 1\n"):
    top = f"{normalize(name)}-{version}"
    filename = filename or f"{top}.tar.gz"
    pkg_info = (f"Metadata-Version: 2.2\nName: {name}\nVersion: {version}\nSummary: A tiny test package\n"
                f"{metadata_extra}\n").encode()
    path = Path(directory) / filename
    with tarfile.open(path, "w:gz") as tf:
        for n, data in {f"{top}/PKG-INFO": pkg_info, f"{top}/src/{normalize(name)}/__init__.py": payload,
                        f"{top}/pyproject.toml": b"[project]\nname = 'x'\n"}.items():
            ti = tarfile.TarInfo(n)
            ti.size = len(data)
            ti.mtime = 0
            tf.addfile(ti, io.BytesIO(data))
    return path


def upload_fields(path, name, version, *, filetype=None, metadata_version="2.1", **extra):
    data = Path(path).read_bytes()
    filetype = filetype or ("bdist_wheel" if str(path).endswith(".whl") else "sdist")
    fields = overridden({
        ":action": "file_upload", "protocol_version": "1", "metadata_version": metadata_version,
        "name": name, "version": version, "filetype": filetype,
        "pyversion": "py3" if filetype == "bdist_wheel" else "source",
        "summary": "A tiny test package",
        "sha256_digest": hashlib.sha256(data).hexdigest(),
        "blake2_256_digest": hashlib.blake2b(data, digest_size=32).hexdigest(),
    }, extra)
    return fields, data


def post_upload(world, path, name, version, auth, *, content_type="application/octet-stream", filename=None,
                headers=None, **extra):
    fields, data = upload_fields(path, name, version, **extra)
    files = {"content": (filename or Path(path).name, data, content_type)}
    return requests.post(world.url + "/legacy/", data=fields, files=files, auth=auth, headers=headers or {},
                         timeout=30)


def mint(world, issuer, **claims):
    r = requests.post(world.url + "/_/oidc/mint-token", json={"token": issuer.token(**claims)}, timeout=10)
    return r
