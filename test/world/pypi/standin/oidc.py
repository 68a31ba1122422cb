"""Trusted Publishing token exchange, following warehouse's oidc views/services/models (GitHub here;
GitLab's publisher rules are in oidc_gitlab.py, handed to `mint` as another issuer)."""

import json
import re
import threading

import jwt
from pydantic import BaseModel, StrictStr, ValidationError

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
# Issuers warehouse knows by name; only the configured one has keys here.
KNOWN_ISSUERS = {
    GITHUB_ISSUER: "GitHub",
    "https://gitlab.com": "GitLab",
    "https://accounts.google.com": "Google",
    "https://oidc.activestate.com": "ActiveState",
}
JWT_LEEWAY = 30

_WORKFLOW_FILENAME_RE = re.compile(r"([^/]+\.(yml|yaml))(?=@)")

REQUIRED_VERIFIABLE = ["repository", "repository_owner", "repository_owner_id", "job_workflow_ref", "jti",
                       "event_name"]
REQUIRED_UNVERIFIABLE = ["ref", "sha"]


class TokenPayload(BaseModel):
    token: StrictStr


class InvalidPublisher(Exception):
    pass


class ReusedToken(Exception):
    pass


def invalid(code, description):
    return 422, {"message": "Token request failed", "errors": [{"code": code, "description": description}]}


class Keys:
    def __init__(self, jwks_url):
        self.client = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=5)
        self.lock = threading.Lock()

    def key_for(self, token):
        with self.lock:
            return self.client.get_signing_key_from_jwt(token).key


def extract_workflow_filename(ref):
    m = _WORKFLOW_FILENAME_RE.search(ref)
    return m.group(0) if m else None


def require_claims(claims, names):
    """Every issuer's publisher checks that its required claims are present, in sorted order."""
    for name in sorted(set(names)):
        if claims.get(name) is None:
            raise InvalidPublisher(f"Missing claim {name!r}")


def check_issuer(claims, issuer):
    if claims["iss"] != issuer:
        raise InvalidPublisher(f"JWT issuer {claims['iss']!r} does not match expected issuer {issuer!r}")


def check_ref_claim(claims, name, ground_truth, ref_names, need_all):
    """warehouse's _check_job_workflow_ref (GitHub) and _check_ci_config_ref_uri (GitLab): the claim
    `name` is set and is `ground_truth@REF`, REF the value of one of the claims `ref_names`, of which
    GitHub needs one set and GitLab all."""
    claim = claims.get(name)
    if not claim:
        raise InvalidPublisher(f"The {name} claim is empty")
    refs = [claims.get(n) for n in ref_names]
    if not (all(refs) if need_all else any(refs)):
        raise InvalidPublisher(f"The {' and '.join(ref_names)} claims are empty")
    expected = {f"{ground_truth}@{r}" for r in refs if r}
    if claim not in expected:
        raise InvalidPublisher(f"The {name} claim does not match, expecting one of "
                               f"{sorted(expected)!r}, got {claim!r}")


def find_publisher_by(store, claims, issuer, pending, required, lookup, verify_claims, stored_environment=str.lower):
    """One issuer's find_publisher: the token is that issuer's and has its required claims
    (warehouse's check_claims_existence), then of the publishers `lookup(store, claims, pending)`
    returns (the rows matching the claims' identity), the one `publisher_for_environment` picks and
    verifies with `verify_claims`. `stored_environment`: the claim's environment as the issuer's
    publishers store it (GitHub's lowercased, GitLab's as given)."""
    check_issuer(claims, issuer)
    require_claims(claims, required)
    rows = lookup(store, claims, pending)
    return publisher_for_environment(rows, claims, store, verify_claims, stored_environment)


def publisher_for_environment(rows, claims, store, verify_claims, stored_environment):
    """Of the publishers matching the claims, the one for the token's environment, else the one for any
    environment; then that publisher's own claim checks (warehouse's _get_publisher_for_environment)."""
    env = claims.get("environment")
    pub = None
    if env:
        pub = next((p for p in rows if p["environment"] == stored_environment(env)), None)
    if pub is None:
        pub = next((p for p in rows if p["environment"] == ""), None)
    if pub is None:
        raise InvalidPublisher("Publisher with matching claims was not found")
    verify_claims(pub, claims, store)
    return pub


def verify_claims(pub, claims, store):
    """pub: sqlite row. Raises InvalidPublisher/ReusedToken like warehouse's verify_claims."""
    repo = f"{pub['repository_owner']}/{pub['repository_name']}"

    def fail(name):
        raise InvalidPublisher(f"Check failed for required claim {name!r}")

    # repository: case-insensitive
    rc = claims.get("repository")
    if not rc or rc.lower() != repo.lower():
        fail("repository")
    if claims.get("repository_owner") != pub["repository_owner"]:
        fail("repository_owner")
    if claims.get("repository_owner_id") != pub["repository_owner_id"]:
        fail("repository_owner_id")
    check_ref_claim(claims, "job_workflow_ref", f"{repo}/.github/workflows/{pub['workflow_filename']}",
                    ["ref", "sha"], need_all=False)
    if store.jti_used(claims.get("jti")):
        raise ReusedToken()
    if claims.get("event_name") == "pull_request_target":
        raise InvalidPublisher("Publishing from a workflow invoked via 'pull_request_target' is not supported.")
    env = pub["environment"]
    if env != "":
        ce = claims.get("environment")
        if not ce or env.lower() != ce.lower():
            raise InvalidPublisher("Check failed for optional claim 'environment'")
    return True


