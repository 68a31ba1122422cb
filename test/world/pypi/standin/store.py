"""SQLite state of the stand-in: projects, releases, files, publishers, users, tokens, used jtis."""

import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import threading
import time

from packaging.utils import canonicalize_name

SCHEMA = """
CREATE TABLE IF NOT EXISTS projects (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
  normalized_name TEXT NOT NULL UNIQUE, upload_limit INTEGER, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,
  salt TEXT NOT NULL, password_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS roles (user_id INTEGER NOT NULL, project_id INTEGER NOT NULL,
  PRIMARY KEY (user_id, project_id));
CREATE TABLE IF NOT EXISTS publishers (id INTEGER PRIMARY KEY, pending INTEGER NOT NULL,
  project_name TEXT, repository_owner TEXT NOT NULL, repository_name TEXT NOT NULL,
  repository_owner_id TEXT NOT NULL, workflow_filename TEXT NOT NULL, environment TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'github');
CREATE TABLE IF NOT EXISTS publisher_projects (publisher_id INTEGER NOT NULL, project_id INTEGER NOT NULL,
  PRIMARY KEY (publisher_id, project_id));
CREATE TABLE IF NOT EXISTS releases (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL,
  version TEXT NOT NULL, canonical_version TEXT NOT NULL, created REAL NOT NULL,
  requires_python TEXT, summary TEXT);
CREATE TABLE IF NOT EXISTS files (id INTEGER PRIMARY KEY, release_id INTEGER NOT NULL,
  filename TEXT NOT NULL UNIQUE, packagetype TEXT NOT NULL, python_version TEXT, size INTEGER NOT NULL,
  md5 TEXT, sha256 TEXT NOT NULL, blake2_256 TEXT NOT NULL, path TEXT NOT NULL,
  metadata_sha256 TEXT, metadata BLOB, upload_time REAL NOT NULL, provenance TEXT, via_trusted_publishing INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS files_blake2 ON files(blake2_256);
CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY, publisher_id INTEGER NOT NULL,
  not_before INTEGER NOT NULL, expires INTEGER NOT NULL, claims TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jtis (jti TEXT PRIMARY KEY, exp INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS attempts (filename TEXT PRIMARY KEY, count INTEGER NOT NULL);
"""

TABLES = ["projects", "users", "roles", "publishers", "publisher_projects", "releases", "files",
          "tokens", "jtis", "attempts"]


def _pw_hash(salt, password):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 1000).hex()


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


