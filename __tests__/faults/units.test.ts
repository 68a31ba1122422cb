// Pure pieces of the retry behaviour the fault matrix (matrix.test.ts) exercises end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, DEFAULT_RETRY, parseTimeScale, scaled, setTimeScale } from '../../src/http/retry.ts';
import { createGitHubIdentityProvider } from '../../src/sigstore/github-identity.ts';
import { createTokenSource, mintToken } from '../../src/pypi/trusted-publishing.ts';
import { createHttpClient, type HttpClient, type HttpResponse } from '../../src/http/client.ts';
import { scriptedServer } from '../../test/helpers/scripted-server.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

test('PYPI_PUBLISH_TIME_SCALE: only (0, 1] is accepted; it scales backoff but not Retry-After', () => {
  for (const bad of [undefined, '', '0', '-1', '2', 'abc', 'NaN', 'Infinity']) assert.equal(parseTimeScale(bad), undefined, String(bad));
  assert.equal(parseTimeScale('0.05'), 0.05);
  assert.equal(parseTimeScale('1'), 1);
  try {
    setTimeScale(0.1);
    assert.equal(scaled(120_000), 12_000);
    assert.equal(
      backoffDelay(DEFAULT_RETRY, 1, undefined, () => 1),
      50,
    );
    assert.equal(backoffDelay(DEFAULT_RETRY, 1, '2'), 2000, 'Retry-After is honoured as sent');
    setTimeScale(5); // out of range: back to real time
    assert.equal(scaled(1000), 1000);
  } finally {
    setTimeScale(1);
  }
});

test("Actions OIDC: a 200 without a JWT is retried with the other transient answers, by the client's policy", async () => {
  const server = await scriptedServer([
    { status: 429, body: '{}', headers: { 'retry-after': '0' } },
    { status: 200, body: '<html>proxy</html>' },
    { status: 200, body: JSON.stringify({ value: jwt({ sub: 'x' }) }) },
  ]);
  const http = createHttpClient({ userAgent: 'test' });
  try {
    const identity = createGitHubIdentityProvider({
      http,
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: `${server.url}/token?`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bearer-secret' },
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 10_000 },
    });
    assert.equal((await identity.getToken('pypi')).split('.').length, 3);
    assert.equal(server.requests.length, 3);
  } finally {
    await Promise.all([http.close(), server.close()]);
  }
});

test('Actions OIDC: a persistent 200 without a JWT is a clear error that names no secret', async () => {
  const server = await scriptedServer([{ status: 200, body: '{"value": "not-a-jwt"}' }]);
  const http = createHttpClient({ userAgent: 'test' });
  try {
    const identity = createGitHubIdentityProvider({
      http,
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: `${server.url}/token?x=runner-secret`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bearer-secret' },
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 10_000 },
    });
    await assert.rejects(identity.getToken('pypi'), (e: Error) => {
      assert.match(e.message, /answered without a JWT/);
      assert.doesNotMatch(e.message, /secret/);
      return true;
    });
  } finally {
    await Promise.all([http.close(), server.close()]);
  }
});

function fakeHttp(mintAnswers: Array<{ status: number; body: string }>, audience = { status: 200, body: '{"audience":"pypi"}' }) {
  const minted: string[] = [];
  const asked = { audience: 0 };
  const http: HttpClient = {
    async send(req) {
      const a = req.url.endsWith('/audience') ? (asked.audience++, audience) : (minted.push(JSON.parse(String(req.body?.())).token), mintAnswers.shift()!);
      // Answered in the check phase, as a socket's answer comes after the poll: what the exchange
      // queued with setImmediate when the request left runs before anything it does next.
      await new Promise((r) => setImmediate(r));
      const res: HttpResponse = {
        status: a.status,
        statusText: '',
        headers: {},
        body: Buffer.from(a.body),
        truncated: false,
        attempts: 1,
        header: () => undefined,
        text: () => a.body,
      };
      return res;
    },
    close: async () => {},
  };
  return { http, minted, asked };
}

