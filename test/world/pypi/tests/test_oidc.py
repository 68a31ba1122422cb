import time

import requests

from conftest import control, mint

PUB = {"project": "sampleproject", "repository": "octo-org/sampleproject", "repository_owner_id": "1001",
       "workflow_filename": "release.yml"}
NOT_FOUND = "valid token, but no corresponding publisher (Publisher with matching claims was not found)"


def error_of(r):
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["message"] == "Token request failed"
    assert len(body["errors"]) == 1
    return body["errors"][0]["code"], body["errors"][0]["description"]


def test_audience(world):
    r = requests.get(world.url + "/_/oidc/audience")
    assert r.status_code == 200 and r.json() == {"audience": "pypi"}


def test_mint_success_and_legacy_alias(world, issuer):
    control(world, "/_world/publishers", PUB)
    before = int(time.time())
    r = mint(world, issuer)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True and body["token"].startswith("pypi-")
    assert before + 900 <= body["expires"] <= int(time.time()) + 900
    r = requests.post(world.url + "/_/oidc/github/mint-token", json={"token": issuer.token()})
    assert r.status_code == 200 and r.json()["token"] != body["token"]
    # the publisher is looked up by the repository claim's owner and name as stored, exactly
    # (warehouse's filter_by on plain String columns)
    assert error_of(mint(world, issuer, repository="Octo-Org/SampleProject")) == ("invalid-publisher", NOT_FOUND)
    # ...and job_workflow_ref must equal the stored owner/name spelling
    r = mint(world, issuer, job_workflow_ref="Octo-Org/sampleproject/.github/workflows/release.yml@refs/tags/v1.0.0")
    assert r.status_code == 422 and "job_workflow_ref claim does not match" in r.json()["errors"][0]["description"]
    # a workflow file's name may hold "@": warehouse takes the first NAME.yml before an "@"
    control(world, "/_world/publishers", dict(PUB, workflow_filename="a@b.yml"))
    assert mint(world, issuer, job_workflow_ref="octo-org/sampleproject/.github/workflows/a@b.yml@refs/tags/v1.0.0").status_code == 200


def test_reused_jwt(world, issuer):
    control(world, "/_world/publishers", PUB)
    tok = issuer.token()
    assert requests.post(world.url + "/_/oidc/mint-token", json={"token": tok}).status_code == 200
    r = requests.post(world.url + "/_/oidc/mint-token", json={"token": tok})
    assert error_of(r) == ("invalid-reuse-token", "invalid token: already used")


def test_wrong_audience_expired_and_bad_signature(world, issuer):
    control(world, "/_world/publishers", PUB)
    invalid = ("invalid-token", "malformed or invalid token")
    assert error_of(mint(world, issuer, aud="sigstore")) == invalid
    assert error_of(mint(world, issuer, aud=["pypi", "other"])) == invalid
    old = int(time.time()) - 1000
    assert error_of(mint(world, issuer, now=old)) == invalid  # exp = now-700, beyond 30 s leeway
    assert error_of(mint(world, issuer, iat=None)) == invalid
    # within the 30 s leeway still accepted
    r = mint(world, issuer, exp=int(time.time()) - 10)
    assert r.status_code == 200, r.text
    tok = issuer.token()
    h, p, s = tok.split(".")
    forged = f"{h}.{p}.{s[:-4]}AAAA"
    r = requests.post(world.url + "/_/oidc/mint-token", json={"token": forged})
    assert error_of(r) == invalid


def test_payload_errors(world, issuer):
    r = requests.post(world.url + "/_/oidc/mint-token", data=b'{"token": 5}')
    code, desc = error_of(r)
    assert code == "invalid-payload" and "token" in desc
    r = requests.post(world.url + "/_/oidc/mint-token", json={"token": "not-a-jwt"})
    assert error_of(r) == ("invalid-payload", "malformed JWT")
    import jwt as pyjwt
    t = pyjwt.encode({"iss": "https://issuer.example"}, issuer.key, algorithm="RS256")
    r = requests.post(world.url + "/_/oidc/mint-token", json={"token": t})
    assert error_of(r) == ("invalid-payload", "unknown trusted publishing issuer")


