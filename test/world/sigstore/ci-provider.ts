// The certificate Fulcio issues for a CI job's token: its ci-provider principal (pkg/identity/ciprovider)
// rendering the templates of the job's provider (config/identity/config.yaml, ci-issuer-metadata):
// - every claim formatted as a string (mapValuesToString), the provider's defaults under them;
// - the SAN first, then each extension in the order of Fulcio's Extensions struct (OID order),
//   Issuer and Subject set from the token itself;
// - a template with an action is Go's text/template with missingkey=error, so `.name` of a missing
//   claim fails ("template: :1:COL: executing …") while `index . "name"` renders empty; a template
//   without one names a claim, and a missing claim fails in the principal's words;
// - an extension that renders empty is left out; one that renders `""` is not;
// - the SAN is the URL Go's url.Parse reads in the rendered text, written back by URL.String (spaces
//   and non-ASCII bytes escaped, go-url.ts); a text Parse refuses is refused in its words.
// __tests__/world/real-servers.test.ts holds the result to sigstore/fulcio itself.
import { goURLParse, goURLString } from '../go-url.ts';
import type { IDToken } from '../oidc/go-oidc.ts';
import type { ClaimExtension } from './ca.ts';
import { OID } from './fulcio-extensions.ts';

interface CIProvider {
  defaults: Record<string, string>;
  san: string;
  /** Fulcio's Extensions field name, its OID, its template */
  extensions: Array<[string, string, string]>;
}

// Extensions .1.2–.1.6 are GitHub's deprecated ones, written as raw bytes, not UTF8Strings.
const LEGACY = new Set(['1.3.6.1.4.1.57264.1.2', '1.3.6.1.4.1.57264.1.3', '1.3.6.1.4.1.57264.1.4', '1.3.6.1.4.1.57264.1.5', '1.3.6.1.4.1.57264.1.6']);

const GITHUB: CIProvider = {
  defaults: { url: 'https://github.com', environment: '' },
  san: '{{ .url }}/{{ .job_workflow_ref }}',
  extensions: [
    ['GithubWorkflowTrigger', '1.3.6.1.4.1.57264.1.2', 'event_name'],
    ['GithubWorkflowSHA', '1.3.6.1.4.1.57264.1.3', 'sha'],
    ['GithubWorkflowName', '1.3.6.1.4.1.57264.1.4', 'workflow'],
    ['GithubWorkflowRepository', '1.3.6.1.4.1.57264.1.5', 'repository'],
    ['GithubWorkflowRef', '1.3.6.1.4.1.57264.1.6', 'ref'],
    ['BuildSignerURI', OID.buildSignerURI, '{{ .url }}/{{ .job_workflow_ref }}'],
    ['BuildSignerDigest', OID.buildSignerDigest, 'job_workflow_sha'],
    ['RunnerEnvironment', OID.runnerEnvironment, 'runner_environment'],
    ['SourceRepositoryURI', OID.sourceRepositoryURI, '{{ .url }}/{{ .repository }}'],
    ['SourceRepositoryDigest', OID.sourceRepositoryDigest, 'sha'],
    ['SourceRepositoryRef', OID.sourceRepositoryRef, 'ref'],
    ['SourceRepositoryIdentifier', OID.sourceRepositoryIdentifier, 'repository_id'],
    ['SourceRepositoryOwnerURI', OID.sourceRepositoryOwnerURI, '{{ .url }}/{{ .repository_owner }}'],
    ['SourceRepositoryOwnerIdentifier', OID.sourceRepositoryOwnerIdentifier, 'repository_owner_id'],
    ['BuildConfigURI', OID.buildConfigURI, '{{ .url }}/{{ .workflow_ref }}'],
    ['BuildConfigDigest', OID.buildConfigDigest, 'workflow_sha'],
    ['BuildTrigger', OID.buildTrigger, 'event_name'],
    ['RunInvocationURI', OID.runInvocationURI, '{{ .url }}/{{ .repository }}/actions/runs/{{ .run_id }}/attempts/{{ .run_attempt }}'],
    ['SourceRepositoryVisibilityAtSigning', OID.sourceRepositoryVisibility, 'repository_visibility'],
    ['DeploymentEnvironment', OID.deploymentEnvironment, 'environment'],
  ],
};

