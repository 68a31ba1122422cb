"""Fault injection and request stats of the stand-in, matching the TypeScript world's (test/world/faults.ts)
so a test drives every service of the world the same way:

- a fault matches on method ("*" = any) and path: the exact request path, the route's template name
  (e.g. "/simple/{project}/"), or a prefix ending in "*";
- GET /_world/stats answers {requests: {"METHOD route": n}, peak: {"METHOD route": most at once},
  faults: {fired, pending}}, keyed by the same route names.
"""

import base64
import json
import re
import threading
import urllib.parse

# Routes with a variable part, named by their template as the TypeScript world names its RegExp routes;
# every other path is its own name.
NAMED_ROUTES = (
    (re.compile(r"^/simple/.+$"), "/simple/{project}/"),
    (re.compile(r"^/files/.+$"), "/files/{path}"),
    (re.compile(r"^/integrity/[^/]+/[^/]+/[^/]+/provenance$"), "/integrity/{project}/{version}/{filename}/provenance"),
)


def route_name(path):
    for pattern, name in NAMED_ROUTES:
        if pattern.match(path):
            return name
    return path


def matches(fault, method, path):
    if fault["method"] not in ("*", method):
        return False
    if fault["path"].endswith("*"):
        return path.startswith(fault["path"][:-1])
    return fault["path"] in (path, route_name(path))


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.items = []
        self.latency_ms = 0
        self.fired = 0
        self.streamed = 0
        self.streamed_max = 0

    def add(self, spec):
        method = str(spec.get("method", "*")).upper()
        path = spec.get("path")
        if not isinstance(path, str) or not path.startswith("/"):
            raise ValueError("path must be an absolute path, optionally ending in * to match a prefix")
        count = int(spec.get("count", 1))
        if not 1 <= count <= 100:
            raise ValueError("count must be between 1 and 100")
        delay = int(spec.get("delayMs", 0) or 0)
        if not 0 <= delay <= 30000:
            raise ValueError("delayMs must be between 0 and 30000")
        status = spec.get("status")
        if status is not None and not (100 <= int(status) <= 599):
            raise ValueError("status must be an HTTP status")
        f = {"method": method, "path": path, "count": count, "status": int(status) if status else None,
             "retryAfter": spec.get("retryAfter"), "delayMs": delay, "truncate": bool(spec.get("truncate")),
             "drop": bool(spec.get("drop")), "body": spec.get("body")}
        f.update(hostile_spec(spec, f))
        with self.lock:
            self.items.append(f)
        return f

    def add_streamed(self, n):
        with self.lock:
            self.streamed += n
            self.streamed_max = max(self.streamed_max, n)

    def clear(self):
        with self.lock:
            self.items = []

    def take(self, method, path):
        """The first fault matching the request, used once; None when none matches."""
        with self.lock:
            for f in self.items:
                if matches(f, method, path):
                    self.fired += 1
                    f["count"] -= 1
                    if f["count"] <= 0:
                        self.items.remove(f)
                    return dict(f)
        return None


class RequestStats:
    """Requests per route, and the most of a route served at once (shows how wide a client's pool is)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.in_flight = {}
        self.peak = {}

    def enter(self, key):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            now = self.in_flight.get(key, 0) + 1
            self.in_flight[key] = now
            self.peak[key] = max(now, self.peak.get(key, 0))

    def leave(self, key):
        with self.lock:
            self.in_flight[key] = self.in_flight.get(key, 1) - 1

    def reset(self):
        with self.lock:
            self.counts.clear()
            self.peak.clear()


def stats_json(stats, faults):
    with stats.lock, faults.lock:
        return {"requests": dict(stats.counts), "peak": dict(stats.peak),
                "faults": {"fired": faults.fired, "pending": len(faults.items), "streamedBytes": faults.streamed,
                           "streamedMaxBytes": faults.streamed_max}}


def reset_stats(stats, faults):
    stats.reset()
    with faults.lock:
        faults.fired = 0
        faults.streamed = 0
        faults.streamed_max = 0


# Hostile answers, as the TypeScript world's (test/world/hostile.ts): `headers` added to the answer,
# `echo` fills "{{secret}}" in a string body, the headers and `reason` (the reason phrase) with the request's
# credential (Basic auth's password, the mint request's token), else the world's default runner bearer
# and every secret issued since the fault was registered, so encoded; `endless` / `dripMs` send a body
# that never ends.
ECHO_ENCODINGS = ("plain", "json", "unicode", "url", "parts", "base64")
STREAM_CAP_S = 60


def hostile_spec(spec, f):
    echo = spec.get("echo")
    if echo is not None and (echo not in ECHO_ENCODINGS or not isinstance(f["body"], str) or not f["status"]):
        raise ValueError("echo must be one of %s, with a status and a string body" % ", ".join(ECHO_ENCODINGS))
    headers = spec.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise ValueError("headers must be an object of strings")
    drip = spec.get("dripMs")
    if drip is not None and not (isinstance(drip, (int, float)) and 1 <= drip <= 10000):
        raise ValueError("dripMs must be in 1..10000")
    reason = spec.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise ValueError("reason must be a string")
    return {"echo": echo, "headers": headers, "endless": bool(spec.get("endless")), "dripMs": drip, "reason": reason,
            "journalledBefore": int(spec.get("journalledBefore", 0))}


def encode_secret(secret, encoding):
    if encoding == "json":
        return json.dumps(secret)[1:-1].replace("/", "\\/")
    if encoding == "unicode":
        return "".join("\\u%04x" % ord(c) for c in secret)
    if encoding == "url":
        return urllib.parse.quote(secret, safe="")
    if encoding == "parts":
        return " … ".join(secret.split(".")) if secret.count(".") == 2 else secret
    if encoding == "base64":
        return base64.b64encode(secret.encode()).decode()
    return secret


def credential_of(headers, body):
    auth = headers.get("Authorization") or ""
    kind, _, value = auth.partition(" ")
    if kind.lower() == "bearer" and value:
        return value
    if kind.lower() == "basic" and value:
        try:
            return base64.b64decode(value).decode("utf-8").partition(":")[2]
        except ValueError:
            return None
    try:
        token = json.loads(body or b"{}").get("token")
    except (ValueError, AttributeError):
        return None
    return token if isinstance(token, str) else None


def fill_echo(template, encoding, secrets):
    echoed = " ".join(encode_secret(s, encoding) for s in secrets)
    return template.replace("{{secret}}", echoed)