def test_publisher_mismatches(world, issuer):
    control(world, "/_world/publishers", PUB)
    assert error_of(mint(world, issuer, repository_owner_id="9999")) == ("invalid-publisher", NOT_FOUND)
    other = "octo-org/sampleproject/.github/workflows/other.yml@refs/tags/v1.0.0"
    assert error_of(mint(world, issuer, job_workflow_ref=other)) == ("invalid-publisher", NOT_FOUND)
    assert error_of(mint(world, issuer, event_name="pull_request_target")) == (
        "invalid-publisher", "valid token, but no corresponding publisher (Publishing from a workflow invoked via "
                             "'pull_request_target' is not supported.)")
    assert error_of(mint(world, issuer, sha=None)) == (
        "invalid-publisher", "valid token, but no corresponding publisher (Missing claim 'sha')")
    code, desc = error_of(mint(world, issuer, job_workflow_ref="octo-org/sampleproject/.github/workflows/"
                                                               "release.yml@refs/heads/main"))
    assert code == "invalid-publisher"
    assert desc == ("valid token, but no corresponding publisher (The job_workflow_ref claim does not match, "
                    "expecting one of ['octo-org/sampleproject/.github/workflows/release.yml@"
                    "0123456789abcdef0123456789abcdef01234567', 'octo-org/sampleproject/.github/workflows/"
                    "release.yml@refs/tags/v1.0.0'], got 'octo-org/sampleproject/.github/workflows/"
                    "release.yml@refs/heads/main')")
    assert error_of(mint(world, issuer, job_workflow_ref="octo-org/sampleproject/.github/workflows/release")) == (
        "invalid-publisher", "valid token, but no corresponding publisher (Could not job extract workflow filename "
                             "from OIDC claims)")
    assert error_of(mint(world, issuer, repository_owner="someone-else")) == (
        "invalid-publisher", "valid token, but no corresponding publisher (Check failed for required claim "
                             "'repository_owner')")
    # the sha can stand in for the ref
    r = mint(world, issuer, job_workflow_ref="octo-org/sampleproject/.github/workflows/release.yml@"
                                             "0123456789abcdef0123456789abcdef01234567")
    assert r.status_code == 200


def test_environment_rules(world, issuer):
    control(world, "/_world/publishers", dict(PUB, environment="Release"))
    # publisher with an environment: the claim must be present and match case-insensitively
    assert error_of(mint(world, issuer)) == ("invalid-publisher", NOT_FOUND)
    assert error_of(mint(world, issuer, environment="staging")) == ("invalid-publisher", NOT_FOUND)
    assert mint(world, issuer, environment="RELEASE").status_code == 200
    # an environment-less publisher accepts any environment; the specific one is preferred
    control(world, "/_world/publishers", PUB)
    assert mint(world, issuer, environment="staging").status_code == 200
    assert mint(world, issuer).status_code == 200


def test_pending_publisher(world, issuer):
    control(world, "/_world/publishers", dict(PUB, project="brand-new", pending=True))
    r = mint(world, issuer)
    assert r.status_code == 200, r.text
    state = requests.get(world.url + "/_world/state").json()
    assert [p["name"] for p in state["projects"]] == ["brand-new"]
    assert [p["pending"] for p in state["publishers"]] == [False]
    # pending publisher for an existing project is refused (and removed)
    control(world, "/_world/projects", {"name": "taken"})
    control(world, "/_world/publishers", dict(PUB, project="taken", pending=True, workflow_filename="other.yml"))
    r = mint(world, issuer, job_workflow_ref="octo-org/sampleproject/.github/workflows/other.yml@refs/tags/v1.0.0")
    assert error_of(r) == ("invalid-pending-publisher", "valid token, but project already exists")
