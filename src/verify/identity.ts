// Publisher identities: how one is shown, and whether one found in provenance is what was expected.
//
// A lock file's `attestation-identities` entry (PEP 751) holds a PEP 740 publisher object as is: `kind`
// plus the kind's fields. Every field it names must match the identity found; fields it leaves out
// (e.g. `environment`) are not checked. GitHub repository names are case-insensitive on GitHub, so
// they are compared without case; everything else exactly.
import type { IdentityExpectation, PublisherIdentity } from './types.ts';

/**
 * "GitHub octo-org/sampleproject (release.yml, environment pypi)"; "CircleCI
 * github.com/octo-org/sampleproject (project 5f2b…, pipeline definition 0c8e…)".
 */
export function describeIdentity(identity: PublisherIdentity): string {
  const s = (key: string) => (typeof identity[key] === 'string' && identity[key] !== '' ? (identity[key] as string) : undefined);
  const where = s('repository') ?? s('email') ?? s('vcs_origin') ?? '?';
  const details = [
    s('workflow') ?? s('workflow_filepath'),
    s('project_id') ? `project ${s('project_id')}` : undefined,
    s('pipeline_definition_id') ? `pipeline definition ${s('pipeline_definition_id')}` : undefined,
    s('environment') ? `environment ${s('environment')}` : undefined,
  ].filter(Boolean);
  return `${identity.kind} ${where}${details.length ? ` (${details.join(', ')})` : ''}`;
}

/** The identity as PEP 751 records it: `kind` and the publisher's non-empty string fields. */
export function identityRecord(identity: PublisherIdentity): Record<string, string> {
  const out: Record<string, string> = { kind: identity.kind };
  for (const [key, value] of Object.entries(identity)) {
    if (key !== 'kind' && typeof value === 'string' && value !== '') out[key] = value;
  }
  return out;
}

/** An expectation from a recorded identity (a pylock.toml `attestation-identities` entry). */
export function expectIdentity(recorded: PublisherIdentity): IdentityExpectation {
  const { kind, ...fields } = identityRecord(recorded);
  return { label: describeIdentity(recorded), kinds: [kind as string], fields };
}

/**
 * An expectation from `--repository owner/name` (or `https://github.com/owner/name`,
 * `https://gitlab.com/group/name`, as pypi-attestations takes it) and an optional `--workflow`.
 */
export function expectRepository(repository: string, workflow?: string): IdentityExpectation {
  const url = /^https:\/\/(github\.com|gitlab\.com)\/(.+?)\/?$/.exec(repository);
  const slug = url ? (url[2] as string) : repository;
  const kinds = url ? [url[1] === 'github.com' ? 'GitHub' : 'GitLab'] : ['GitHub', 'GitLab'];
  const fields: Record<string, string> = { repository: slug };
  if (workflow) fields['workflow'] = workflow;
  const label = `${url ? `${kinds[0]} ` : ''}${slug}${workflow ? ` (${workflow})` : ''}`;
  return { label, kinds, fields };
}

function fieldMatches(kind: string, key: string, expected: string, found: unknown): boolean {
  if (typeof found !== 'string') return false;
  if (key === 'repository' && kind === 'GitHub') return found.toLowerCase() === expected.toLowerCase();
  return found === expected;
}

export function identityMatches(expected: IdentityExpectation, found: PublisherIdentity): boolean {
  if (expected.kinds.length > 0 && !expected.kinds.includes(found.kind)) return false;
  return Object.entries(expected.fields).every(([key, value]) => {
    // A workflow names GitHub's `workflow` or GitLab's `workflow_filepath`, whichever the kind has.
    const field = key === 'workflow' && found.kind === 'GitLab' && !('workflow' in found) ? 'workflow_filepath' : key;
    return fieldMatches(found.kind, key, value, found[field]);
  });
}
