#!/usr/bin/env python3
"""Local PyPI stand-in: Trusted Publishing exchange, legacy upload API with PEP 740 attestations,
simple index (PEP 503/691), Integrity API, the list of accepted classifiers, and the world's control endpoints.

  server.py --port 0 --dir DIR --jwks-url URL --issuer https://token.actions.githubusercontent.com
            [--gitlab-jwks-url URL --gitlab-issuer https://gitlab.com]
            [--audience pypi] [--trusted-root PATH]
"""

import argparse
import base64
import hashlib
import html
import json
import os
import signal
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import standin  # noqa: E402,F401  (first: puts warehouse's pins of packaging & co on the path)
from packaging.utils import canonicalize_name  # noqa: E402

from standin import multipart, oidc, oidc_gitlab, upload  # noqa: E402
from standin import faults  # noqa: E402
from standin.faults import Faults, RequestStats, reset_stats, route_name, stats_json  # noqa: E402
from standin.store import Store  # noqa: E402

STATUS_TITLES = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
                 406: "Not Acceptable", 410: "Gone", 413: "Payload Too Large", 422: "Unprocessable Entity",
                 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
                 503: "Service Unavailable", 504: "Gateway Timeout", 308: "Permanent Redirect"}
MAX_JSON_BODY = 4 << 20
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
SIMPLE_HTML = "application/vnd.pypi.simple.v1+html"


class SpoolSink:
    """Receives the `content` part: written to a temp file while hashing (bounded memory)."""

    def __init__(self, tmpdir, name, filename, content_type):
        self.name, self.filename, self.content_type = name, filename, content_type
        fd, self.path = tempfile.mkstemp(dir=tmpdir, prefix="upload-")
        self.fp = os.fdopen(fd, "wb", buffering=0)
        self.size = 0
        self.sha256 = hashlib.sha256()
        self.blake2 = hashlib.blake2b(digest_size=32)
        self.moved = False

    def write(self, data):
        if not data:
            return
        self.size += len(data)
        if self.size <= upload.HARD_CAP:
            self.fp.write(data)
            self.sha256.update(data)
            self.blake2.update(data)

    def close(self):
        self.fp.close()

    def hexdigests(self, want_md5=False):
        d = {"sha256": self.sha256.hexdigest(), "blake2_256": self.blake2.hexdigest()}
        if want_md5:
            md5 = hashlib.md5(usedforsecurity=False)
            with open(self.path, "rb") as fp:
                for chunk in iter(lambda: fp.read(1 << 20), b""):
                    md5.update(chunk)
            d["md5"] = md5.hexdigest()
        return d

    def move_to(self, dest):
        os.replace(self.path, dest)
        self.moved = True

    def discard(self):
        if not self.moved:
            try:
                os.unlink(self.path)
            except OSError:
                pass


class NullSink:
    def __init__(self, name, filename, content_type):
        self.name, self.filename, self.content_type = name, filename, content_type

    def write(self, data):
        pass

    def close(self):
        pass

    def discard(self):
        pass


