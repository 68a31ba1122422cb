// A stand-in for GitHub Actions' OIDC token service: RS256 ID tokens whose `iss` is GitHub's real
// issuer, handed out at the runner's ACTIONS_ID_TOKEN_REQUEST_URL to holders of a request token. Each
// request token is bound to a scenario (claim overrides, see claims.ts); keys are served as JWKS so
// the PyPI stand-in and Fulcio verify signatures exactly as they would against GitHub.
import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { json, type Route, type WorldRequest } from '../faults.ts';
import { GITHUB_ISSUER, PRESETS, scenarioClaims, type Overrides } from './claims.ts';
import { goOIDCVerify, type IDToken } from './go-oidc.ts';

const LIFETIME_S = 5 * 60;

export interface Issuer {
  /** Request token of the default scenario (ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
  defaultRequestToken: string;
  /** Verifies one of our ID tokens as Fulcio's go-oidc verifier does (go-oidc.ts); returns its claims. */
  verify(jwt: string, audience: string, claimed?: unknown): Promise<IDToken>;
  routes(): Route[];
}

/**
 * `journal` receives every secret the issuer hands out (request tokens, ID tokens), so tests can
 * scan what the action printed for any of them.
 */
export async function createIssuer(journal: (secret: string) => void = () => {}): Promise<Issuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(20).toString('hex').toUpperCase();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const scenarios = new Map<string, Overrides>();

  function scenario(overrides: Overrides): string {
    const token = randomBytes(32).toString('hex');
    journal(token);
    scenarios.set(token, overrides);
    return token;
  }

  async function sign(overrides: Overrides, audience: string | undefined): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const base = scenarioClaims(overrides);
    // Without ?audience= GitHub uses the owner's URL.
    const aud = audience ?? `https://github.com/${String(base.repository_owner)}`;
    const claims: Record<string, unknown> = {
      jti: randomUUID(),
      iss: GITHUB_ISSUER,
      aud,
      iat: now,
      nbf: now,
      exp: now + LIFETIME_S,
      ...base,
    };
    for (const [k, v] of Object.entries(overrides)) if (v === null) delete claims[k];
    const jwt = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(privateKey);
    journal(jwt);
    return jwt;
  }

  async function token(req: WorldRequest) {
    const match = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) return json(401, { message: 'Unauthorized: missing bearer request token' });
    const overrides = scenarios.get(match[1] ?? '');
    if (!overrides) return json(403, { message: 'Forbidden: request token is not valid for this run' });
    // The runner's URL already carries a query string, so clients append "&audience=…".
    const audience = req.url.searchParams.get('audience') ?? undefined;
    return json(200, { count: 1, value: await sign(overrides, audience) });
  }

  function register(req: WorldRequest) {
    let input: { claims?: Overrides; preset?: string };
    try {
      input = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
    } catch {
      return json(400, { message: 'body must be JSON {claims?, preset?}' });
    }
    const preset = input.preset === undefined ? {} : PRESETS[input.preset];
    if (!preset) return json(400, { message: `unknown preset; known: ${Object.keys(PRESETS).join(', ')}` });
    return json(201, { token: scenario({ ...preset, ...input.claims }) });
  }

  function discovery(req: WorldRequest) {
    const base = `http://${req.headers.host ?? '127.0.0.1'}`;
    return json(200, {
      issuer: GITHUB_ISSUER,
      jwks_uri: `${base}/.well-known/jwks`,
      subject_types_supported: ['public', 'pairwise'],
      response_types_supported: ['id_token'],
      claims_supported: [
        'sub',
        'aud',
        'exp',
        'iat',
        'iss',
        'jti',
        'nbf',
        'ref',
        'sha',
        'repository',
        'repository_id',
        'repository_owner',
        'repository_owner_id',
        'run_id',
        'run_number',
        'run_attempt',
        'actor',
        'actor_id',
        'workflow',
        'workflow_ref',
        'workflow_sha',
        'head_ref',
        'base_ref',
        'event_name',
        'ref_type',
        'ref_protected',
        'environment',
        'job_workflow_ref',
        'job_workflow_sha',
        'repository_visibility',
        'runner_environment',
      ],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid'],
    });
  }

  return {
    defaultRequestToken: scenario({}),
    verify: (jwt, audience) => goOIDCVerify(jwt, publicKey, GITHUB_ISSUER, audience),
    routes: () => [
      { method: 'GET', path: '/token', handle: token },
      { method: 'GET', path: '/.well-known/openid-configuration', handle: discovery },
      { method: 'GET', path: '/.well-known/jwks', handle: () => json(200, { keys: [jwk] }) },
      { method: 'POST', path: '/_world/scenarios', control: true, handle: register },
    ],
  };
}