const GITLAB: CIProvider = {
  defaults: { url: 'https://gitlab.com', environment: '' },
  san: 'https://{{ .ci_config_ref_uri }}',
  extensions: [
    ['BuildSignerURI', OID.buildSignerURI, 'https://{{ .ci_config_ref_uri }}'],
    ['BuildSignerDigest', OID.buildSignerDigest, 'ci_config_sha'],
    ['RunnerEnvironment', OID.runnerEnvironment, 'runner_environment'],
    ['SourceRepositoryURI', OID.sourceRepositoryURI, '{{ .url }}/{{ .project_path }}'],
    ['SourceRepositoryDigest', OID.sourceRepositoryDigest, 'sha'],
    ['SourceRepositoryRef', OID.sourceRepositoryRef, 'refs/{{if eq .ref_type "branch"}}heads/{{ else }}tags/{{end}}{{ .ref }}'],
    ['SourceRepositoryIdentifier', OID.sourceRepositoryIdentifier, 'project_id'],
    ['SourceRepositoryOwnerURI', OID.sourceRepositoryOwnerURI, '{{ .url }}/{{ .namespace_path }}'],
    ['SourceRepositoryOwnerIdentifier', OID.sourceRepositoryOwnerIdentifier, 'namespace_id'],
    ['BuildConfigURI', OID.buildConfigURI, 'https://{{ .ci_config_ref_uri }}'],
    ['BuildConfigDigest', OID.buildConfigDigest, 'ci_config_sha'],
    ['BuildTrigger', OID.buildTrigger, 'pipeline_source'],
    ['RunInvocationURI', OID.runInvocationURI, '{{ .url }}/{{ .project_path }}/-/jobs/{{ .job_id }}'],
    ['SourceRepositoryVisibilityAtSigning', OID.sourceRepositoryVisibility, 'project_visibility'],
    ['DeploymentEnvironment', OID.deploymentEnvironment, 'environment'],
  ],
};

const CIRCLECI_SIGNER =
  '{{.api_url}}/projects/{{(index . "oidc.circleci.com/project-id")}}/pipeline-definitions/{{(index . "oidc.circleci.com/pipeline-definition-id")}}';
const CIRCLECI: CIProvider = {
  defaults: { api_url: 'https://circleci.com/api/v2', platform_url: 'https://app.circleci.com/' },
  san: CIRCLECI_SIGNER,
  extensions: [
    ['BuildSignerURI', OID.buildSignerURI, CIRCLECI_SIGNER],
    ['RunnerEnvironment', OID.runnerEnvironment, '{{if eq (index . "oidc.circleci.com/ssh-rerun") "true"}}ssh-rerun{{ else }}""{{end}}'],
    ['SourceRepositoryURI', OID.sourceRepositoryURI, '{{index . "oidc.circleci.com/vcs-origin"}}'],
    ['SourceRepositoryRef', OID.sourceRepositoryRef, '{{index . "oidc.circleci.com/vcs-ref"}}'],
    ['BuildConfigURI', OID.buildConfigURI, '{{.api_url}}/pipeline/{{(index . "oidc.circleci.com/pipeline-id")}}/config'],
    [
      'RunInvocationURI',
      OID.runInvocationURI,
      '{{.platform_url}}/workflow/{{(index . "oidc.circleci.com/workflow-id")}}/job/{{(index . "oidc.circleci.com/job-id")}}',
    ],
  ],
};

/** The providers of the issuers the world serves, by the tokens' `iss` (public-good's oidc-issuers). */
const ISSUERS = new Map<unknown, CIProvider>([
  ['https://token.actions.githubusercontent.com', GITHUB],
  ['https://gitlab.com', GITLAB],
  ['https://oidc.circleci.com', CIRCLECI],
]);
// public-good's meta-issuers: CircleCI's tokens name the organization's own issuer.
const META_ISSUERS: Array<[string, CIProvider]> = [['https://oidc.circleci.com/org/*', CIRCLECI]];

/** The issuers the world's Fulcio is configured with: each oidc-issuer's URL, each meta-issuer's (all CI providers'). */
export const CONFIGURED_ISSUERS = { urls: [...ISSUERS.keys()] as string[], wildcards: META_ISSUERS.map(([meta]) => meta) };

