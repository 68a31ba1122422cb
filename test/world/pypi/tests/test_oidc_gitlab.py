"""GitLab Trusted Publishing in the stand-in, as warehouse's oidc/models/gitlab.py decides it."""

import time
import uuid

import requests

from conftest import control, overridden

GITLAB = "https://gitlab.com"
PUB = {"kind": "gitlab", "project": "sampleproject", "repository": "octo-group/sampleproject",
       "workflow_filepath": ".gitlab-ci.yml"}
NOT_FOUND = "valid token, but no corresponding publisher (Publisher with matching claims was not found)"
URI = "gitlab.com/octo-group/sampleproject//.gitlab-ci.yml@refs/tags/v1.0.0"


def gitlab_token(issuer, **overrides):
    now = int(time.time())
    claims = {
        "iss": GITLAB, "aud": "pypi", "iat": now, "nbf": now, "exp": now + 300, "jti": str(uuid.uuid4()),
        "sub": "project_path:octo-group/sampleproject:ref_type:tag:ref:v1.0.0",
        "namespace_id": "72", "namespace_path": "octo-group", "project_id": "20",
        "project_path": "octo-group/sampleproject", "ref": "v1.0.0", "ref_type": "tag",
        "ref_path": "refs/tags/v1.0.0", "sha": "7d2c4e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d",
        "ci_config_ref_uri": URI, "pipeline_source": "push", "job_id": "302",
    }
    return issuer.sign(overridden(claims, overrides))


def mint(world, token):
    return requests.post(world.url + "/_/oidc/mint-token", json={"token": token}, timeout=10)


def refusal(r):
    assert r.status_code == 422, r.text
    (error,) = r.json()["errors"]
    return error["code"], error["description"]


def test_a_gitlab_publisher_mints(world, issuer):
    control(world, "/_world/publishers", PUB)
    r = mint(world, gitlab_token(issuer))
    assert r.status_code == 200, r.text
    assert r.json()["success"] is True


def test_a_github_publisher_of_the_same_names_does_not_match_a_gitlab_token(world, issuer):
    control(world, "/_world/publishers", {"project": "sampleproject", "repository": "octo-group/sampleproject",
                                          "repository_owner_id": "72", "workflow_filename": ".gitlab-ci.yml"})
    assert refusal(mint(world, gitlab_token(issuer))) == ("invalid-publisher", NOT_FOUND)


def test_another_project_or_another_pipeline_file_finds_no_publisher(world, issuer):
    control(world, "/_world/publishers", PUB)
    other = gitlab_token(issuer, project_path="octo-group/other", sub="project_path:octo-group/other:ref_type:tag:ref:v1.0.0",
                         ci_config_ref_uri="gitlab.com/octo-group/other//.gitlab-ci.yml@refs/tags/v1.0.0")
    assert refusal(mint(world, other)) == ("invalid-publisher", NOT_FOUND)
    moved = gitlab_token(issuer, ci_config_ref_uri="gitlab.com/octo-group/sampleproject//ci/release.yml@refs/tags/v1.0.0")
    assert refusal(mint(world, moved)) == ("invalid-publisher", NOT_FOUND)


def test_a_pipeline_file_in_a_directory_is_matched_by_its_path(world, issuer):
    control(world, "/_world/publishers", dict(PUB, workflow_filepath="ci/release.yml"))
    moved = gitlab_token(issuer, ci_config_ref_uri="gitlab.com/octo-group/sampleproject//ci/release.yml@refs/tags/v1.0.0")
    assert mint(world, moved).status_code == 200


def test_a_config_uri_at_another_ref_is_refused_with_warehouses_expectation(world, issuer):
    control(world, "/_world/publishers", PUB)
    r = mint(world, gitlab_token(issuer, ci_config_ref_uri="gitlab.com/octo-group/sampleproject//.gitlab-ci.yml@refs/heads/main"))
    code, description = refusal(r)
    assert code == "invalid-publisher"
    assert description == (
        "valid token, but no corresponding publisher (The ci_config_ref_uri claim does not match, expecting one of "
        "['gitlab.com/octo-group/sampleproject//.gitlab-ci.yml@7d2c4e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d', "
        "'gitlab.com/octo-group/sampleproject//.gitlab-ci.yml@refs/tags/v1.0.0'], got "
        "'gitlab.com/octo-group/sampleproject//.gitlab-ci.yml@refs/heads/main')")


def test_missing_claims_and_the_environment(world, issuer):
    control(world, "/_world/publishers", dict(PUB, environment="pypi"))
    assert refusal(mint(world, gitlab_token(issuer, ref_path=None))) == (
        "invalid-publisher", "valid token, but no corresponding publisher (Missing claim 'ref_path')")
    # Without an environment only publishers without one are candidates; a GitLab publisher is found
    # by its environment exactly (warehouse's _get_publisher_for_environment, unlike GitHub's).
    assert refusal(mint(world, gitlab_token(issuer))) == ("invalid-publisher", NOT_FOUND)
    assert refusal(mint(world, gitlab_token(issuer, environment="PyPI"))) == ("invalid-publisher", NOT_FOUND)
    assert mint(world, gitlab_token(issuer, environment="pypi")).status_code == 200
    control(world, "/_world/publishers", dict(PUB, environment="Production"))
    assert mint(world, gitlab_token(issuer, environment="Production")).status_code == 200


def test_a_project_path_is_found_in_any_case_and_its_config_uri_held_to_the_stored_spelling(world, issuer):
    control(world, "/_world/publishers", PUB)
    upper = "Octo-Group/SampleProject"
    r = mint(world, gitlab_token(issuer, project_path=upper, sub=f"project_path:{upper}:ref_type:tag:ref:v1.0.0",
                                 ci_config_ref_uri=f"gitlab.com/{upper}//.gitlab-ci.yml@refs/tags/v1.0.0"))
    code, description = refusal(r)
    assert code == "invalid-publisher"
    assert description.startswith("valid token, but no corresponding publisher (The ci_config_ref_uri claim does not match")


def test_a_one_character_pipeline_file_at_the_root_is_a_file(world, issuer):
    control(world, "/_world/publishers", dict(PUB, workflow_filepath="a.yml"))
    r = mint(world, gitlab_token(issuer, ci_config_ref_uri="gitlab.com/octo-group/sampleproject//a.yml@refs/tags/v1.0.0"))
    assert r.status_code == 200, r.text


def test_a_gitlab_token_is_used_once(world, issuer):
    control(world, "/_world/publishers", PUB)
    token = gitlab_token(issuer)
    assert mint(world, token).status_code == 200
    assert refusal(mint(world, token)) == ("invalid-reuse-token", "invalid token: already used")
