"""GitLab Trusted Publishers, following warehouse's oidc/models/gitlab.py.

A GitLab publisher is (namespace, project, workflow_filepath, environment); it is kept in the
`publishers` table with kind 'gitlab': repository_owner is the namespace (which may hold subgroups),
repository_name the project, workflow_filename the pipeline file's path in the repository, and
repository_owner_id empty (warehouse does not check project_id or namespace_id).
"""

import re

from .oidc import InvalidPublisher, ReusedToken, check_ref_claim, find_publisher_by

GITLAB_ISSUER = "https://gitlab.com"

# The pipeline file's path in `ci_config_ref_uri` (gitlab.com/NS/PROJECT//PATH/FILE.yml@REF): after
# the `//`, one non-slash (after anything) before the .yml/.yaml suffix, up to the `@`.
_WORKFLOW_FILEPATH_RE = re.compile(r"(?<=\/\/)(.*[^/]\.(yml|yaml))(?=@)")

# Dict order is warehouse's check order.
REQUIRED_VERIFIABLE = ["sub", "project_path", "ci_config_ref_uri", "jti"]
REQUIRED_UNVERIFIABLE = ["ref_path", "sha"]


def extract_workflow_filepath(ci_config_ref_uri):
    m = _WORKFLOW_FILEPATH_RE.search(ci_config_ref_uri)
    return m.group(0) if m else None


def _project_path(pub):
    return f"{pub['repository_owner']}/{pub['repository_name']}"


def _check_sub(pub, claim):
    if not claim:
        return False
    parts = claim.split(":")
    if len(parts) < 2:
        return False
    namespace, project, *_ = parts
    if not namespace or not project:
        return False
    return f"{namespace}:{project}".lower() == f"project_path:{_project_path(pub)}".lower()


def verify_claims(pub, claims, store):
    def fail(name, kind="required"):
        raise InvalidPublisher(f"Check failed for {kind} claim {name!r}")

    if not _check_sub(pub, claims.get("sub")):
        fail("sub")
    project_path = claims.get("project_path")
    if not project_path or project_path.lower() != _project_path(pub).lower():
        fail("project_path")
    check_ref_claim(claims, "ci_config_ref_uri", f"gitlab.com/{_project_path(pub)}//{pub['workflow_filename']}",
                    ["ref_path", "sha"], need_all=True)
    if store.jti_used(claims.get("jti")):
        raise ReusedToken()
    # GitLab environments are compared exactly (warehouse's _check_environment).
    env = pub["environment"]
    if env != "" and (not claims.get("environment") or claims.get("environment") != env):
        fail("environment", "optional")
    return True


def publishers_matching(store, claims, pending):
    """The GitLab publishers of the claims' namespace and project (without case: warehouse's func.lower)
    and pipeline file (exactly)."""
    namespace, _, project = claims["project_path"].rpartition("/")
    filepath = extract_workflow_filepath(claims["ci_config_ref_uri"])
    if not filepath:
        raise InvalidPublisher("Could not extract workflow filename from OIDC claims")
    return store.q("SELECT * FROM publishers WHERE kind='gitlab' AND pending=? AND lower(repository_owner)=lower(?)"
                   " AND lower(repository_name)=lower(?) AND workflow_filename=? ORDER BY id",
                   1 if pending else 0, namespace, project, filepath)


def find_publisher(store, claims, issuer, pending):
    return find_publisher_by(store, claims, issuer, pending, REQUIRED_VERIFIABLE + REQUIRED_UNVERIFIABLE,
                             publishers_matching, verify_claims, stored_environment=str)
