// The incumbent's Trusted Publishing explanations (pypa/gh-action-pypi-publish oidc-exchange.py),
// kept in its words because users search for them.

export function exchangeFailureSummary(message: string): string {
  return `Trusted publishing exchange failure:

${message}

You're seeing this because the action wasn't given the inputs needed to
perform password-based or token-based authentication. If you intended to
perform one of those authentication methods instead of trusted
publishing, then you should double-check your secret configuration and variable
names.

Read more about trusted publishers at https://docs.pypi.org/trusted-publishers/
`;
}

export function tokenRetrievalFailed(identityError: string): string {
  return `OpenID Connect token retrieval failed: ${identityError}

This generally indicates a workflow configuration error, such as insufficient
permissions. Make sure that your workflow has \`id-token: write\` configured
at the job level, e.g.:

\`\`\`yaml
permissions:
  id-token: write
\`\`\`

Learn more at https://docs.github.com/en/actions/deployment/security-hardening-your-deployments/about-security-hardening-with-openid-connect#adding-permissions-settings.`;
}

export function tokenRetrievalFailedForkPR(identityError: string): string {
  return `OpenID Connect token retrieval failed: ${identityError}

The workflow context indicates that this action was called from a
pull request on a fork. GitHub doesn't give these workflows OIDC permissions,
even if \`id-token: write\` is explicitly configured.

To fix this, change your publishing workflow to use an event that
forks of your repository cannot trigger (such as tag or release
creation, or a manually triggered workflow dispatch).`;
}

export function serverRefused(reasons: string, renderedClaims: string, ci = 'GitHub'): string {
  return `Token request failed: the server refused the request for the following reasons:

${reasons}

This generally indicates a trusted publisher configuration error, but could
also indicate an internal error on ${ci} or PyPI's part.

${renderedClaims}`;
}

export function malformedJson(status: number): string {
  return `Token request failed: the index produced an unexpected
${status} response.

This strongly suggests a server configuration or downtime issue; wait
a few minutes and try again.

You can monitor PyPI's status here: https://status.python.org/`;
}

export const MALFORMED_TOKEN_RESPONSE = `Token response error: the index gave us an invalid response.

This strongly suggests a server configuration or downtime issue; wait
a few minutes and try again.`;

/**
 * The incumbent's warning for a reusable workflow, given whatever the mint answers: PyPI matches a
 * publisher on the called workflow, the most common reason such a publish is refused. With
 * attestations, also why they are left out.
 */
export function reusableWorkflowWarning(caller: string, called: string, attestations: boolean): string {
  const head = `Potential workflow misconfiguration: this job runs in a reusable workflow.

The job's workflow_ref is \`${caller}\` but its job_workflow_ref is \`${called}\`.`;
  const support = `Reusable workflows are **not currently supported** by PyPI as Trusted Publishers:
https://docs.pypi.org/trusted-publishers/troubleshooting/#reusable-workflows-on-github`;
  if (!attestations) return `${head}\nPyPI matches Trusted Publishers on the called workflow.\n${support}`;
  return `${head}
PyPI matches Trusted Publishers on the called workflow, while PEP 740 attestations carry the
calling workflow as their Build Config URI, so PyPI would reject the attestations
("Certificate's Build Config URI … does not match expected Trusted Publisher").
${support}

This action therefore uploads the files **without attestations**. To publish with attestations,
run this action in a job of the top-level workflow that the Trusted Publisher names.`;
}
