// The world's GitHub OIDC issuer: request-token auth like the runner's, RS256 tokens that verify
// against the published JWKS with GitHub's claim set, scenarios, and Fulcio's use of those tokens.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeJwt, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { startWorld, type World } from '../../test/helpers/world.ts';
import type { WorldRequest } from '../../test/world/faults.ts';
import type { Overrides } from '../../test/world/oidc/claims.ts';
import { goOIDCVerify, goTime } from '../../test/world/oidc/go-oidc.ts';
import { createIssuer } from '../../test/world/oidc/issuer.ts';

const ISSUER = 'https://token.actions.githubusercontent.com';

let world: World;
before(async () => {
  world = await startWorld({ pypi: false });
});
after(() => world?.stop());

const tokenURL = (audience: string) => `${world.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${audience}`;

async function verified(jwt: string, audience: string) {
  const discovery = (await (await fetch(`${world.urls.oidc}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
  assert.equal(discovery.issuer, ISSUER);
  const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: ISSUER, audience, algorithms: ['RS256'] });
  return payload;
}

// Asks Fulcio for a certificate the way FulcioSigner does (proof of possession over `sub`).
async function requestCertificate(jwt: string): Promise<Response> {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const sub = String(decodeJwt(jwt).sub ?? '');
  return fetch(`${world.urls.fulcio}/api/v2/signingCert`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      credentials: { oidcIdentityToken: jwt },
      publicKeyRequest: {
        publicKey: { algorithm: 'ECDSA', content: publicKey.export({ type: 'spki', format: 'pem' }) },
        proofOfPossession: sign('sha256', Buffer.from(sub), privateKey).toString('base64'),
      },
    }),
  });
}

describe('token endpoint', () => {
  test("wants the run's bearer request token", async () => {
    assert.equal((await fetch(tokenURL('pypi'))).status, 401);
    const wrong = await fetch(tokenURL('pypi'), { headers: { authorization: 'bearer not-the-token' } });
    assert.equal(wrong.status, 403);
  });

  test("accepts ?audience= as well as the runner's &audience= form", async () => {
    const res = await fetch(`${world.urls.oidc}/token?audience=pypi`, {
      headers: { authorization: `Bearer ${world.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
    });
    assert.equal(res.status, 200);
    assert.equal(decodeJwt(((await res.json()) as { value: string }).value).aud, 'pypi');
  });

  test("issues RS256 tokens with GitHub's claim set that verify against the JWKS", async () => {
    const claims = await verified(await world.idToken('pypi'), 'pypi');
    assert.equal(claims.exp! - claims.iat!, 300);
    assert.partialDeepStrictEqual(claims, {
      iss: ISSUER,
      aud: 'pypi',
      sub: 'repo:octo-org/sampleproject:ref:refs/tags/v1.0.0',
      repository: 'octo-org/sampleproject',
      repository_owner: 'octo-org',
      repository_owner_id: '1001',
      workflow_ref: 'octo-org/sampleproject/.github/workflows/release.yml@refs/tags/v1.0.0',
      job_workflow_ref: 'octo-org/sampleproject/.github/workflows/release.yml@refs/tags/v1.0.0',
      ref: 'refs/tags/v1.0.0',
      ref_type: 'tag',
      event_name: 'push',
      runner_environment: 'github-hosted',
      repository_visibility: 'public',
    });
    for (const claim of ['jti', 'nbf', 'repository_id', 'workflow', 'workflow_sha', 'job_workflow_sha', 'sha', 'run_id', 'run_number', 'run_attempt', 'actor'])
      assert.ok(claim in claims, claim);
    assert.ok(!('environment' in claims));
  });

  test('gives every token a fresh jti', async () => {
    const [a, b] = await Promise.all([world.idToken('pypi'), world.idToken('pypi')]);
    assert.notEqual(decodeJwt(a!).jti, decodeJwt(b!).jti);
  });
});

describe('scenarios', () => {
  test('override claims, re-derive dependent ones, and null removes a claim', async () => {
    const token = await world.scenario({ environment: 'PyPI', ref: 'refs/heads/main', actor: null });
    const claims = decodeJwt(await world.idToken('pypi', token));
    assert.equal(claims.environment, 'PyPI');
    assert.equal(claims.sub, 'repo:octo-org/sampleproject:environment:PyPI');
    assert.equal(claims.ref_type, 'branch');
    assert.equal(claims.workflow_ref, 'octo-org/sampleproject/.github/workflows/release.yml@refs/heads/main');
    assert.ok(!('actor' in claims));
    // The default scenario is untouched.
    assert.equal(decodeJwt(await world.idToken('pypi')).ref, 'refs/tags/v1.0.0');
  });

  test('presets: reusable workflow, pull_request_target, environment', async () => {
    const reusable = decodeJwt(await world.idToken('pypi', await world.scenario({}, 'reusable-workflow')));
    assert.match(String(reusable.job_workflow_ref), /reusable-publish\.yml@/);
    assert.match(String(reusable.workflow_ref), /release\.yml@/);
    const target = decodeJwt(await world.idToken('pypi', await world.scenario({}, 'pull-request-target')));
    assert.equal(target.event_name, 'pull_request_target');
    assert.equal(target.sub, 'repo:octo-org/sampleproject:pull_request');
    const env = decodeJwt(await world.idToken('pypi', await world.scenario({}, 'environment')));
    assert.equal(env.environment, 'pypi');
    await assert.rejects(world.scenario({}, 'no-such-preset'), /400/);
  });
});