class App:
    def __init__(self, args):
        self.args = args
        self.dir = os.path.abspath(args.dir)
        os.makedirs(self.dir, exist_ok=True)
        self.tmpdir = os.path.join(self.dir, "tmp")
        os.makedirs(self.tmpdir, exist_ok=True)
        self.store = Store(self.dir)
        self.keys = oidc.Keys(args.jwks_url)
        # GitLab's issuer, trusted beside GitHub's when the world runs one (warehouse trusts both).
        self.other_issuers = ({args.gitlab_issuer: (oidc.Keys(args.gitlab_jwks_url), oidc_gitlab.find_publisher)}
                              if args.gitlab_jwks_url else {})
        self.faults = Faults()
        self.stats = RequestStats()
        self.trusted_root = args.trusted_root or os.path.join(self.dir, "trusted_root.json")
        self._patch_sigstore()

    def _patch_sigstore(self):
        """Redirect sigstore-python's production verifier to the world's trust root, so that
        pypi-attestations' Attestation.verify runs unmodified against the local Sigstore."""
        from sigstore.models import TrustedRoot
        from sigstore.verify import Verifier

        app = self
        cache = {}
        lock = threading.Lock()

        def production(cls, *, offline=False):
            # One Verifier per trust root, as a long-running PyPI worker keeps one: building it parses
            # every key and certificate of the root, which cost more than the verification itself.
            # It holds no per-verification state, so the request threads share it.
            path = app.trusted_root
            mtime = os.stat(path).st_mtime
            with lock:
                if cache.get("key") != (path, mtime, cls):
                    cache["verifier"] = cls(trusted_root=TrustedRoot.from_file(path))
                    cache["key"] = (path, mtime, cls)
                return cache["verifier"]

        Verifier.production = classmethod(production)

    def verify_attestations(self, identity, raw, filename, sha256):
        from pypi_attestations import GitHubPublisher, GitLabPublisher

        def factory(pub):
            # warehouse's GitLabPublisher.attestation_identity
            if pub["kind"] == "gitlab":
                return GitLabPublisher(repository=f"{pub['repository_owner']}/{pub['repository_name']}",
                                       workflow_filepath=pub["workflow_filename"],
                                       environment=pub["environment"] or None)
            return GitHubPublisher(repository=f"{pub['repository_owner']}/{pub['repository_name']}",
                                   workflow=pub["workflow_filename"], environment=pub["environment"] or None)

        return upload.verify_attestations(identity, raw, filename, sha256, factory)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes; with Nagle on, the body waited for the client's delayed
    # ACK of the headers (40 ms on the mint endpoint). A real index behind a real server does not.
    disable_nagle_algorithm = True
    server_version = "pypi-standin/1"
    app: App = None

    def log_message(self, fmt, *args):  # quiet; the world keeps its own logs
        if os.environ.get("PYPI_STANDIN_VERBOSE"):
            sys.stderr.write("pypi-standin: " + (fmt % args) + "\n")

    # ------------------------------------------------------------------ plumbing
    def _reader(self):
        if getattr(self, "_body_reader", None) is None:
            te = (self.headers.get("Transfer-Encoding") or "").lower()
            if "chunked" in te:
                self._body_reader = multipart.BodyReader(self.rfile, chunked=True)
            else:
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                except ValueError:
                    length = 0
                self._body_reader = multipart.BodyReader(self.rfile, length=length)
        return self._body_reader

    def read_body(self, limit=MAX_JSON_BODY):
        r = self._reader()
        parts, n = [], 0
        while True:
            d = r.read()
            if not d:
                break
            n += len(d)
            if n > limit:
                self.close_connection = True
                raise ValueError("request body too large")
            parts.append(d)
        return b"".join(parts)

    def hang_up(self):
        """Close the connection mid-exchange, as a proxy that drops it would."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def finish_body(self):
        r = self._reader()
        if not r.done:
            try:
                r.drain()
            except Exception:
                self.close_connection = True

    def send(self, status, body=b"", ctype="text/plain; charset=utf-8", reason=None, headers=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        if reason is not None:
            reason = reason.replace("\r", " ").replace("\n", " ").encode("latin-1", "replace").decode("latin-1")
        self.finish_body()
        self.send_response(status, reason)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        # The request stops counting as in flight before its answer can reach the client: a client
        # that sends its next request on a new connection must never be counted twice at once.
        self.release_in_flight()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def release_in_flight(self):
        key, self._in_flight_key = getattr(self, "_in_flight_key", None), None
        if key is not None:
            self.app.stats.leave(key)

    def send_json(self, status, obj, headers=None):
        self.send(status, json.dumps(obj), "application/json", headers=headers)

    def send_error_message(self, status, message, headers=None):
        """warehouse's _exc_with_message: reason phrase = message; body = message (or JSON)."""
        accept = self.headers.get("Accept") or ""
        if "json" in accept:
            body = json.dumps({"message": message, "code": f"{status} {message}",
                               "title": STATUS_TITLES.get(status, "Error")})
            self.send(status, body, "application/json", reason=message, headers=headers)
        else:
            self.send(status, message, reason=message, headers=headers)

    # ------------------------------------------------------------------ dispatch
    def do_GET(self):
        self.dispatch("GET")

    def do_HEAD(self):
        self.dispatch("HEAD")

    def do_POST(self):
        self.dispatch("POST")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def do_PUT(self):
        self.dispatch("PUT")

    def dispatch(self, method):
        self._body_reader = None
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        self.query = urllib.parse.parse_qs(url.query)
        try:
            if path.startswith("/_world/"):
                return self.control(method, path)
            app = self.app
            key = f"{method} {route_name(path)}"
            app.stats.enter(key)
            self._in_flight_key = key
            try:
                if app.faults.latency_ms:
                    time.sleep(app.faults.latency_ms / 1000)
                fault = app.faults.take(method, path)
                if fault is not None and self.apply_fault(fault, path):
                    return
                self.route(method, path)
            finally:
                self.release_in_flight()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:  # pragma: no cover - surfaced to the client for debugging
            import traceback
            traceback.print_exc()
            self.close_connection = True
            try:
                self.send(500, f"internal error: {e}", reason="Internal Server Error")
            except Exception:
                pass

    def apply_fault(self, f, path):
        """Returns True when the fault produced the response."""
        if not (f["drop"] or f["truncate"] or f["status"] or f.get("endless") or f.get("dripMs") or f.get("echo")):
            # A delay only: the request is then handled normally, so its body must stay unread.
            time.sleep(f["delayMs"] / 1000)
            return False
        body = b""
        if path.startswith("/legacy"):
            self.count_attempt_from_body()
        elif f.get("echo"):
            body = self.read_body()
        else:
            self.finish_body()
        if f.get("endless") or f.get("dripMs"):
            self.send_stream(f["status"] or 200, f.get("dripMs"))
            return True
        if f.get("echo"):
            own = faults.credential_of(self.headers, body)
            issued = self.app.store.issued_secrets()
            secrets = [own] if own else issued[max(1, f["journalledBefore"]):][::-1] + issued[:1]
            f = dict(f, body=faults.fill_echo(f["body"], f["echo"], secrets),
                     headers={k: faults.fill_echo(v, f["echo"], secrets) for k, v in f["headers"].items()},
                     reason=faults.fill_echo(f["reason"], f["echo"], secrets) if f.get("reason") else None)
        if f["delayMs"]:
            time.sleep(f["delayMs"] / 1000)
        if f["drop"]:
            self.hang_up()
            return True
        if f["truncate"]:
            status = f["status"] or 200
            body = (f["body"] if isinstance(f["body"], str) else "partial response body").encode()
            self.close_connection = True
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body) + 1024))
            self.end_headers()
            self.wfile.write(body[: max(1, len(body) // 2)])
            self.wfile.flush()
            self.hang_up()
            return True
        if f["status"]:
            status = f["status"]
            headers = dict(f.get("headers") or {})
            if f["retryAfter"] is not None:
                headers["Retry-After"] = str(f["retryAfter"])
            body = f["body"]
            reason = f.get("reason") or STATUS_TITLES.get(status)
            if isinstance(body, (dict, list)):
                self.send(status, json.dumps(body), "application/json", reason=reason, headers=headers)
            else:
                message = body if isinstance(body, str) else f"{status} {STATUS_TITLES.get(status, 'Injected fault')}"
                ctype = "application/json" if message.lstrip().startswith(("{", "[")) else "text/plain; charset=utf-8"
                self.send(status, message, ctype, reason=reason, headers=headers)
            return True
        return False  # delay only: handle normally

    def send_stream(self, status, drip_ms):
        """A body that never ends (or one byte every drip_ms), until the client goes away or the cap."""
        self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        chunk = b"x" * (1 if drip_ms else 65536)
        until = time.monotonic() + faults.STREAM_CAP_S
        sent = 0
        try:
            while time.monotonic() < until:
                self.wfile.write(chunk)
                self.wfile.flush()
                sent += len(chunk)
                if drip_ms:
                    time.sleep(drip_ms / 1000)
        except OSError:
            pass
        finally:
            self.app.faults.add_streamed(sent)
            self.hang_up()

    def count_attempt_from_body(self):
        boundary = multipart.boundary_of(self.headers.get("Content-Type"))
        if not boundary:
            return self.finish_body()
        try:
            _, files = multipart.parse(self._reader(), boundary, lambda n, fn, ct: NullSink(n, fn, ct))
            for name, sink in files:
                if name == "content" and sink.filename:
                    self.app.store.count_attempt(os.path.basename(sink.filename))
        except Exception:
            self.close_connection = True

    def route(self, method, path):
        if path == "/_/oidc/audience":
            if method not in ("GET", "HEAD"):
                return self.send(405, "Method Not Allowed")
            return self.send_json(200, {"audience": self.app.args.audience})
        if path in ("/_/oidc/mint-token", "/_/oidc/github/mint-token"):
            if method != "POST":
                return self.send(405, "Method Not Allowed")
            status, obj = oidc.mint(self.app.store, self.app.keys, self.read_body(), self.app.args.issuer,
                                    self.app.args.audience, self.app.other_issuers)
            return self.send_json(status, obj)
        if path == "/legacy":
            if method == "POST":
                self.close_connection = True  # we do not read a possibly large body
                msg = ("An upload was attempted to /legacy but the expected upload URL is /legacy/ "
                       "(with a trailing slash)")
                return self.send_error_message(308, msg, headers={"Location": "/legacy/"})
            return self.send(404, "Not Found")
        if path == "/legacy/":
            if method != "POST":
                return self.send(200, "PyPI stand-in upload API endpoint. POST multipart/form-data with :action=file_upload.\n")
            return self.legacy_upload()
        if path == "/simple/" and method in ("GET", "HEAD"):
            return self.simple_root()
        if path.startswith("/simple/") and method in ("GET", "HEAD"):
            return self.simple_detail(path[len("/simple/"):].strip("/"))
        if path.startswith("/files/") and method in ("GET", "HEAD"):
            return self.serve_file(path[len("/files/"):])
        if path.startswith("/integrity/") and method in ("GET", "HEAD"):
            return self.integrity(path)
        if path == "/pypi" and method in ("GET", "HEAD") and self.query.get(":action") == ["list_classifiers"]:
            # warehouse legacy.api.pypi.list_classifiers: the classifiers it accepts, one per line.
            return self.send(200, "\n".join(upload.listed_classifiers()))
        if path == "/" and method in ("GET", "HEAD"):
            return self.send(200, "PyPI stand-in\n")
        return self.send(404, "Not Found", reason="Not Found")

    # ------------------------------------------------------------------ upload
    def identity(self):
        store = self.app.store
        auth = self.headers.get("Authorization") or ""
        scheme, _, cred = auth.partition(" ")
        scheme = scheme.lower()
        cred = cred.strip()
        if scheme == "basic":
            try:
                user, _, password = base64.b64decode(cred).decode().partition(":")
            except Exception:
                return None
            if user == "__token__":
                return self.token_identity(password.strip())
            u = store.check_user(user, password)
            return upload.Identity(user=u) if u else None
        if scheme in ("token", "bearer"):
            return self.token_identity(cred)
        return None

    def token_identity(self, token):
        store = self.app.store
        row = store.find_token(token)
        if row is None:
            return None
        pub = store.q1("SELECT * FROM publishers WHERE id=?", row["publisher_id"])
        if pub is None:
            return None
        return upload.Identity(token=row, publisher=pub)

    def legacy_upload(self):
        app = self.app
        boundary = multipart.boundary_of(self.headers.get("Content-Type"))
        sinks = []

        def factory(name, filename, ctype):
            if name == "content" and not any(s.name == "content" for s in sinks if isinstance(s, SpoolSink)):
                s = SpoolSink(app.tmpdir, name, os.path.basename(filename or ""), ctype)
            else:
                s = NullSink(name, filename, ctype)
            sinks.append(s)
            return s

        try:
            if boundary:
                try:
                    fields, files = multipart.parse(self._reader(), boundary, factory)
                except multipart.MultipartError as e:
                    self.close_connection = True
                    return self.send_error_message(400, f"Invalid multipart body: {e}")
            else:
                body = self.read_body(limit=upload.HARD_CAP)
                fields = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
                files = []
            content = next((s for n, s in files if n == "content" and isinstance(s, SpoolSink)), None)
            if content is not None and content.filename:
                app.store.count_attempt(content.filename)
            pairs = list(fields)
            for k, v in self.query.items():
                if k == ":action":
                    pairs.extend((k, x) for x in v)
            form = upload.Form(upload.sanitize(pairs))
            action = form.last(":action")
            if action in ("submit", "submit_pkg_info"):
                return self.send_error_message(410, "Project pre-registration is no longer required or supported, "
                                                    "upload your files instead.")
            if action == "doc_upload":
                return self.send_error_message(410, "Uploading documentation is no longer supported, we recommend "
                                                    "using https://readthedocs.org/.")
            if action != "file_upload":
                return self.send(200, "PyPI stand-in upload API endpoint: unknown or missing :action.\n",
                                 ctype="text/html; charset=utf-8")
            for name, _sink in files:
                if name not in ("content", "gpg_signature"):
                    return self.send_error_message(400, f"{name}: Should not be a tuple.")
            identity = self.identity()
            if identity is None:
                return self.send_error_message(403, "Invalid or non-existent authentication information. "
                                                    "See https://pypi.org/help/#invalid-auth for more information.")
            try:
                status, body = upload.file_upload(app, identity, form, content)
            except upload.UploadError as e:
                return self.send_error_message(e.status, e.message)
            return self.send(status, body)
        finally:
            for s in sinks:
                s.discard()

    # ------------------------------------------------------------------ read APIs
    def base_url(self):
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
        return f"http://{host}"

    def simple_root(self):
        names = [r["normalized_name"] for r in self.app.store.q("SELECT normalized_name FROM projects ORDER BY 1")]
        if SIMPLE_JSON in (self.headers.get("Accept") or ""):
            return self.send(200, json.dumps({"meta": {"api-version": "1.4"},
                                              "projects": [{"name": n} for n in names]}), SIMPLE_JSON)
        links = "\n".join(f'    <a href="/simple/{n}/">{n}</a><br/>' for n in names)
        return self.send(200, f"<!DOCTYPE html>\n<html>\n  <body>\n{links}\n  </body>\n</html>\n",
                         "text/html; charset=utf-8")

    def simple_detail(self, name):
        store = self.app.store
        normalized = canonicalize_name(name)
        if name != normalized:
            return self.send(301, "", headers={"Location": f"/simple/{normalized}/"})
        project = store.project(normalized)
        if project is None:
            return self.send(404, "Not Found", reason="Not Found")
        rows = store.q("SELECT f.*, r.version, r.requires_python FROM files f JOIN releases r ON r.id=f.release_id "
                       "WHERE r.project_id=? ORDER BY f.filename", project["id"])
        versions = sorted({r["version"] for r in rows})
        base = self.base_url()
        files = []
        for r in rows:
            url = f"{base}/files/{r['path']}"
            prov = (f"{base}/integrity/{normalized}/{r['version']}/{r['filename']}/provenance"
                    if r["provenance"] else None)
            meta = {"sha256": r["metadata_sha256"]} if r["metadata_sha256"] else False
            files.append({"filename": r["filename"], "url": url, "hashes": {"sha256": r["sha256"]},
                          "requires-python": r["requires_python"], "core-metadata": meta,
                          "data-dist-info-metadata": meta, "size": r["size"],
                          "upload-time": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime(r["upload_time"])),
                          "yanked": False, "provenance": prov})
        accept = self.headers.get("Accept") or ""
        if SIMPLE_JSON in accept:
            obj = {"meta": {"api-version": "1.4", "_last-serial": len(rows)}, "name": normalized,
                   "versions": versions, "files": files}
            return self.send(200, json.dumps(obj), SIMPLE_JSON, headers={"Vary": "Accept"})
        lines = []
        for f in files:
            attrs = f'href="{html.escape(f["url"])}#sha256={f["hashes"]["sha256"]}"'
            if f["requires-python"]:
                attrs += f' data-requires-python="{html.escape(f["requires-python"])}"'
            if f["core-metadata"]:
                attrs += (f' data-dist-info-metadata="sha256={f["core-metadata"]["sha256"]}"'
                          f' data-core-metadata="sha256={f["core-metadata"]["sha256"]}"')
            if f["provenance"]:
                attrs += f' data-provenance="{html.escape(f["provenance"])}"'
            lines.append(f"    <a {attrs}>{html.escape(f['filename'])}</a><br />")
        body = ("<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"1.4\">\n"
                f"    <title>Links for {normalized}</title>\n  </head>\n  <body>\n    <h1>Links for {normalized}</h1>\n"
                + "\n".join(lines) + "\n  </body>\n</html>\n")
        return self.send(200, body, "text/html; charset=utf-8", headers={"Vary": "Accept"})

    def serve_file(self, rel):
        rel = urllib.parse.unquote(rel)
        store = self.app.store
        is_meta = rel.endswith(".metadata")
        row = store.q1("SELECT * FROM files WHERE path=?", rel[: -len(".metadata")] if is_meta else rel)
        if row is None or (is_meta and not row["metadata_sha256"]):
            return self.send(404, "Not Found", reason="Not Found")
        if is_meta:
            return self.send(200, bytes(row["metadata"]), "application/octet-stream")
        full = store.blob_path(row["blake2_256"])
        size = os.path.getsize(full)
        self.finish_body()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        if self.command == "HEAD":
            return
        with open(full, "rb") as fp:
            while True:
                chunk = fp.read(1 << 20)
                if not chunk:
                    break
                self.wfile.write(chunk)

    def integrity(self, path):
        parts = path.strip("/").split("/")
        if len(parts) != 5 or parts[4] != "provenance":
            return self.send(404, "Not Found", reason="Not Found")
        _, project, version, filename, _ = parts
        accept = self.headers.get("Accept") or ""
        ok_types = ("application/vnd.pypi.integrity.v1+json", "application/json", "*/*", "application/*")
        if accept and not any(t in accept for t in ok_types):
            return self.send_json(406, {"message": "Request not acceptable"})
        store = self.app.store
        row = store.q1("SELECT f.provenance FROM files f JOIN releases r ON r.id=f.release_id JOIN projects p "
                       "ON p.id=r.project_id WHERE p.normalized_name=? AND r.canonical_version=? AND f.filename=?",
                       canonicalize_name(project), _canonical_version(version), filename)
        if row is None or not row["provenance"]:
            return self.send_json(404, {"message": f"No provenance available for {filename}"})
        ctype = ("application/vnd.pypi.integrity.v1+json" if "vnd.pypi.integrity.v1+json" in accept
                 else "application/json")
        return self.send(200, row["provenance"], ctype, headers={"Vary": "Accept"})

    # ------------------------------------------------------------------ control
    def control(self, method, path):
        app = self.app
        store = app.store
        try:
            body = self.read_body() if method in ("POST", "PUT", "DELETE") else b""
            data = json.loads(body) if body.strip() else {}
            if not isinstance(data, dict):
                raise ValueError("expected a JSON object")
            if path == "/_world/state" and method == "GET":
                state = store.state()
                state["faults"] = [dict(f) for f in app.faults.items]
                state["latencyMs"] = app.faults.latency_ms
                return self.send_json(200, state)
            if path == "/_world/stats" and method == "GET":
                return self.send_json(200, stats_json(app.stats, app.faults))
            if path == "/_world/stats" and method == "DELETE":
                reset_stats(app.stats, app.faults)
                return self.send_json(200, {})
            if method != "POST" and not (path == "/_world/faults" and method == "DELETE"):
                return self.send_json(405, {"error": "method not allowed"})
            if path == "/_world/publishers" and data.get("kind") == "gitlab":
                # {kind: gitlab, project, repository: NAMESPACE/PROJECT, workflow_filepath, environment?}
                for k in ("project", "repository", "workflow_filepath"):
                    if not data.get(k):
                        raise ValueError(f"missing {k}")
                if "/" not in data["repository"]:
                    raise ValueError("repository must be namespace/project")
                pid = store.add_publisher(data["project"], data["repository"], "", data["workflow_filepath"],
                                          data.get("environment") or "", bool(data.get("pending")), kind="gitlab")
                return self.send_json(200, {"id": pid})
            if path == "/_world/publishers":
                for k in ("project", "repository", "repository_owner_id", "workflow_filename"):
                    if not data.get(k):
                        raise ValueError(f"missing {k}")
                if "/" not in data["repository"]:
                    raise ValueError("repository must be owner/name")
                pid = store.add_publisher(data["project"], data["repository"], str(data["repository_owner_id"]),
                                          data["workflow_filename"], data.get("environment") or "",
                                          bool(data.get("pending")))
                return self.send_json(200, {"id": pid})
            if path == "/_world/users":
                if not data.get("username") or not isinstance(data.get("password"), str):
                    raise ValueError("missing username/password")
                uid = store.add_user(data["username"], data["password"], data.get("projects") or [])
                return self.send_json(200, {"id": uid})
            if path == "/_world/projects":
                if not data.get("name") or not upload.PROJECT_NAME_RE.match(data["name"]):
                    raise ValueError("invalid project name")
                limit = data.get("upload_limit", data.get("uploadLimit"))
                if limit is not None and (not isinstance(limit, int) or limit < 1):
                    raise ValueError("upload_limit must be a positive integer (bytes)")
                p = store.ensure_project(data["name"], limit, set_limit="upload_limit" in data or "uploadLimit" in data)
                return self.send_json(200, {"name": p["name"], "upload_limit": p["upload_limit"]})
            if path == "/_world/classifiers":
                # {add: [classifier, ...]}: classifiers of a newer trove-classifiers release than the one installed.
                add = data.get("add")
                if not isinstance(add, list) or not all(isinstance(c, str) and c.strip() == c and c for c in add):
                    raise ValueError("add must be a list of classifiers")
                upload.newer_classifiers.update(add)
                return self.send_json(200, {"ok": True})
            if path == "/_world/reset":
                upload.newer_classifiers.clear()
                store.reset()
                app.faults.clear()
                app.faults.latency_ms = 0
                reset_stats(app.stats, app.faults)
                return self.send_json(200, {"ok": True})
            if path == "/_world/faults":
                if method == "DELETE":
                    app.faults.clear()
                    return self.send_json(200, {"ok": True})
                data = dict(data, journalledBefore=len(app.store.issued_secrets()))
                f = app.faults.add(data)
                return self.send_json(200, {"ok": True, "fault": f})
            if path == "/_world/latency":
                ms = int(data.get("ms", 0))
                if not 0 <= ms <= 30000:
                    raise ValueError("ms must be between 0 and 30000")
                app.faults.latency_ms = ms
                return self.send_json(200, {"ok": True, "ms": ms})
            return self.send_json(404, {"error": "unknown control endpoint"})
        except (ValueError, TypeError, json.JSONDecodeError) as e:
            return self.send_json(400, {"error": str(e)})


def _canonical_version(v):
    from packaging.utils import canonicalize_version
    try:
        return canonicalize_version(v)
    except Exception:
        return v


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--jwks-url", required=True)
    ap.add_argument("--issuer", default=oidc.GITHUB_ISSUER)
    ap.add_argument("--gitlab-jwks-url", default=None)
    ap.add_argument("--gitlab-issuer", default=oidc_gitlab.GITLAB_ISSUER)
    ap.add_argument("--audience", default="pypi")
    ap.add_argument("--trusted-root", default=None)
    args = ap.parse_args(argv)

    app = App(args)
    Handler.app = app

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128

    httpd = Server(("127.0.0.1", args.port), Handler)
    stop = threading.Event()

    def on_signal(signum, frame):
        if not stop.is_set():
            stop.set()
            threading.Thread(target=httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(f"listening http://127.0.0.1:{httpd.server_address[1]}", flush=True)
    try:
        httpd.serve_forever(poll_interval=0.1)
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
