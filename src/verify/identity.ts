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
    s(workflowField(identity.kind)),
    s('project_id') ? `project ${s('project_id')}` : undefined,
    s('pipeline_definition_id') ? `pipeline definition ${s('pipeline_definition_id')}` : undefined,
    s('environment') ? `environment ${s('environment')}` : undefined,
  ].filter(Boolean);
  return `${identity.kind} ${where}${details.length ? ` (${details.join(', ')})` : ''}`;
}

/**
 * The fields of each kind of publisher, as pypi-attestations models them. An index serves the
 * publisher object unsigned: a field of another kind's (a GitLab publisher's `workflow`) is nothing
 * the certificate was checked against, so it is neither recorded nor compared.
 */
const PUBLISHER_FIELDS: Record<string, readonly string[]> = {
  GitHub: ['repository', 'workflow', 'environment'],
  GitLab: ['repository', 'workflow_filepath', 'environment'],
  Google: ['email'],
  CircleCI: ['project_id', 'pipeline_definition_id', 'vcs_origin', 'vcs_ref'],
};

/** The field a workflow (`--workflow`, a GitHub workflow file or a GitLab pipeline file) names for a kind. */
const workflowField = (kind: string): string => (kind === 'GitLab' ? 'workflow_filepath' : 'workflow');

/** The identity as PEP 751 records it: `kind` and its kind's non-empty string fields. */
export function identityRecord(identity: PublisherIdentity): Record<string, string> {
  const known = PUBLISHER_FIELDS[identity.kind];
  return { kind: identity.kind, ...stringFields(identity, (key) => !known || known.includes(key)) };
}

/** The identity's non-empty string fields but `kind`, those `keep` takes. */
function stringFields(identity: PublisherIdentity, keep: (key: string) => boolean = () => true): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(identity)) if (key !== 'kind' && typeof value === 'string' && value !== '' && keep(key)) out[key] = value;
  return out;
}

/** An expectation from a recorded identity (a pylock.toml `attestation-identities` entry): every field the lock names must match. */
export function expectIdentity(recorded: PublisherIdentity): IdentityExpectation {
  return { label: describeIdentity(recorded), kinds: [recorded.kind], fields: stringFields(recorded) };
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

/**
 * Whether `found` is the identity expected. A workflow names GitHub's `workflow` or GitLab's
 * `workflow_filepath`, whatever else the served object holds.
 */
export function identityMatches(expected: IdentityExpectation, found: PublisherIdentity): boolean {
  if (expected.kinds.length > 0 && !expected.kinds.includes(found.kind)) return false;
  return Object.entries(expected.fields).every(([key, value]) => {
    const field = key === 'workflow' ? workflowField(found.kind) : key;
    return fieldMatches(found.kind, key, value, found[field]);
  });
}
