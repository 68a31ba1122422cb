// Reading a JWT's claims without verifying it: only ever to explain a failure or to notice a
// reusable workflow. Nothing is trusted on the strength of this decoding.
import { jsonText, parseJsonObject } from '../http/json-object.ts';

export type Claims = Record<string, unknown>;

export function decodeClaims(jwt: string): Claims {
  const payload = jwt.split('.')[1];
  if (!payload) return {};
  return parseJsonObject(Buffer.from(payload, 'base64url').toString('utf8')) ?? {};
}

/** The claims the incumbent shows "for debugging purposes only" when the index refuses a token. */
export const RENDERED_CLAIMS = [
  'sub',
  'repository',
  'repository_owner',
  'repository_owner_id',
  'workflow_ref',
  'job_workflow_ref',
  'ref',
  'environment',
] as const;

/** The incumbent's claims dump: its preamble, then one line per claim (`MISSING` when absent). */
export function claimsDump(names: readonly string[], claims: Claims): string[] {
  return [
    'The claims rendered below are **for debugging purposes only**. You should **not**',
    'use them to configure a trusted publisher unless they already match your expectations.',
    '',
    'If a claim is not present in the claim set, then it is rendered as `MISSING`.',
    '',
    ...names.map((name) => `* \`${name}\`: \`${claims[name] === undefined ? 'MISSING' : jsonText(claims[name])}\``),
  ];
}

export function renderClaims(claims: Claims): string {
  return [...claimsDump(RENDERED_CLAIMS, claims), '', 'See https://docs.pypi.org/trusted-publishers/troubleshooting/ for more help.'].join('\n');
}

/** The job runs in a reusable workflow when the workflow that was called differs from the one that runs. */
export function reusableWorkflow(claims: Claims): { caller: string; called: string } | undefined {
  const caller = claims['workflow_ref'];
  const called = claims['job_workflow_ref'];
  if (typeof caller === 'string' && typeof called === 'string' && caller !== called) return { caller, called };
  return undefined;
}
