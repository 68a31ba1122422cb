// The CLI's --help text. Printed without reading any input or opening any connection.

export const USAGE = `Usage: node dist/cli.js <command> [flags]

Commands:
  upload    Check, sign, verify and upload dists, exactly as the action does in a workflow.
  check     Only the pre-flight checks (like \`twine check\`): no token, no signing, no network.
            Exits 1, with the action's messages, when a file would be refused.
  verify    Check the PEP 740 provenance of what you install (a pylock.toml, requirements or
            pinned releases): \`node dist/cli.js verify --help\`, docs/verify.md.

upload flags (the action's inputs):
  --repository-url URL      Upload endpoint. Required here: the CLI has no default index, so a
                            rehearsal never reaches PyPI by accident.
                            (PyPI: https://upload.pypi.org/legacy/, TestPyPI: https://test.pypi.org/legacy/)
  --packages-dir DIR|GLOB   Where the dists are (default: dist); repeat it for several.
  --user USER               Index user (default: __token__). The password is never a flag: set
                            INPUT_PASSWORD in the environment (\`read -rs INPUT_PASSWORD && export INPUT_PASSWORD\`).
  --skip-existing           Skip files that already exist on the index.
  --no-attestations         Do not sign (attestations need Trusted Publishing).
  --build-attestations auto|require|ignore
                            The <dist>.slsa.attestation files beside the dists (default: auto).
  --no-verify-metadata      Keep only the checks whose failure makes the upload impossible.
  --no-verbose, --no-print-hash, --upload-concurrency N (1-32, default 16)
  --report-dir DIR          Write report.md, results.json and publish.env (dotenv) there
                            (default in a GitLab job: pypi-publish-report).
  Booleans also take =true / =false. Trusted Publishing and Sigstore come from the environment, as in
  a workflow: ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN, GITHUB_REPOSITORY, GITHUB_WORKFLOW_REF, and
  PYPI_PUBLISH_TRUST_CONFIG for a Sigstore other than public-good. GITHUB_STEP_SUMMARY, when set, gets
  the job summary. In a GitLab job (GITLAB_CI set) the ID tokens come from the job's \`id_tokens:\`
  variables PYPI_ID_TOKEN (the index's audience, upper-cased) and SIGSTORE_ID_TOKEN: docs/gitlab.md.

check [flags] PATH...       Files, directories or globs (default: dist).
  --no-verify-metadata      As the action's verify-metadata: false.
  --json                    One JSON document on stdout, for machines.

Other:
  --help, -h                This text.
  --version, -V             The CLI's version.

Exit status: 0 success; 1 a file was refused or not published; 2 a usage or input error.
Requires Node 24 or newer.`;