class Store:
    def __init__(self, directory):
        self.dir = directory
        self.files_dir = os.path.join(directory, "files")
        os.makedirs(self.files_dir, exist_ok=True)
        self.lock = threading.RLock()
        self.db = sqlite3.connect(os.path.join(directory, "pypi.sqlite"), check_same_thread=False,
                                  isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def blob_path(self, blake2_256):
        """Where a stored file's bytes are: named by content, one flat directory."""
        return os.path.join(self.files_dir, blake2_256)

    # -- helpers ---------------------------------------------------------------------------
    def q(self, sql, *args):
        with self.lock:
            return self.db.execute(sql, args).fetchall()

    def q1(self, sql, *args):
        with self.lock:
            return self.db.execute(sql, args).fetchone()

    def x(self, sql, *args):
        with self.lock:
            return self.db.execute(sql, args)

    def reset(self):
        with self.lock:
            for t in TABLES:
                self.db.execute(f"DELETE FROM {t}")
            shutil.rmtree(self.files_dir, ignore_errors=True)
            os.makedirs(self.files_dir, exist_ok=True)

    # -- projects / users / publishers -------------------------------------------------------
    def project(self, name):
        return self.q1("SELECT * FROM projects WHERE normalized_name=?", canonicalize_name(name))

    def ensure_project(self, name, upload_limit=None, set_limit=False):
        with self.lock:
            p = self.project(name)
            if p is None:
                self.x("INSERT INTO projects(name, normalized_name, upload_limit, created) VALUES (?,?,?,?)",
                       name, canonicalize_name(name), upload_limit, time.time())
            elif set_limit:
                self.x("UPDATE projects SET upload_limit=? WHERE id=?", upload_limit, p["id"])
            return self.project(name)

    def add_user(self, username, password, projects):
        self.journal(password)
        with self.lock:
            salt = secrets.token_hex(8)
            self.x("INSERT INTO users(username, salt, password_hash) VALUES (?,?,?) "
                   "ON CONFLICT(username) DO UPDATE SET salt=excluded.salt, password_hash=excluded.password_hash",
                   username, salt, _pw_hash(salt, password))
            uid = self.q1("SELECT id FROM users WHERE username=?", username)["id"]
            for name in projects:
                self.add_role(uid, self.ensure_project(name)["id"])
            return uid

    def issued_secrets(self):
        """Every secret the world journalled so far (this stand-in's and the TypeScript services')."""
        try:
            with open(os.path.join(self.dir, "issued-secrets.txt"), encoding="utf-8") as f:
                return [line for line in f.read().split("\n") if line]
        except OSError:
            return []

    def journal(self, secret):
        # Every secret the stand-in hands out or is given, one per line, so tests can scan the
        # action's output for any of them (see test/helpers/world.ts secrets()).
        with open(os.path.join(self.dir, "issued-secrets.txt"), "a", encoding="utf-8") as f:
            f.write(secret + "\n")

    def add_role(self, user_id, project_id):
        self.x("INSERT OR IGNORE INTO roles(user_id, project_id) VALUES (?,?)", user_id, project_id)

    def check_user(self, username, password):
        u = self.q1("SELECT * FROM users WHERE username=?", username)
        if u is None or not secrets.compare_digest(u["password_hash"], _pw_hash(u["salt"], password)):
            return None
        return u

    def user_can_upload(self, user_id, project_id):
        return self.q1("SELECT 1 FROM roles WHERE user_id=? AND project_id=?", user_id, project_id) is not None

    def add_publisher(self, project, repository, owner_id, workflow, environment="", pending=False, kind="github"):
        # A GitLab namespace may hold subgroups: the project is the last component.
        owner, _, name = repository.rpartition("/") if kind == "gitlab" else repository.partition("/")
        # warehouse keeps GitLab environments as given (they are compared exactly), GitHub's lowercased.
        environment = (environment or "") if kind == "gitlab" else (environment or "").lower()
        with self.lock:
            # As in warehouse, one publisher (repository, owner id, workflow, environment) is one row
            # that can be bound to many projects, and a minted token is scoped to all of them.
            same = None if pending else self.q1(
                "SELECT id FROM publishers WHERE pending=0 AND kind=? AND repository_owner=? AND repository_name=?"
                " AND repository_owner_id=? AND workflow_filename=? AND environment=?",
                kind, owner, name, str(owner_id), workflow, environment)
            if same:
                pid = same["id"]
            else:
                cur = self.x("INSERT INTO publishers(pending, project_name, repository_owner, repository_name,"
                             " repository_owner_id, workflow_filename, environment, kind) VALUES (?,?,?,?,?,?,?,?)",
                             1 if pending else 0, project, owner, name, str(owner_id), workflow,
                             environment, kind)
                pid = cur.lastrowid
            if not pending:
                proj = self.ensure_project(project)
                self.x("INSERT OR IGNORE INTO publisher_projects VALUES (?,?)", pid, proj["id"])
            return pid

    def publisher_projects(self, publisher_id):
        return [r["project_id"] for r in self.q("SELECT project_id FROM publisher_projects WHERE publisher_id=?",
                                                publisher_id)]

    # -- tokens ----------------------------------------------------------------------------------
    def mint_token(self, publisher_id, claims, lifetime=900):
        token = "pypi-" + secrets.token_urlsafe(48)
        self.journal(token)
        now = int(time.time())
        self.x("INSERT INTO tokens(hash, publisher_id, not_before, expires, claims) VALUES (?,?,?,?,?)",
               token_hash(token), publisher_id, now, now + lifetime, json.dumps(claims))
        return token, now + lifetime

    def find_token(self, token):
        return self.q1("SELECT * FROM tokens WHERE hash=?", token_hash(token))

    def jti_used(self, jti):
        return self.q1("SELECT 1 FROM jtis WHERE jti=?", jti) is not None

    def claim_jti(self, jti, exp):
        with self.lock:
            try:
                self.x("INSERT INTO jtis(jti, exp) VALUES (?,?)", jti, int(exp) + 35)
                return True
            except sqlite3.IntegrityError:
                return False

    def count_attempt(self, filename):
        self.x("INSERT INTO attempts(filename, count) VALUES (?,1) "
               "ON CONFLICT(filename) DO UPDATE SET count=count+1", filename)

    # -- state dump ---------------------------------------------------------------------------
    def state(self):
        with self.lock:
            projects = []
            for p in self.q("SELECT * FROM projects ORDER BY id"):
                projects.append({
                    "name": p["name"], "normalized_name": p["normalized_name"],
                    "upload_limit": p["upload_limit"],
                    "owners": [r["username"] for r in self.q(
                        "SELECT u.username FROM users u JOIN roles r ON r.user_id=u.id WHERE r.project_id=?",
                        p["id"])],
                })
            releases = [{"project": r["name"], "version": r["version"], "created": r["created"]}
                        for r in self.q("SELECT p.name, r.version, r.created FROM releases r "
                                        "JOIN projects p ON p.id=r.project_id ORDER BY r.id")]
            files = [{"project": r["name"], "version": r["version"], "filename": r["filename"],
                      "packagetype": r["packagetype"], "python_version": r["python_version"],
                      "sha256": r["sha256"], "blake2_256": r["blake2_256"], "size": r["size"],
                      "has_provenance": r["provenance"] is not None,
                      "via_trusted_publishing": bool(r["via_trusted_publishing"]),
                      "upload_time": r["upload_time"]}
                     for r in self.q("SELECT p.name, rl.version, f.* FROM files f JOIN releases rl ON rl.id=f.release_id "
                                     "JOIN projects p ON p.id=rl.project_id ORDER BY f.id")]
            publishers = [{"id": r["id"], "pending": bool(r["pending"]), "project": r["project_name"],
                           "repository": f"{r['repository_owner']}/{r['repository_name']}",
                           "repository_owner_id": r["repository_owner_id"],
                           "workflow_filename": r["workflow_filename"], "environment": r["environment"],
                           "kind": r["kind"]}
                          for r in self.q("SELECT * FROM publishers ORDER BY id")]
            attempts = {r["filename"]: r["count"] for r in self.q("SELECT * FROM attempts")}
            tokens = self.q1("SELECT COUNT(*) AS n FROM tokens")["n"]
            return {"projects": projects, "releases": releases, "files": files, "publishers": publishers,
                    "uploadAttempts": attempts, "tokensMinted": tokens}
