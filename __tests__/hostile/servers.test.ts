// Issue #15, hostile servers: the built action (dist/index.js) against every service it talks to
// (Actions OIDC, the index's audience, mint-token and upload, Fulcio, Rekor, the TSA), each in turn
// made hostile through the world's faults (test/world/hostile.ts, standin/faults.py):
//   echo     → the answer quotes the request's credential (or every secret the world issued) back,
//              plainly, JSON-escaped (`\/`), as `\uXXXX`, URL-encoded, as JWT parts, base64;
//   redirect → a 307 to another origin, which must never be asked;
//   endless  → a body that never ends: the client reads a bounded amount;
//   drip     → one byte every 20 ms: the client's own deadline (the PYPI_PUBLISH_TIME_SCALE seam) ends it.
// Each run must end, with a per-file report, and nothing it printed or wrote may hold any secret the
// world issued, in any encoding (test/helpers/secrets.ts). The counts are printed at the end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startWorld, type Service, type World } from '../../test/helpers/world.ts';
import { pypiControl } from '../../test/helpers/pypi.ts';
import { runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { assertNoSecretLeaked, findSecrets } from '../../test/helpers/secrets.ts';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { scriptedServer, type ScriptedServer } from '../../test/helpers/scripted-server.ts';
import type { Fault } from '../../test/world/faults.ts';
import type { EchoEncoding } from '../../test/world/hostile.ts';

// Timeouts at this scale: OIDC 0.5 s, Sigstore 0.75 s, exchange 0.75 s, and each request's deadline
// four times its timeout: what ends a drip.
const TIME_SCALE = '0.05';
/** What a bounded client may let one answer push before it stops reading: its 1 MiB bound, plus loopback socket buffers. */
const STREAM_BOUND_BYTES = 16 * 1024 * 1024;

interface Target {
  label: string;
  service: Service;
  method: string;
  path: string;
  /** password mode (the upload's credential is a password the index knows) rather than Trusted Publishing */
  password?: boolean;
}

const targets: Record<string, Target> = {
  oidc: { label: 'Actions OIDC', service: 'oidc', method: 'GET', path: '/token' },
  audience: { label: 'index audience', service: 'pypi', method: 'GET', path: '/_/oidc/audience' },
  mint: { label: 'index mint-token', service: 'pypi', method: 'POST', path: '/_/oidc/mint-token' },
  upload: { label: 'index upload', service: 'pypi', method: 'POST', path: '/legacy/', password: true },
  fulcio: { label: 'Fulcio', service: 'fulcio', method: 'POST', path: '/api/v2/signingCert' },
  rekor: { label: 'Rekor', service: 'rekor', method: 'POST', path: '/api/v1/log/entries' },
  tsa: { label: 'TSA', service: 'tsa', method: 'POST', path: '/api/v1/timestamp' },
};

let world: World;
let pypi: ReturnType<typeof pypiControl>;
let elsewhere: ScriptedServer;
const runs = new Map<string, ActionRun>();
const counts = { scenarios: 0, echoes: 0, redirects: 0, redirectsFollowed: 0, streams: 0, maxStreamedBytes: 0, leaks: 0 };
let serial = 0;

before(async () => {
  world = await startWorld();
  pypi = pypiControl(world);
  // Another origin, as a redirect would name it: it answers anything, and must never be asked.
  elsewhere = await scriptedServer([{ status: 200, body: '{"value":"a.b.c","audience":"pypi","token":"pypi-x"}' }]);
});

after(async () => {
  try {
    console.log(
      `hostile servers: ${counts.scenarios} scenarios (${counts.echoes} echoes, ${counts.redirects} redirects, ${counts.streams} endless or drip bodies); ` +
        `${counts.redirectsFollowed} redirects followed, at most ${counts.maxStreamedBytes} bytes pushed in one answer, ${counts.leaks} leaks`,
    );
    await assertNoSecretLeaked(world, runs);
  } finally {
    await Promise.all([world?.stop(), elsewhere?.close()]);
  }
});

/** A workspace with a fresh project's sdist and wheel, and the index set up for it. */
async function workspace(target: Target): Promise<{ cwd: string; inputs: Record<string, string> }> {
  const project = `hostile-${++serial}`;
  const cwd = await scratchDir('hostile-');
  await buildSdist(join(cwd, 'dist'), { name: project, version: '1.0.0' });
  await buildWheel(join(cwd, 'dist'), { name: project, version: '1.0.0' });
  const inputs: Record<string, string> = { 'repository-url': pypi.uploadUrl, 'packages-dir': 'dist' };
  if (target.password) {
    const password = `pw/"${project}"&+${serial}-0123456789`;
    await pypi.project(project);
    await pypi.user(`${project}-user`, password, [project]);
    Object.assign(inputs, { user: `${project}-user`, password });
  } else {
    await pypi.trust({ project });
  }
  return { cwd, inputs };
}

/** One run of the action with `fault` on every request to the target, then the checks every scenario shares. */
async function hostileRun(name: string, target: Target, fault: Omit<Fault, 'method' | 'path' | 'count'>): Promise<ActionRun> {
  const { cwd, inputs } = await workspace(target);
  await world.resetStats(target.service);
  await world.fault(target.service, { method: target.method, path: target.path, count: 100, ...fault });
  let r: ActionRun;
  try {
    r = await runAction({ cwd, inputs, env: { ...world.env, PYPI_PUBLISH_TIME_SCALE: TIME_SCALE } });
  } finally {
    await world.clearFaults(target.service);
  }
  runs.set(name, r);
  counts.scenarios++;
  const log = `${r.stdout}\n${r.stderr}`;
  const fired = (await world.stats(target.service)).faults.fired;
  assert.ok(fired > 0, `${name}: the fault never fired\n${log}`);
  assert.equal(r.code, 1, `${name}: a hostile ${target.label} ends the run in a failure\n${log}`);
  assert.equal(r.results.length, 2, `${name}: every file is reported\n${log}`);
  const leaked = findSecrets(r.everything, await world.secrets());
  counts.leaks += leaked.length;
  assert.deepEqual(
    leaked.map((s) => s.slice(0, 12)),
    [],
    `${name}: a secret the world issued is in what the run printed or wrote`,
  );
  return r;
}

// Where each service's answer can reach the report: the body of an error (index, Sigstore), the reason
// phrase (the index: warehouse puts its message there), a redirect's location (the upload).
const echoes: Array<{ target: string; fault: Omit<Fault, 'method' | 'path' | 'count'>; encodings: EchoEncoding[] }> = [
  { target: 'oidc', fault: { status: 403, body: '{"message":"refused {{secret}}"}' }, encodings: ['plain', 'unicode'] },
  { target: 'audience', fault: { status: 418, reason: 'you sent {{secret}}', body: '{"audience":"{{secret}}"}' }, encodings: ['plain', 'url'] },
  {
    target: 'mint',
    fault: { status: 422, body: '{"message":"{{secret}}","errors":[{"code":"{{secret}}","description":"token {{secret}} was refused"}]}' },
    encodings: ['plain', 'json', 'unicode', 'url', 'parts', 'base64'],
  },
  {
    target: 'upload',
    fault: { status: 403, reason: 'Invalid {{secret}}', body: '{"message":"Invalid or non-existent authentication information: {{secret}}"}' },
    encodings: ['plain', 'json', 'unicode', 'url', 'parts', 'base64'],
  },
  { target: 'upload', fault: { status: 307, headers: { location: '/legacy/{{secret}}/' }, body: 'moved' }, encodings: ['url'] },
  { target: 'fulcio', fault: { status: 400, body: '{"message":"bad token {{secret}}"}' }, encodings: ['plain', 'parts', 'json'] },
  { target: 'rekor', fault: { status: 400, body: '{"message":"{{secret}}"}' }, encodings: ['plain', 'parts'] },
  { target: 'tsa', fault: { status: 400, body: '{{secret}}' }, encodings: ['plain', 'base64'] },
];

for (const { target, fault, encodings } of echoes) {
  for (const echo of encodings) {
    const where = fault.headers ? 'location' : fault.reason ? 'reason and body' : 'body';
    test(`${targets[target]!.label} echoes the secrets (${echo}) in its ${where}: none reaches the log, summary, outputs or sidecars`, async () => {
      await hostileRun(`echo ${target} ${echo} ${where}`, targets[target]!, { ...fault, echo });
      counts.echoes++;
    });
  }
}

for (const [key, target] of Object.entries(targets)) {
  test(`${target.label} redirects to another origin: not followed, the other origin is never asked`, async () => {
    const before = elsewhere.requests.length;
    const r = await hostileRun(`redirect ${key}`, target, { status: 307, headers: { location: `${elsewhere.url}/elsewhere` } });
    counts.redirects++;
    const followed = elsewhere.requests.length - before;
    counts.redirectsFollowed += followed;
    assert.equal(followed, 0, `the redirect of ${target.label} was followed\n${r.stdout}`);
  });

  test(`${target.label} answers with a body that never ends: read to a bound, the run ends`, async () => {
    await hostileRun(`endless ${key}`, target, { status: key === 'oidc' ? 200 : 500, endless: true });
    await assertStreamBounded(target);
  });

  test(`${target.label} drips its answer one byte at a time: the client's deadline ends it`, async () => {
    const r = await hostileRun(`drip ${key}`, target, { status: 200, dripMs: 20 });
    await assertStreamBounded(target);
    assert.match(`${r.stdout}\n${r.summary}`, /did not answer in time|timed out/, 'the failure says the service did not answer in time');
  });
}

async function assertStreamBounded(target: Target): Promise<void> {
  const streamed = (await world.stats(target.service)).faults.streamedMaxBytes ?? 0;
  counts.streams++;
  counts.maxStreamedBytes = Math.max(counts.maxStreamedBytes, streamed);
  assert.ok(streamed <= STREAM_BOUND_BYTES, `${target.label}: the action let one answer push ${streamed} bytes`);
}
