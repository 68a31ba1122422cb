// Fault and latency injection (test/world/faults.ts): each fault fires for exactly `count` matching
// requests, and stats count what each service really received.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness } from '@sigstore/sign';
import { startWorld, type Service, type World } from '../../test/helpers/world.ts';
import { HOLD_RELEASE_HEADER } from '../../test/world/hold.ts';

let world: World;
before(async () => {
  world = await startWorld({ pypi: false });
});
after(() => world?.stop());
beforeEach(async () => {
  for (const service of ['oidc', 'fulcio', 'rekor', 'tsa'] as Service[]) {
    await world.clearFaults(service);
    await world.resetStats(service);
  }
});

const logHead = () => fetch(`${world.urls.rekor}/api/v1/log`);
const releasedBy = (res: Response) => res.headers.get(HOLD_RELEASE_HEADER);
// Waits (by asking, a bounded number of times) until Rekor has counted `n` GET /api/v1/log requests.
const untilCounted = async (n: number) => {
  for (let i = 0; i < 1000; i++) if (((await world.stats('rekor')).requests['GET /api/v1/log'] ?? 0) >= n) return;
  assert.fail(`Rekor never counted ${n} GET /api/v1/log requests`);
};
const statuses = async (n: number, request: () => Promise<Response>) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await request()).status);
  return out;
};

