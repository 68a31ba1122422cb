// The action's production trust path, end to end: dist/index.js reads trusted_root.json and
// signing_config.v0.2.json from a TUF repository (the world's, with only the mirror URL and the initial
// root pointed at it, exactly as public-good's on a runner) and signs with the services the signing
// config selects. Each test publishes a new signing config through the world's TUF repository and
// shows that the next run uses what it says, with no change to the action.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { pypiWorldForSuite } from '../../test/helpers/suite-world.ts';
import { assertRunVerified } from '../../test/helpers/verifiers.ts';
import { buildWheel } from '../../test/fixtures/dists/build.ts';
import { createTufRepository } from '../../test/world/sigstore/tuf.ts';

const PROJECT = 'config-project';
let original: any;
let version = 0;
const runs: ActionRun[] = [];
const suite = pypiWorldForSuite(runs, async ({ world, pypi }) => {
  await pypi.trust({ project: PROJECT });
  original = await world.signingConfig();
});

/** A loopback server that counts requests: it forwards them to `forwardTo`, or answers 404. */
async function recorder(forwardTo?: string): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer(async (req, res) => {
    hits++;
    if (!forwardTo) return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<
      string,
      string
    >;
    const answer = await fetch(`${forwardTo}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits, close: () => new Promise((ok) => server.close(() => ok())) };
}

/** Publishes one new wheel with the action; returns the run and its one bundle. */
async function publish(env: Record<string, string> = {}): Promise<{ run: ActionRun; bundle: any }> {
  const workspace = await scratchDir('signing-config-');
  await buildWheel(join(workspace, 'dist'), { name: PROJECT, version: `1.0.${version++}` });
  const run = await runAction({ cwd: workspace, inputs: { 'repository-url': suite.pypi.uploadUrl }, env: { ...suite.world.env, ...env } });
  runs.push(run);
  await assertRunVerified(suite.world, workspace, run);
  const path = run.results[0]?.bundle;
  return { run, bundle: path ? JSON.parse(await readFile(resolve(workspace, path), 'utf8')) : undefined };
}

const service = (url: string, extra: object = {}) => ({
  url,
  majorApiVersion: 1,
  validFor: { start: '2020-01-01T00:00:00Z' },
  operator: 'local world',
  ...extra,
});
const succeeded = (run: ActionRun) => assert.equal(run.code, 0, run.stdout + run.stderr);

test("the production trust path: only the TUF mirror and initial root point at the world, and the action signs with its signing config's services", async () => {
  assert.equal(suite.world.env.PYPI_PUBLISH_TRUST_CONFIG, undefined, 'no trust config file: the trust comes through TUF');
  await suite.world.resetStats('tuf');
  const { run, bundle } = await publish();
  succeeded(run);
  assert.match(run.stdout, new RegExp(`Using the Sigstore TUF repository at ${suite.world.urls.tuf}`));
  assert.match(
    run.stdout,
    new RegExp(`Fulcio ${suite.world.urls.fulcio}, Rekor ${suite.world.urls.rekor}, timestamp authority ${suite.world.urls.tsa}/api/v1/timestamp`),
  );
  assert.equal((await suite.world.stats('tuf')).requests['GET /{metadata}'], 6, 'timestamp, 2.root (404), snapshot, targets and the two targets');
  assert.equal(bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps.length, 1, 'the world lists a TSA, so the bundle is timestamped');
});

test('a TUF repository whose initial root the action was not given is refused before anything is signed', async () => {
  const dir = await scratchDir('other-root-');
  const otherRoot = join(dir, 'root.json');
  await writeFile(otherRoot, createTufRepository({}, {}).root);
  await suite.world.resetStats('fulcio');
  const { run } = await publish({ PYPI_PUBLISH_SIGSTORE_TUF_ROOT: otherRoot });
  assert.notEqual(run.code, 0);
  assert.match(run.stdout + run.stderr, /cannot fetch Sigstore's trusted root and signing config from the Sigstore TUF repository at/);
  assert.equal((await suite.world.stats('fulcio')).requests['POST /api/v2/signingCert'] ?? 0, 0);
});

test('a TUF repository that cannot be reached stops the run before anything is signed, naming it', async () => {
  await suite.world.fault('tuf', { path: '/{metadata}', count: 20, status: 503 });
  await suite.world.resetStats('fulcio');
  try {
    const { run } = await publish();
    assert.notEqual(run.code, 0);
    assert.match(
      run.stdout + run.stderr,
      new RegExp(`cannot fetch Sigstore's trusted root and signing config from the Sigstore TUF repository at ${suite.world.urls.tuf}`),
    );
    assert.equal((await suite.world.stats('fulcio')).requests['POST /api/v2/signingCert'] ?? 0, 0);
  } finally {
    await suite.world.clearFaults('tuf');
  }
});