def publishers_matching(store, claims, pending):
    """The GitHub publishers of the claims' repository, owner id and workflow file, compared exactly
    (warehouse's filter_by on plain String columns)."""
    owner, _, name = claims["repository"].partition("/")
    filename = extract_workflow_filename(claims["job_workflow_ref"])
    if not filename:
        raise InvalidPublisher("Could not job extract workflow filename from OIDC claims")
    return store.q("SELECT * FROM publishers WHERE kind='github' AND pending=? AND repository_name=? "
                   "AND repository_owner=? AND repository_owner_id=? AND workflow_filename=? "
                   "ORDER BY id", 1 if pending else 0, name, owner, str(claims["repository_owner_id"]), filename)


def find_publisher(store, claims, issuer, pending):
    return find_publisher_by(store, claims, issuer, pending, REQUIRED_VERIFIABLE + REQUIRED_UNVERIFIABLE,
                             publishers_matching, verify_claims)


def mint(store, keys, body, issuer, audience, others=None):
    """Returns (status, json). `others`: {issuer: (keys, find_publisher)} for the issuers other than
    GitHub's that this index trusts, each with its publisher rules (warehouse's per-issuer services)."""
    finders = {issuer: (keys, find_publisher), **(others or {})}
    try:
        unverified_jwt = TokenPayload.model_validate_json(body).token
    except ValidationError as exc:
        return invalid("invalid-payload", str(exc))
    try:
        unverified = jwt.decode(unverified_jwt, options={"verify_signature": False})
        unverified_issuer = unverified["iss"]
    except Exception:
        return invalid("invalid-payload", "malformed JWT")
    if not isinstance(unverified_issuer, str) or unverified_issuer not in KNOWN_ISSUERS:
        return invalid("invalid-payload", "unknown trusted publishing issuer")
    claims = None
    if unverified_issuer in finders:
        issuer = unverified_issuer
        keys, finder = finders[issuer]
        try:
            key = keys.key_for(unverified_jwt)
            claims = jwt.decode(
                unverified_jwt, key=key, algorithms=["RS256"],
                options={"verify_signature": True, "require": ["iss", "iat", "exp", "aud"],
                         "verify_iss": True, "verify_iat": True, "verify_exp": True, "verify_aud": True,
                         "verify_nbf": True, "strict_aud": True},
                issuer=issuer, audience=audience, leeway=JWT_LEEWAY)
        except Exception:
            claims = None
    if not claims:
        return invalid("invalid-token", "malformed or invalid token")

    with store.lock:
        try:
            pending = finder(store, claims, issuer, pending=True)
        except ReusedToken:
            return invalid("invalid-reuse-token", "invalid token: already used")
        except InvalidPublisher:
            pending = None
        if pending is not None:
            if store.project(pending["project_name"]) is not None:
                store.x("DELETE FROM publishers WHERE id=?", pending["id"])
                return invalid("invalid-pending-publisher", "valid token, but project already exists")
            project = store.ensure_project(pending["project_name"])
            # reify: an equivalent non-pending publisher, bound to the new project
            existing = store.q1("SELECT id FROM publishers WHERE pending=0 AND kind=? AND repository_owner=?"
                                " AND repository_name=? AND repository_owner_id=? AND workflow_filename=? AND environment=?",
                                pending["kind"], pending["repository_owner"], pending["repository_name"],
                                pending["repository_owner_id"], pending["workflow_filename"], pending["environment"])
            if existing:
                pid = existing["id"]
                store.x("DELETE FROM publishers WHERE id=?", pending["id"])
            else:
                pid = pending["id"]
                store.x("UPDATE publishers SET pending=0 WHERE id=?", pid)
            store.x("INSERT OR IGNORE INTO publisher_projects VALUES (?,?)", pid, project["id"])
        try:
            publisher = finder(store, claims, issuer, pending=False)
        except ReusedToken:
            return invalid("invalid-reuse-token", "invalid token: already used")
        except InvalidPublisher as e:
            return invalid("invalid-publisher", f"valid token, but no corresponding publisher ({e})")
        jti = claims.get("jti")
        if jti and not store.claim_jti(jti, claims.get("exp")):
            return invalid("invalid-reuse-token", "invalid token: already used")
        token, expires = store.mint_token(publisher["id"], claims)
    return 200, {"success": True, "token": token, "expires": expires}