describe('faults', () => {
  test('a status fault answers exactly `count` requests, with Retry-After and body', async () => {
    await world.fault('rekor', { method: 'GET', path: '/api/v1/log', count: 2, status: 503, retryAfter: 7, body: { message: 'busy' } });
    const first = await logHead();
    assert.equal(first.status, 503);
    assert.equal(first.headers.get('retry-after'), '7');
    assert.deepEqual(await first.json(), { message: 'busy' });
    assert.deepEqual(await statuses(3, logHead), [503, 200, 200]);
    const stats = await world.stats('rekor');
    assert.deepEqual(stats.requests, { 'GET /api/v1/log': 4 });
    assert.deepEqual(stats.faults, { fired: 2, pending: 0, streamedBytes: 0, streamedMaxBytes: 0 });
  });

  test('matching is by method and by path, route template or prefix', async () => {
    await world.fault('rekor', { method: 'POST', path: '/api/v1/log', count: 1, status: 500 });
    assert.deepEqual(await statuses(1, logHead), [200]);
    await world.clearFaults('rekor');
    await world.fault('rekor', { method: 'GET', path: '/api/v1/log/entries/{uuid}', count: 1, status: 502 });
    assert.equal((await fetch(`${world.urls.rekor}/api/v1/log/entries/${'a'.repeat(64)}`)).status, 502);
    await world.fault('rekor', { path: '/api/v1/log*', count: 1, status: 429 });
    assert.deepEqual(await statuses(2, logHead), [429, 200]);
  });

  test('drop resets the connection and truncate cuts the body, once each', async () => {
    await world.fault('tsa', { path: '/api/v1/timestamp/certchain', count: 1, drop: true });
    await assert.rejects(fetch(`${world.urls.tsa}/api/v1/timestamp/certchain`));
    await world.fault('tsa', { path: '/api/v1/timestamp/certchain', count: 1, truncate: true });
    const truncated = await fetch(`${world.urls.tsa}/api/v1/timestamp/certchain`);
    assert.equal(truncated.status, 200);
    await assert.rejects(truncated.text());
    const whole = await (await fetch(`${world.urls.tsa}/api/v1/timestamp/certchain`)).text();
    assert.match(whole, /-----END CERTIFICATE-----\n$/);
    assert.deepEqual((await world.stats('tsa')).faults, { fired: 2, pending: 0, streamedBytes: 0, streamedMaxBytes: 0 });
  });

  test('delayMs and latency slow requests down', async () => {
    await world.fault('oidc', { path: '/.well-known/jwks', count: 1, delayMs: 150 });
    let started = performance.now();
    await fetch(`${world.urls.oidc}/.well-known/jwks`);
    assert.ok(performance.now() - started >= 140);
    await world.latency('oidc', 60);
    started = performance.now();
    await fetch(`${world.urls.oidc}/.well-known/jwks`);
    assert.ok(performance.now() - started >= 50);
    await world.latency('oidc', 0);
  });

  // A cap far beyond the run of the test: only the third request can let the first two go.
  test('holdUntilOpen holds requests until that many are open at once, then lets them all go', { timeout: 60_000 }, async () => {
    await world.fault('rekor', { method: 'GET', path: '/api/v1/log', count: 3, holdUntilOpen: 3, holdMaxMs: 30_000 });
    let settled = 0;
    const first = [logHead(), logHead()].map((p) =>
      p.finally(() => {
        settled += 1;
      }),
    );
    await untilCounted(2);
    assert.equal(settled, 0, 'the first two requests were answered before the third arrived');
    const answers = await Promise.all([...first, logHead()]);
    assert.deepEqual(
      answers.map((a) => [a.status, releasedBy(a)]),
      [
        [200, 'open'],
        [200, 'open'],
        [200, 'open'],
      ],
    );
    const stats = await world.stats('rekor');
    assert.equal(stats.peak?.['GET /api/v1/log'], 3);
    assert.deepEqual(stats.faults, { fired: 3, pending: 0, streamedBytes: 0, streamedMaxBytes: 0 });
  });

  // Bounded by the test's timeout: a gate without a working cap fails here instead of hanging.
  test('holdUntilOpen lets fewer requests go at its cap, once, and when the faults are cleared', { timeout: 60_000 }, async () => {
    await world.fault('rekor', { method: 'GET', path: '/api/v1/log', count: 2, holdUntilOpen: 2, holdMaxMs: 100 });
    const alone = await logHead();
    assert.deepEqual([alone.status, releasedBy(alone)], [200, 'cap']);
    const later = await logHead();
    assert.deepEqual([later.status, releasedBy(later)], [200, null], 'the gate opens once: later matches are not held');

    await world.resetStats('rekor');
    await world.fault('rekor', { method: 'GET', path: '/api/v1/log', count: 2, holdUntilOpen: 2, holdMaxMs: 30_000 });
    const held = logHead();
    await untilCounted(1);
    await world.clearFaults('rekor');
    assert.equal(releasedBy(await held), 'cleared');
  });

  test('the OIDC token endpoint can fail too', async () => {
    await world.fault('oidc', { path: '/token', count: 1, status: 500 });
    await assert.rejects(world.idToken('pypi'), /500/);
    assert.ok(await world.idToken('pypi'));
  });

  test('faults are bounded and validated', async () => {
    for (const bad of [
      { path: '/x', count: 0, status: 500 },
      { path: '/x', count: 101, status: 500 },
      { path: '/x', count: 1, delayMs: 30_001 },
      { path: '/x', count: 1 },
      { path: '/x', count: 2, holdUntilOpen: 3 },
      { path: '/x', count: 2, holdUntilOpen: 2, holdMaxMs: 30_001 },
      { path: '/x', count: 1, status: 500, holdMaxMs: 10 },
    ]) {
      await assert.rejects(world.fault('fulcio', bad), /400/);
    }
    await assert.rejects(world.latency('fulcio', 60_000), /400/);
  });
});

describe('stats', () => {
  test('count per route, so a suite can assert Fulcio was called once for many signatures', async () => {
    // One FulcioSigner holds one key but asks Fulcio per signature; a caching signer (what the
    // action does) asks once. Counting tells them apart.
    const signer = new FulcioSigner({ fulcioBaseURL: world.urls.fulcio!, identityProvider: { getToken: () => world.idToken('sigstore') } });
    const builder = new DSSEBundleBuilder({ signer, witnesses: [new RekorWitness({ rekorBaseURL: world.urls.rekor!, entryType: 'dsse' })] });
    await builder.create({ data: Buffer.from('{}'), type: 'application/vnd.in-toto+json' });
    await builder.create({ data: Buffer.from('[]'), type: 'application/vnd.in-toto+json' });
    assert.deepEqual((await world.stats('fulcio')).requests, { 'POST /api/v2/signingCert': 2 });
    assert.deepEqual((await world.stats('rekor')).requests, { 'POST /api/v1/log/entries': 2 });
    assert.deepEqual((await world.stats('oidc')).requests, { 'GET /token': 2 });
  });
});

