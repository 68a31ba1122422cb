// An issuer of a CI service's job ID tokens (GitLab's `id_tokens:`, CircleCI's `circleci run oidc
// get`): the service hands a job its tokens itself, so a test asks the world for them on a control
// route ({audiences, claims?} → {tokens: {audience: jwt}}) and puts them where the service would.
// Keys are served as JWKS on the path the service serves them on; the discovery document names them.
import { randomBytes, randomUUID } from 'node:crypto';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { json, type Route, type WorldRequest } from '../faults.ts';
import { metaIssuerRegex } from '../sigstore/ci-provider.ts';
import type { ClaimValue, Overrides } from './claims.ts';
import { goOIDCVerify, type IDToken } from './go-oidc.ts';

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
  /**
   * Issuers under `issuer` whose tokens this one signs too, as Fulcio's config writes a meta-issuer
   * (`https://oidc.circleci.com/org/*`): a job asks for one by its `iss` claim, and each has its
   * discovery document under `base`.
   */
  metaIssuer?: string;
}

export interface JobIssuer {
  /** Verifies one of our ID tokens as Fulcio's go-oidc verifier does (go-oidc.ts); returns its claims. */
  /** `claimed`: the issuer the token names, as Fulcio reads it (by default, its `iss`). */
  verify(jwt: string, audience: string, claimed?: unknown): Promise<IDToken>;
  /** The ID tokens of one job, by audience; an `iss` override names one of the meta-issuer's issuers. */
  idTokens(audiences: string[], overrides?: Overrides): Promise<Record<string, string>>;
  /** Whether a token of `iss` is this issuer's to verify. */
  issues(iss: unknown): boolean;
  routes(): Route[];
}

const DISCOVERY = '/.well-known/openid-configuration';

/** The `iss` a token claims, before it is verified. */
function claimedIssuer(jwt: string): unknown {
  try {
    return decodeJwt(jwt).iss;
  } catch {
    return undefined;
  }
}

/** A refusal of the tokens a job asked for. */
class IssuerError extends Error {}

/** The discovery route of each of the meta-issuer's issuers, under the issuer's own `base`. */
function metaDiscovery(spec: JobIssuerSpec, handle: Route['handle']): Route {
  const name = `${spec.base}${spec.metaIssuer!.slice(spec.issuer.length)}${DISCOVERY}`;
  return { method: 'GET', path: metaIssuerRegex(name), name, handle };
}

/** `journal` receives every token handed out, so tests can scan what a CLI printed for any of them. */
export async function createJobIssuer(spec: JobIssuerSpec, journal: (secret: string) => void = () => {}): Promise<JobIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(32).toString('base64url');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const jwksPath = `${spec.base}${spec.jwksPath}`;

  const meta = spec.metaIssuer === undefined ? undefined : metaIssuerRegex(spec.metaIssuer);
  const issues = (iss: unknown) => iss === spec.issuer || (typeof iss === 'string' && meta?.test(iss) === true);

  async function idTokens(audiences: string[], overrides: Overrides = {}): Promise<Record<string, string>> {
    const now = Math.floor(Date.now() / 1000);
    const iss = overrides.iss ?? spec.issuer;
    if (!issues(iss)) throw new IssuerError(`iss must be ${spec.issuer}${spec.metaIssuer ? ` or match ${spec.metaIssuer}` : ''}`);
    const base = spec.claims(overrides);
    const tokens: Record<string, string> = {};
    for (const aud of audiences) {
      const claims: Record<string, unknown> = { ...base, jti: randomUUID(), iss, aud, iat: now, nbf: now - 5, exp: now + spec.lifetime };
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
    try {
      return json(201, { tokens: await idTokens(audiences as string[], input.claims ?? {}) });
    } catch (error) {
      if (error instanceof IssuerError) return json(400, { message: error.message });
      throw error;
    }
  }

  function discovery(req: WorldRequest) {
    // A meta-issuer's issuer is the issuer's URL and the path its document was asked at.
    const path = req.url.pathname.slice(spec.base.length, -DISCOVERY.length);
    return json(200, {
      issuer: `${spec.issuer}${path}`,
      jwks_uri: `http://${req.headers.host ?? '127.0.0.1'}${jwksPath}`,
      response_types_supported: ['code', 'token', 'id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  }

  return {
    idTokens,
    issues,
    // Fulcio makes a verifier for the token's own issuer, a meta-issuer's too.
    verify: (jwt, audience, claimed = claimedIssuer(jwt)) => goOIDCVerify(jwt, publicKey, issues(claimed) ? String(claimed) : spec.issuer, audience),
    routes: () => [
      { method: 'GET', path: `${spec.base}${DISCOVERY}`, handle: discovery },
      ...(spec.metaIssuer ? [metaDiscovery(spec, discovery)] : []),
      { method: 'GET', path: jwksPath, handle: () => json(200, { keys: [jwk] }) },
      { method: 'POST', path: spec.control, control: true, handle: issue },
    ],
  };
}