/** Fulcio's MetaRegex: the meta-issuer's text as is, each `*` one part of [-_a-zA-Z0-9]+, the whole URL. */
export function metaIssuerRegex(meta: string): RegExp {
  const quoted = meta.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${quoted.replaceAll('\\*', '[-_a-zA-Z0-9]+')}$`);
}

/** GetIssuer: the provider of an issuer listed as is, else of the first meta-issuer that matches it. */
export function ciProviderFor(iss: unknown): CIProvider | undefined {
  return ISSUERS.get(iss) ?? META_ISSUERS.find(([meta]) => typeof iss === 'string' && metaIssuerRegex(meta).test(iss))?.[1];
}

/** fmt's %v of a decoded JSON value, after mapValuesToString's whole floats. */
function goString(value: unknown): string {
  if (value === null) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goString).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `map[${entries.map(([k, v]) => `${k}:${goString(v)}`).join(' ')}]`;
  }
  return String(value);
}

// One action of the templates above: `.name`, `index . "name"` (parenthesized or not), or
// `if eq ARG "text"`, `else`, `end`.
const FIELD = /^\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*$/;
const INDEX = /^\s*\(?\s*index \. "([^"]*)"\s*\)?\s*$/;
const IF_EQ = /^if eq (\.[A-Za-z_][A-Za-z0-9_]*|\(index \. "[^"]*"\)) "([^"]*)"$/;

class TemplateError extends Error {}

/** text/template with missingkey=error over `data`, as far as Fulcio's templates use it. */
function execute(template: string, data: Record<string, string>): string {
  const lookup = (arg: string, at: number): string => {
    const field = FIELD.exec(arg);
    if (field) {
      const name = field[1]!;
      if (!Object.hasOwn(data, name)) throw new TemplateError(`template: :1:${at}: executing "" at <.${name}>: map has no entry for key "${name}"`);
      return data[name]!;
    }
    const index = INDEX.exec(arg);
    if (index) return Object.hasOwn(data, index[1]!) ? data[index[1]!]! : '';
    throw new Error(`the world renders no template action {{${arg}}}`);
  };
  let out = '';
  let skipping = false;
  let branchTaken = false;
  let pos = 0;
  for (const match of template.matchAll(/\{\{(.*?)\}\}/g)) {
    if (!skipping) out += template.slice(pos, match.index);
    pos = match.index + match[0].length;
    const action = match[1]!.trim();
    // Go names the column of the field node, the action's first dot.
    const at = match.index + 2 + match[1]!.indexOf('.');
    const condition = IF_EQ.exec(action);
    if (condition) {
      branchTaken = lookup(condition[1]!, at) === condition[2];
      skipping = !branchTaken;
    } else if (action === 'else') skipping = branchTaken;
    else if (action === 'end') skipping = false;
    else if (!skipping) out += lookup(action, at);
  }
  return out + template.slice(pos);
}

/** applyTemplateOrReplace: a template with an action, or the name of a claim. */
function render(template: string, data: Record<string, string>, issuer: string, extension: string): string {
  if (template.includes('{{')) return execute(template, data);
  if (Object.hasOwn(data, template)) return data[template]!;
  const metadata = JSON.stringify({ ExtensionName: extension, Issuer: issuer }, null, '\t');
  throw new TemplateError(`value <${template}> not present in either claims or defaults. ${metadata}`);
}

/** The leaf's SAN and extensions for a verified token (its issuer a provider's), or Fulcio's refusal. */
export function ciProviderLeaf(provider: CIProvider, token: IDToken): { subjectAltName: string; extensions: ClaimExtension[] } | { error: string } {
  const data: Record<string, string> = { ...provider.defaults };
  for (const [name, value] of Object.entries(token.claims)) data[name] = goString(value);
  // The issuer and subject extensions are the token's (go-oidc's IDToken), not a template's.
  const { issuer } = token;
  try {
    // The principal parses the SAN with url.Parse, and x509 writes the URL's String().
    const san = goURLParse(render(provider.san, data, issuer, 'SubjectAlternativeName'));
    if ('error' in san) return { error: san.error };
    const subjectAltName = goURLString(san);
    const rendered = provider.extensions.map(([name, oid, template]): ClaimExtension => ({ oid, value: render(template, data, issuer, name) }));
    // Render: the issuer twice (.1.1 raw, .1.8), every other value, the token's subject; OID order.
    const all: ClaimExtension[] = [
      { oid: OID.issuerV1, value: issuer, legacy: true },
      { oid: OID.issuerV2, value: issuer },
      ...rendered.map((e) => (LEGACY.has(e.oid) ? { ...e, legacy: true } : e)),
      { oid: OID.tokenSubject, value: token.subject },
    ];
    const arc = (e: ClaimExtension) => Number(e.oid.split('.').at(-1));
    return { subjectAltName, extensions: all.filter((e) => e.value !== '').sort((a, b) => arc(a) - arc(b)) };
  } catch (error) {
    if (error instanceof TemplateError) return { error: error.message };
    throw error;
  }
}
