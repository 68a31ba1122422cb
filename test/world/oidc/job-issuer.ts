// An issuer of a CI service's job ID tokens (GitLab's `id_tokens:`, CircleCI's `circleci run oidc
// get`): the service hands a job its tokens itself, so a test asks the world for them on a control
// route ({audiences, claims?} → {tokens: {audience: jwt}}) and puts them where the service would.
// Keys are served as JWKS on the path the service serves them on; the discovery document names them.
import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { json, type Route, type WorldRequest } from '../faults.ts';
import type { ClaimValue, Overrides } from './claims.ts';
import { goOIDCVerify } from './go-oidc.ts';

export interface JobIssuerSpec {
  /** the tokens' `iss` */
  issuer: string;
  /** where the world serves the issuer's documents, e.g. /gitlab */
  base: string;
  /** the JWKS path, under `base` */
  jwksPath: string;
  /** the control route that hands out a job's tokens */
  control: string;
  /** the job's claims (without iss/aud/iat/nbf/exp/jti) for overrides; `null` removes a claim */
  claims(overrides: Overrides): Record<string, ClaimValue>;
  /** seconds a token lives */
  lifetime: number;
}

export interface JobIssuer {
  /** Verifies one of our ID tokens as Fulcio's go-oidc verifier does (go-oidc.ts); returns its claims. */
  verify(jwt: string, audience: string): Promise<Record<string, unknown>>;
  /** The ID tokens of one job, by audience. */
  idTokens(audiences: string[], overrides?: Overrides): Promise<Record<string, string>>;
  routes(): Route[];
}

/** `journal` receives every token handed out, so tests can scan what a CLI printed for any of them. */
export async function createJobIssuer(spec: JobIssuerSpec, journal: (secret: string) => void = () => {}): Promise<JobIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(32).toString('base64url');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const jwksPath = `${spec.base}${spec.jwksPath}`;

  async function idTokens(audiences: string[], overrides: Overrides = {}): Promise<Record<string, string>> {
    const now = Math.floor(Date.now() / 1000);
    const base = spec.claims(overrides);
    const tokens: Record<string, string> = {};
    for (const aud of audiences) {
      const claims: Record<string, unknown> = { ...base, jti: randomUUID(), iss: spec.issuer, aud, iat: now, nbf: now - 5, exp: now + spec.lifetime };
      for (const [k, v] of Object.entries(overrides)) if (v === null) delete claims[k];
      const jwt = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(privateKey);
      journal(jwt);
      tokens[aud] = jwt;
    }
    return tokens;
  }

  async function issue(req: WorldRequest) {
    let input: { audiences?: unknown; claims?: Overrides };
    try {
      input = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
    } catch {
      return json(400, { message: 'body must be JSON {audiences, claims?}' });
    }
    const audiences = input.audiences;
    if (!Array.isArray(audiences) || audiences.length === 0 || !audiences.every((a) => typeof a === 'string' && a !== '')) {
      return json(400, { message: 'audiences must be a non-empty list of strings' });
    }
    return json(201, { tokens: await idTokens(audiences as string[], input.claims ?? {}) });
  }

  function discovery(req: WorldRequest) {
    return json(200, {
      issuer: spec.issuer,
      jwks_uri: `http://${req.headers.host ?? '127.0.0.1'}${jwksPath}`,
      response_types_supported: ['code', 'token', 'id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  }

  return {
    idTokens,
    verify: (jwt, audience) => goOIDCVerify(jwt, publicKey, spec.issuer, audience),
    routes: () => [
      { method: 'GET', path: `${spec.base}/.well-known/openid-configuration`, handle: discovery },
      { method: 'GET', path: jwksPath, handle: () => json(200, { keys: [jwk] }) },
      { method: 'POST', path: spec.control, control: true, handle: issue },
    ],
  };
}