test('mint-token: a 200 with cut JSON is retried with a fresh JWT', async () => {
  setTimeScale(0.001);
  try {
    const { http, minted } = fakeHttp([
      { status: 200, body: '{"success": true, "token": "pypi-AgEIcHlwaS5' },
      { status: 200, body: '{"success": true, "token": "pypi-real"}' },
    ]);
    let n = 0;
    const masked: string[] = [];
    const first = { issued: Promise.withResolvers<Record<string, unknown>>(), sent: Promise.withResolvers<Record<string, unknown>>() };
    const told = first.sent.promise.then((claims) => ({ claims, mintsSent: minted.length }));
    const issued = first.issued.promise;
    const token = await mintToken(
      { http, identity: { getToken: async () => jwt({ n: ++n }) }, mask: (s) => masked.push(s), log: { debug() {} }, github: {} },
      new URL('http://127.0.0.1:1/legacy/'),
      undefined,
      first,
    );
    assert.equal(token.token, 'pypi-real');
    // Sigstore starts loading from this promise: the first JWT's claims, after its mint request left.
    const sentClaims = await told;
    assert.deepEqual([sentClaims.claims['n'], sentClaims.mintsSent], [1, 1]);
    // The reusable-workflow warning reads these: the first JWT's claims, whatever its mint answered.
    assert.equal((await issued)['n'], 1);
    assert.equal(new Set(minted).size, 2, 'each mint attempt used its own JWT');
    assert.ok(masked.includes('pypi-real') && minted.every((j) => masked.includes(j)), 'every JWT and the token were masked');
  } finally {
    setTimeScale(1);
  }
});

test('token source: the audience asked for ahead is asked once, for every mint of the run', async () => {
  const { http, minted, asked } = fakeHttp([
    { status: 200, body: '{"token": "pypi-first"}' },
    { status: 200, body: '{"token": "pypi-renewed"}' },
  ]);
  let clock = Date.now();
  let n = 0;
  const source = createTokenSource(
    { http, identity: { getToken: async () => jwt({ n: ++n }) }, mask() {}, log: { debug() {} }, github: {} },
    new URL('http://127.0.0.1:1/legacy/'),
    () => clock,
  );
  source.prefetchAudience();
  assert.equal(asked.audience, 1, 'asked at once, before any token');
  assert.equal(n, 0, 'no JWT requested by the prefetch');
  assert.equal((await source.get()).token, 'pypi-first');
  clock += 11 * 60_000; // renewal
  assert.equal((await source.get()).token, 'pypi-renewed');
  assert.equal(asked.audience, 1);
  assert.equal(minted.length, 2);
});