// The hostile faults (test/world/hostile.ts): the world's side of __tests__/hostile/servers.test.ts.
describe('hostile faults', () => {
  test("echo quotes the request's bearer in the body and headers, in the encoding asked for", async () => {
    const bearer = 'bearer/with"odd&chars-0123456789';
    const ask = () => fetch(`${world.urls.oidc}/.well-known/jwks`, { headers: { authorization: `Bearer ${bearer}` } });
    await world.fault('oidc', {
      path: '/.well-known/jwks',
      count: 2,
      status: 401,
      echo: 'unicode',
      body: '{"message":"{{secret}}"}',
      headers: { 'x-echo': '{{secret}}' },
    });
    const res = await ask();
    assert.equal(res.status, 401);
    const raw = await res.text();
    assert.doesNotMatch(raw, /bearer\//, 'written as \\uXXXX escapes only');
    assert.equal((JSON.parse(raw) as { message: string }).message, bearer);
    assert.equal(res.headers.get('x-echo'), [...bearer].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''));
    await world.clearFaults('oidc');
    await world.fault('oidc', { path: '/.well-known/jwks', count: 1, status: 400, echo: 'url', body: 'you sent {{secret}}' });
    assert.equal(await (await ask()).text(), `you sent ${[...Buffer.from(bearer)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')}`);
  });

  test('without a credential, echo quotes the default bearer and what was issued since the fault, never before', async () => {
    const before = await world.idToken('sigstore');
    await world.fault('rekor', { method: 'GET', path: '/api/v1/log', count: 1, status: 500, echo: 'plain', body: '{{secret}}' });
    const after = await world.idToken('sigstore');
    const text = await (await logHead()).text();
    assert.ok(text.includes(after), 'the secret issued since the fault');
    assert.ok(text.includes(world.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN!), 'the default bearer');
    assert.ok(!text.includes(before), 'not one issued before it');
  });

  test('an endless body streams until the client goes; a drip sends one byte at a time; both are counted', async () => {
    await world.fault('tsa', { path: '/api/v1/timestamp/certchain', count: 1, endless: true });
    const endless = await fetch(`${world.urls.tsa}/api/v1/timestamp/certchain`);
    const reader = endless.body!.getReader();
    let read = 0;
    while (read < 4 << 20) read += (await reader.read()).value?.length ?? 0;
    await reader.cancel();
    const whole = (await (await fetch(`${world.urls.tsa}/api/v1/timestamp/certchain`)).arrayBuffer()).byteLength;
    await world.fault('tsa', { path: '/api/v1/timestamp/certchain', count: 1, dripMs: 5 });
    const drip = await fetch(`${world.urls.tsa}/api/v1/timestamp/certchain`);
    const dripReader = drip.body!.getReader();
    const chunk = await dripReader.read();
    // One byte each 5 ms: a loaded machine may read two or three at once, never the whole chain of
    // ~1,500 bytes that takes seconds to drip.
    assert.ok((chunk.value?.length ?? 0) >= 1 && (chunk.value?.length ?? 0) < whole / 4, `one byte at a time: ${chunk.value?.length} of ${whole}`);
    await dripReader.cancel();
    // The counts arrive once the server sees each client go: ask until both answers are counted (bounded).
    let faults = (await world.stats('tsa')).faults;
    for (let i = 0; i < 200 && (faults.streamedBytes ?? 0) < read + 1; i++) faults = (await world.stats('tsa')).faults;
    assert.ok((faults.streamedBytes ?? 0) >= read + 1, JSON.stringify(faults));
    assert.ok((faults.streamedMaxBytes ?? 0) >= read);
  });

  test('a hostile fault is refused when it cannot be served', async () => {
    await assert.rejects(world.fault('tsa', { path: '/x', count: 1, status: 500, echo: 'rot13' as never, body: '{{secret}}' }), /echo must be one of/);
    await assert.rejects(world.fault('tsa', { path: '/x', count: 1, status: 500, echo: 'plain', body: { message: 'x' } }), /echo must be one of/);
    await assert.rejects(world.fault('tsa', { path: '/x', count: 1, dripMs: 0 }), /dripMs must be in/);
  });
});