describe('Fulcio', () => {
  test('issues a certificate for a sigstore-audience token', async () => {
    const res = await requestCertificate(await world.idToken('sigstore'));
    assert.equal(res.status, 200);
    const { certificates } = ((await res.json()) as { signedCertificateEmbeddedSct: { chain: { certificates: string[] } } }).signedCertificateEmbeddedSct.chain;
    for (const pem of certificates) {
      assert.ok(
        pem.split('\n').every((line) => line.length <= 64),
        '64-column PEM',
      );
    }
  });

  // Real Fulcio refuses every token it cannot authenticate with InvalidArgument (HTTP 400) and one
  // message, whatever the reason (sigstore/fulcio pkg/server/grpc_server.go).
  test('answers 400 "There was an error processing the identity token" to unsigned, expired and wrong-audience tokens', async () => {
    const good = await world.idToken('sigstore');
    const [header, payload] = good.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    const expired = await world.idToken('sigstore', await world.scenario({ exp: Math.floor(Date.now() / 1000) - 60 }));
    const wrongAudience = await world.idToken('pypi');
    for (const jwt of [unsigned, `${header}.${payload}.AAAA`, expired, wrongAudience]) {
      const res = await requestCertificate(jwt);
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { code: 3, message: 'There was an error processing the identity token', details: [] });
    }
  });
});

// Fulcio verifies tokens with coreos/go-oidc: five minutes of leeway on `nbf` (clock skew between the
// issuer and Fulcio), none on `exp`, and a token without `exp` is expired.
describe("Fulcio's go-oidc verifier", () => {
  const now = () => Math.floor(Date.now() / 1000);
  const identityRefusal = { code: 3, message: 'There was an error processing the identity token', details: [] };

  test('takes a token whose nbf is up to five minutes ahead, and refuses one further ahead or without exp', async () => {
    const soon = await requestCertificate(await world.idToken('sigstore', await world.scenario({ nbf: now() + 240 })));
    assert.equal(soon.status, 200);
    for (const claims of [{ nbf: now() + 400 }, { exp: null }] as Overrides[]) {
      const res = await requestCertificate(await world.idToken('sigstore', await world.scenario(claims)));
      assert.deepEqual({ status: res.status, body: await res.json() }, { status: 400, body: identityRefusal }, JSON.stringify(claims));
    }
  });

  test('checks the signature first, then refuses a null exp or iat (jsonTime values) and takes a null nbf (a pointer)', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const base = { iss: 'https://issuer.example', aud: 'sigstore', exp: now() + 300, iat: now() };
    const signed = (claims: object) => new SignJWT({ ...base, ...claims }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    const verify = async (claims: object) => goOIDCVerify(await signed(claims), publicKey, base.iss, 'sigstore');
    for (const claims of [{ exp: null }, { iat: null }]) {
      await assert.rejects(
        verify(claims),
        /^Error: oidc: failed to unmarshal claims: strconv\.ParseFloat: parsing "": invalid syntax$/,
        JSON.stringify(claims),
      );
    }
    assert.equal((await verify({ nbf: null, sub: 'me' })).subject, 'me');
    const unsigned = `e30.${Buffer.from(JSON.stringify({ ...base, exp: null })).toString('base64url')}.c2ln`;
    await assert.rejects(
      goOIDCVerify(unsigned, publicKey, base.iss, 'sigstore'),
      /^Error: failed to verify signature/,
      'go-oidc v3.19 verifies before it reads',
    );
  });

  test("refuses a token from the future in go-oidc's words", async () => {
    const issuer = await createIssuer();
    const call = async (path: string, url: string, headers: Record<string, string>, body = '') => {
      const route = issuer.routes().find((r) => r.path === path)!;
      const request: WorldRequest = { method: route.method, url: new URL(url, 'http://127.0.0.1'), headers, body: Buffer.from(body), params: [] };
      return (await route.handle(request)).body as Record<string, string>;
    };
    const nbf = now() + 400;
    const { token } = await call('/_world/scenarios', '/_world/scenarios', {}, JSON.stringify({ claims: { nbf } }));
    const { value } = await call('/token', '/token?audience=sigstore', { authorization: `Bearer ${token}` });
    const stamp = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC`;
    const message = new RegExp(
      String.raw`^oidc: current time ${stamp} m=\+\d+\.\d{9} before the nbf \(not before\) time: ${goTime(nbf * 1000).replace('+', String.raw`\+`)}$`,
    );
    await assert.rejects(issuer.verify(value!, 'sigstore'), (error: Error) => message.test(error.message));
    assert.equal(goTime(1_700_000_000_500.25), '2023-11-14 22:13:20.50025 +0000 UTC', "Go's time.Time String(), trailing zeros of the fraction dropped");
  });
});
