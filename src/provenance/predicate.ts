// The SLSA v1 provenance predicate GitHub's own build provenance writes (actions/attest-build-provenance,
// @actions/attest buildSLSAProvenancePredicate): GitHub Actions' workflow buildType, the workflow as the
// external parameters, the run's ids as internal ones, the repository at its commit as the one resolved
// dependency, the called workflow as the builder and the run attempt as the invocation. Everything comes
// from the claims of the OIDC token Fulcio certifies, so the predicate and the certificate tell one story
// (`gh attestation verify` compares the two).
import type { Claims } from '../pypi/claims.ts';
import { parseWorkflowRef } from '../pypi/workflow-ref.ts';
import { SLSA_PREDICATE_TYPE, type Predicate } from '../sigstore/statement.ts';

export const GITHUB_WORKFLOW_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1';

/** A claim the predicate needs is missing from the OIDC token. */
export class ProvenanceClaimsError extends Error {
  readonly missing: string[];
  constructor(missing: string[]) {
    super(`the GitHub OIDC token lacks ${missing.join(', ')}, which the build provenance records; is this a GitHub Actions run?`);
    this.name = 'ProvenanceClaimsError';
    this.missing = missing;
  }
}

const NEEDED = [
  'repository',
  'workflow_ref',
  'job_workflow_ref',
  'ref',
  'sha',
  'event_name',
  'repository_id',
  'repository_owner_id',
  'runner_environment',
  'run_id',
  'run_attempt',
] as const;

function claimText(claims: Claims, name: string): string | undefined {
  const v = claims[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function githubBuildPredicate(claims: Claims, serverURL: string): Predicate {
  const missing = NEEDED.filter((n) => claimText(claims, n) === undefined);
  if (missing.length > 0) throw new ProvenanceClaimsError(missing);
  const c = (n: (typeof NEEDED)[number]) => claimText(claims, n)!;
  const { file: workflowPath, ref: workflowRef } = parseWorkflowRef(c('workflow_ref'));
  return {
    type: SLSA_PREDICATE_TYPE,
    body: {
      buildDefinition: {
        buildType: GITHUB_WORKFLOW_BUILD_TYPE,
        externalParameters: { workflow: { ref: workflowRef, repository: `${serverURL}/${c('repository')}`, path: workflowPath } },
        internalParameters: {
          github: {
            event_name: c('event_name'),
            repository_id: c('repository_id'),
            repository_owner_id: c('repository_owner_id'),
            runner_environment: c('runner_environment'),
          },
        },
        resolvedDependencies: [{ uri: `git+${serverURL}/${c('repository')}@${c('ref')}`, digest: { gitCommit: c('sha') } }],
      },
      runDetails: {
        builder: { id: `${serverURL}/${c('job_workflow_ref')}` },
        metadata: { invocationId: `${serverURL}/${c('repository')}/actions/runs/${c('run_id')}/attempts/${c('run_attempt')}` },
      },
    },
  };
}