test('another Fulcio URL in the signing config is the one the action asks; an expired or future entry is skipped', async () => {
  const proxy = await recorder(suite.world.urls.fulcio);
  const unused = await recorder();
  try {
    await suite.world.publishSigningConfig({
      ...original,
      caUrls: [
        service(unused.url, { validFor: { start: '2020-01-01T00:00:00Z', end: '2021-01-01T00:00:00Z' } }),
        service(unused.url, { validFor: { start: '2999-01-01T00:00:00Z' }, operator: 'future' }),
        service(proxy.url),
      ],
    });
    const { run } = await publish();
    succeeded(run);
    assert.equal(proxy.hits(), 1, 'the certificate came through the new Fulcio URL');
    assert.equal(unused.hits(), 0);
  } finally {
    await Promise.all([proxy.close(), unused.close()]);
  }
});

test('a signing config without a TSA gives bundles without timestamps, and one that lists it again gives timestamps again', async () => {
  await suite.world.publishSigningConfig({ ...original, tsaUrls: [] });
  await suite.world.resetStats('tsa');
  const without = await publish();
  succeeded(without.run);
  assert.match(without.run.stdout, /timestamp authority none/);
  assert.deepEqual(without.bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps ?? [], []);
  assert.equal((await suite.world.stats('tsa')).requests['POST /api/v1/timestamp'] ?? 0, 0);

  await suite.world.publishSigningConfig(original);
  const withTSA = await publish();
  succeeded(withTSA.run);
  assert.equal(withTSA.bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps.length, 1);
  assert.equal((await suite.world.stats('tsa')).requests['POST /api/v1/timestamp'], 1);
});

test('a Rekor v2 entry is skipped for the v1 log; a config with only Rekor v2 is refused before signing', async () => {
  const v2 = await recorder();
  try {
    await suite.world.publishSigningConfig({ ...original, rekorTlogUrls: [{ ...service(v2.url), majorApiVersion: 2 }, ...original.rekorTlogUrls] });
    await suite.world.resetStats('rekor');
    const { run, bundle } = await publish();
    succeeded(run);
    assert.equal(v2.hits(), 0, 'nothing was sent to Rekor v2');
    assert.equal((await suite.world.stats('rekor')).requests['POST /api/v1/log/entries'], 1);
    assert.equal(bundle.verificationMaterial.tlogEntries[0].kindVersion.version, '0.0.1');

    await suite.world.publishSigningConfig({ ...original, rekorTlogUrls: [{ ...service(v2.url), majorApiVersion: 2 }] });
    await suite.world.resetStats('fulcio');
    const refused = await publish();
    assert.notEqual(refused.run.code, 0);
    assert.match(refused.run.stdout + refused.run.stderr, /lists no current Rekor v1 URL/);
    assert.equal((await suite.world.stats('fulcio')).requests['POST /api/v2/signingCert'] ?? 0, 0);
    assert.equal(v2.hits(), 0);
  } finally {
    await suite.world.publishSigningConfig(original);
    await v2.close();
  }
});