test('token source: a failed prefetch is reported by get(), never as an unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const { http, minted, asked } = fakeHttp([], { status: 404, body: 'not found' });
    const source = createTokenSource(
      { http, identity: { getToken: async () => jwt({}) }, mask() {}, log: { debug() {} }, github: {} },
      new URL('http://127.0.0.1:1/legacy/'),
    );
    source.prefetchAudience();
    // Let the failed answer settle with nobody waiting for it, as while the dists are checked.
    await new Promise((resolve) => setImmediate(resolve));
    await assert.rejects(source.get(), /audience retrieval failed: repository at 127\.0\.0\.1:1 does not indicate trusted publishing support/);
    await assert.rejects(source.get(), /does not indicate trusted publishing support/);
    assert.equal(asked.audience, 1, 'the failed answer is not asked for again');
    assert.equal(minted.length, 0);
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

// Found by a review of the GitLab path: the token of Sigstore's audience is Fulcio's. Given to an
// index, it would let the index get certificates in this job's name.
test("an index asking for Sigstore's audience gets no token", async () => {
  const { http, minted } = fakeHttp([], { status: 200, body: '{"audience":"sigstore"}' });
  const audiences: string[] = [];
  const source = createTokenSource(
    { http, identity: { getToken: async (aud) => (audiences.push(aud), jwt({})) }, mask() {}, log: { debug() {} }, github: {} },
    new URL('http://127.0.0.1:1/legacy/'),
  );
  await assert.rejects(source.get(), /asks for a token for Sigstore's audience \("sigstore"\), which no index may have/);
  assert.deepEqual(audiences, []);
  assert.equal(minted.length, 0);
});

test('mint-token: a persistent non-JSON answer ends in the incumbent\'s "unexpected response" error', async () => {
  setTimeScale(0.001);
  try {
    const { http } = fakeHttp(Array.from({ length: 5 }, () => ({ status: 200, body: '<html>oops</html>' })));
    await assert.rejects(
      mintToken({ http, identity: { getToken: async () => jwt({}) }, mask() {}, log: { debug() {} }, github: {} }, new URL('http://127.0.0.1:1/legacy/')),
      /Trusted publishing exchange failure: Token request failed: the index produced an unexpected/,
    );
  } finally {
    setTimeScale(1);
  }
});

test('mint-token: answers of other shapes (null, a list, null reasons) are named, never a TypeError', async () => {
  setTimeScale(0.001);
  try {
    const exchange = (answers: Array<{ status: number; body: string }>) =>
      mintToken(
        { http: fakeHttp(answers).http, identity: { getToken: async () => jwt({}) }, mask() {}, log: { debug() {} }, github: {} },
        new URL('http://127.0.0.1:1/legacy/'),
      );
    await assert.rejects(exchange([{ status: 403, body: 'null' }]), /the index produced an unexpected/);
    await assert.rejects(
      exchange([{ status: 200, body: '[]' }, { status: 200, body: '["pypi-x"]' }, ...Array.from({ length: 3 }, () => ({ status: 200, body: 'null' }))]),
      /the index produced an unexpected/,
    );
    await assert.rejects(exchange([{ status: 422, body: '{"errors": [null, 7, {"code": "invalid-publisher", "description": "no match"}]}' }]), (e: Error) => {
      assert.match(e.message, /\n\* `invalid-publisher`: no match\n/);
      assert.doesNotMatch(e.message, /undefined|null/);
      return true;
    });
    await assert.rejects(exchange([{ status: 422, body: '{"errors": {"code": "x"}}' }]), /\* the index answered 422 without reasons/);
  } finally {
    setTimeScale(1);
  }
});

test('an index error that echoes the credentials is scrubbed before it reaches the report', async () => {
  const { uploadFile } = await import('../../src/pypi/upload.ts');
  const { writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { createHash } = await import('node:crypto');
  const dir = await scratchDir('scrub-');
  const path = join(dir, 'x-1.0.tar.gz');
  await writeFile(path, 'data');
  const password = 'pypi-AgEIcHlwaS5vcmcSECRET';
  const auth = Buffer.from(`__token__:${password}`).toString('base64');
  const echo = `<html><body>403 Invalid or non-existent authentication information. You sent ${password} (Basic ${auth})</body></html>`;
  const http: HttpClient = {
    send: async (req) => ({
      status: 403,
      statusText: `Forbidden ${password}`,
      headers: {},
      body: Buffer.from(echo),
      truncated: false,
      attempts: 1,
      header: () => undefined,
      text: () => (req.body?.(), echo),
    }),
    close: async () => {},
  };
  const dist = { filename: 'x-1.0.tar.gz', path, size: 4, digests: { sha256: createHash('sha256').update('data').digest('hex') } } as never;
  const outcome = await uploadFile(http, new URL('https://example.invalid/legacy/'), dist, [], { user: '__token__', password });
  assert.equal(outcome.kind, 'rejected');
  const message = (outcome as { message: string }).message;
  assert.match(message, /403 Invalid or non-existent authentication information/);
  assert.doesNotMatch(message, new RegExp(`${password}|${auth}`));
});

test('the OIDC request token never goes over plain http except to loopback', async () => {
  const server = await scriptedServer([{ status: 200, body: JSON.stringify({ value: jwt({}) }) }]);
  const http = createHttpClient({ userAgent: 'test' });
  const env = (url: string) => ({ ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bearer-secret' });
  let sent = 0;
  const counting: HttpClient = { send: (req) => (sent++, http.send(req)), close: () => http.close() };
  try {
    await assert.rejects(createGitHubIdentityProvider({ http: counting, env: env('http://pipelines.example.com/token?x=1') }).getToken('pypi'), /is not https/);
    assert.equal(sent, 0);
    await createGitHubIdentityProvider({ http: counting, env: env(`${server.url}/token?`) }).getToken('pypi');
    assert.equal(sent, 1);
  } finally {
    await Promise.all([http.close(), server.close()]);
  }
});

test("TLS verification is never turned off in the action's source", async () => {
  const { readdir, readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const root = join(import.meta.dirname, '../../src');
  const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts'));
  for (const f of files) {
    const text = await readFile(join(root, f), 'utf8');
    assert.doesNotMatch(text, /rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED|checkServerIdentity/, f);
  }
});
