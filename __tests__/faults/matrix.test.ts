// Issue #5, "nothing lost under faults": the built action (dist/index.js) against the local world with
// one fault injected per scenario, on every service the action talks to. For each scenario:
//   transient  → the run succeeds, every file is uploaded once;
//   persistent → the run fails cleanly (exit 1, per-file report in `results` and the summary), then the
//                fault is cleared and a re-run finishes the rest;
// and in every case the index ends with each file exactly once, and no secret the world issued appears
// in anything any run printed or wrote. The matrix is printed at the end.
//
// One world for the suite; each scenario has its own project, so scenarios never see each other's files.
// PYPI_PUBLISH_TIME_SCALE (src/http/retry.ts) scales the product's backoff and timeouts so the real
// retry logic runs in seconds; Retry-After is honoured unscaled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Service, World } from '../../test/helpers/world.ts';
import { pypiControl } from '../../test/helpers/pypi.ts';
import { runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { findSecrets } from '../../test/helpers/secrets.ts';
import { worldForSuite } from '../../test/helpers/suite-world.ts';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

/** Timeouts at this scale: OIDC 0.5 s, Sigstore 0.75 s, exchange 0.75 s, simple index 1.5 s, upload 6 s. */
const TIME_SCALE = '0.05';

type Kind = 'transient' | 'persistent';
interface Scenario {
  /** what the matrix calls the endpoint */
  label: string;
  service: Service;
  method: string;
  path: string;
  /** the fault as the world's /_world/faults takes it, without count */
  fault: { status?: number; retryAfter?: number; delayMs?: number; truncate?: boolean; drop?: boolean; body?: string | object };
  faultName: string;
  kind: Kind;
  /** transient: fires this many times (default 1) */
  count?: number;
  /** default: transient → success, persistent → failure */
  expect?: 'success' | 'failure';
  /** the failure message must match this */
  message?: RegExp;
}

const T = (label: string, service: Service, method: string, path: string) => ({
  status: (status: number, kind: Kind, extra: Partial<Scenario> = {}): Scenario => ({
    label,
    service,
    method,
    path,
    fault: { status },
    faultName: String(status),
    kind,
    ...extra,
  }),
  retryAfter: (kind: Kind, extra: Partial<Scenario> = {}): Scenario => ({
    label,
    service,
    method,
    path,
    fault: { status: 429, retryAfter: 1 },
    faultName: '429 Retry-After: 1',
    kind,
    ...extra,
  }),
  timeout: (delayMs: number, kind: Kind, extra: Partial<Scenario> = {}): Scenario => ({
    label,
    service,
    method,
    path,
    fault: { delayMs },
    faultName: `timeout (${delayMs} ms)`,
    kind,
    ...extra,
  }),
  drop: (kind: Kind, extra: Partial<Scenario> = {}): Scenario => ({
    label,
    service,
    method,
    path,
    fault: { drop: true },
    faultName: 'connection reset',
    kind,
    ...extra,
  }),
  truncate: (kind: Kind, extra: Partial<Scenario> = {}): Scenario => ({
    label,
    service,
    method,
    path,
    fault: { truncate: true },
    faultName: 'reset mid-body',
    kind,
    ...extra,
  }),
  body: (status: number, body: string, name: string, kind: Kind, extra: Partial<Scenario> = {}): Scenario => ({
    label,
    service,
    method,
    path,
    fault: { status, body },
    faultName: name,
    kind,
    ...extra,
  }),
});

const oidc = T('Actions OIDC', 'oidc', 'GET', '/token');
const audience = T('PyPI audience', 'pypi', 'GET', '/_/oidc/audience');
const mint = T('PyPI mint-token', 'pypi', 'POST', '/_/oidc/mint-token');
const fulcio = T('Fulcio', 'fulcio', 'POST', '/api/v2/signingCert');
const rekor = T('Rekor', 'rekor', 'POST', '/api/v1/log/entries');
const tsa = T('TSA', 'tsa', 'POST', '/api/v1/timestamp');
const upload = T('PyPI upload', 'pypi', 'POST', '/legacy/');
const simple = T('PyPI simple index', 'pypi', 'GET', '/simple/*');

const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>';

const SCENARIOS: Scenario[] = [
  oidc.status(500, 'transient'),
  oidc.status(503, 'persistent', { message: /OpenID Connect token retrieval failed/ }),
  oidc.retryAfter('transient'),
  oidc.timeout(1500, 'transient'),
  oidc.drop('transient'),
  oidc.truncate('transient'),
  oidc.body(200, '<html>sign in</html>', 'HTML 200', 'transient'),
  audience.status(502, 'transient'),
  audience.status(503, 'persistent', { message: /audience retrieval failed/ }),
  audience.drop('transient'),
  audience.timeout(2000, 'transient'),
  mint.status(500, 'transient'),
  mint.status(502, 'persistent', { message: /Token request failed/ }),
  mint.retryAfter('transient'),
  mint.truncate('transient'),
  mint.body(200, '{"success": true, "token": "pypi-AgEIcHlwaS5vcmc', 'truncated JSON 200', 'transient'),
  mint.timeout(2000, 'transient'),
  fulcio.status(500, 'transient'),
  fulcio.status(503, 'persistent', { message: /Attestation failed/ }),
  fulcio.timeout(2000, 'transient'),
  fulcio.truncate('transient'),
  rekor.status(502, 'transient'),
  rekor.status(500, 'persistent', { message: /Attestation failed/ }),
  rekor.retryAfter('transient'),
  rekor.drop('transient'),
  rekor.truncate('transient'),
  rekor.timeout(2000, 'transient'),
  tsa.status(503, 'transient'),
  tsa.status(500, 'persistent', { message: /Attestation failed/ }),
  tsa.truncate('transient'),
  upload.status(503, 'transient'),
  upload.status(500, 'persistent', { message: /not published/ }),
  upload.retryAfter('transient'),
  upload.drop('transient'),
  upload.truncate('transient'),
  upload.timeout(8000, 'transient'),
  upload.body(502, HTML_502, 'HTML 502', 'persistent', { message: /502 Bad Gateway/ }),
  simple.status(503, 'persistent', { expect: 'success' }),
  simple.truncate('transient'),
  simple.body(200, '{"files": [', 'truncated JSON 200', 'transient'),
];

interface Row {
  scenario: string;
  service: string;
  fault: string;
  kind: Kind;
  outcome: string;
  /** requests the faulted route received in the first run */
  attempts: string;
  rerun: string;
  ms: number;
}

let world: World;
let pypi: ReturnType<typeof pypiControl>;
const runs: ActionRun[] = [];
const rows: Row[] = [];
const suiteStart = Date.now();

async function workspace(project: string, version: string): Promise<string> {
  const ws = await scratchDir('faults-');
  const dist = join(ws, 'dist');
  await buildSdist(dist, { name: project, version });
  await buildWheel(dist, { name: project, version });
  return ws;
}

async function publishRun(cwd: string): Promise<ActionRun> {
  const r = await runAction({
    cwd,
    inputs: { 'repository-url': pypi.uploadUrl, 'packages-dir': 'dist' },
    env: { ...world.env, PYPI_PUBLISH_TIME_SCALE: TIME_SCALE },
  });
  runs.push(r);
  return r;
}

/** Requests the faulted route received since the scenario reset its service's stats. */
async function hits(s: Scenario): Promise<number> {
  const route = `${s.method} ${s.path.replace(/\*$/, '')}`;
  const stats = await world.stats(s.service);
  return Object.entries(stats.requests)
    .filter(([k]) => k.startsWith(route))
    .reduce((n, [, v]) => n + v, 0);
}

/** How many of the injected faults the run met. */
async function faultsFired(s: Scenario): Promise<number> {
  return (await world.stats(s.service)).faults.fired;
}

async function filesOf(project: string): Promise<string[]> {
  const norm = project.replace(/-/g, '_');
  return ((await pypi.state()).files as Array<{ filename: string }>)
    .map((f) => f.filename)
    .filter((f) => f.startsWith(`${norm}-`))
    .sort();
}

// The secret scan of the e2e suite, over every run of every scenario.
worldForSuite(
  runs,
  (started) => {
    world = started;
    pypi = pypiControl(started);
  },
  printMatrix,
);

function printMatrix(): void {
  const head: Array<keyof Row> = ['scenario', 'service', 'fault', 'kind', 'outcome', 'attempts', 'rerun', 'ms'];
  const width = head.map((h) => Math.max(h.length, ...rows.map((r) => String(r[h]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i] as number)).join('  ');
  const out = [line(head.map(String)), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(head.map((h) => String(r[h]))))];
  const count = (f: (r: Row) => boolean) => rows.filter(f).length;
  out.push('');
  out.push(
    `${rows.length} scenarios over ${new Set(rows.map((r) => r.service)).size} endpoints: ` +
      `${count((r) => r.kind === 'transient')} transient (${count((r) => r.kind === 'transient' && r.outcome === 'success')} succeeded), ` +
      `${count((r) => r.kind === 'persistent')} persistent (${count((r) => r.kind === 'persistent' && r.outcome.startsWith('failed'))} failed cleanly with exit 1, ` +
      `${count((r) => r.kind === 'persistent' && r.outcome === 'success')} succeeded without the advisory simple index, ` +
      `${count((r) => r.rerun === 'success')} re-runs succeeded); suite ${((Date.now() - suiteStart) / 1000).toFixed(1)} s`,
  );
  console.log(`\nFault matrix (issue #5)\n${out.join('\n')}`);
}

for (const [i, s] of SCENARIOS.entries()) {
  const name = `${String(i + 1).padStart(2, '0')} ${s.label}: ${s.faultName} (${s.kind})`;
  test(name, async () => {
    const project = `fault-${i + 1}`;
    const started = Date.now();
    await pypi.trust({ project });
    const cwd = await workspace(project, '1.0.0');
    await world.resetStats(s.service);
    const count = s.kind === 'persistent' ? 100 : (s.count ?? 1);
    await world.fault(s.service, { method: s.method, path: s.path, count, ...s.fault });
    let first: ActionRun;
    let attempts: number;
    let firstMs: number;
    let fired: number;
    try {
      const t0 = Date.now();
      first = await publishRun(cwd);
      firstMs = Date.now() - t0;
      attempts = await hits(s);
      fired = await faultsFired(s);
    } finally {
      await world.clearFaults(s.service);
    }
    const statuses = first.results.map((r) => r.status);
    const row: Row = {
      scenario: String(i + 1),
      service: s.label,
      fault: s.faultName,
      kind: s.kind,
      outcome: first.code === 0 ? 'success' : `failed, exit ${first.code} (${statuses.join(', ')})`,
      attempts: String(attempts),
      rerun: '-',
      ms: 0,
    };
    rows.push(row);
    const log = `${first.stdout}\n${first.stderr}`
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');

    // The run met the fault: a scenario whose fault never fired would pass without testing anything.
    assert.ok(fired >= 1, `the ${s.faultName} fault on ${s.method} ${s.path} never fired\n${log}`);
    // Every file is in the report, whatever happened.
    assert.equal(first.results.length, 2, log);
    const expect = s.expect ?? (s.kind === 'transient' ? 'success' : 'failure');
    if (expect === 'success') {
      assert.equal(first.code, 0, log);
      for (const r of first.results) assert.equal(r.status, 'uploaded', `${r.filename}: ${r.reason}\n${log}`);
      assert.equal(first.outputs['all-published'], 'true');
      // Retry-After is honoured (the action's own clients; sigstore-js has its own backoff).
      if (s.fault.retryAfter && ['oidc', 'pypi'].includes(s.service)) assert.ok(firstMs >= s.fault.retryAfter * 1000, `${firstMs} ms`);
    } else {
      assert.equal(first.code, 1, log);
      assert.equal(first.outputs['all-published'], 'false');
      assert.ok(
        statuses.every((st) => st === 'failed' || st === 'not-attempted' || st === 'uploaded'),
        statuses.join(),
      );
      assert.ok(statuses.some((st) => st !== 'uploaded'));
      // Headed by what is live: "nothing published", or "N of M files published" when some file is.
      assert.match(first.summary, /^## (❌ .*: nothing published to|⚠️ .*: \d+ of \d+ files? published to) /m);
      for (const r of first.results) assert.match(first.summary, new RegExp(`\`${r.filename.replace(/\./g, '\\.')}\``));
      if (s.message) assert.match(log, s.message);
      // A failure names its cause; the user is never left with an empty reason for a failed file.
      for (const r of first.results) if (r.status === 'failed') assert.ok(r.reason, `${r.filename} failed without a reason`);

      const again = await publishRun(cwd);
      row.rerun = again.code === 0 ? 'success' : `exit ${again.code}`;
      assert.equal(again.code, 0, `${again.stdout}\n${again.stderr}`);
      for (const r of again.results) assert.ok(r.status === 'uploaded' || r.status === 'already-present', `${r.filename}: ${r.status}`);
    }
    // Exactly once on the index, each of the two files.
    const files = await filesOf(project);
    assert.deepEqual(files, first.results.map((r) => r.filename).sort());
    row.ms = Date.now() - started;
    if (s.path === '/legacy/') {
      // Re-POSTs after a fault never made a second copy (checked above) and were bounded.
      const perFile = (await pypi.state()).uploadAttempts as Record<string, number>;
      for (const f of files) assert.ok((perFile[f] ?? 0) <= 6, `${f}: ${perFile[f]} upload attempts`);
    }
  });
}

test('a signing failure for one dist uploads nothing; the re-run publishes all, once', async () => {
  const project = 'fault-signing';
  await pypi.trust({ project });
  const cwd = await workspace(project, '2.0.0');
  await buildWheel(join(cwd, 'dist'), { name: project, version: '2.0.0', tag: 'cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64' });
  // The first Rekor entry goes through (a delay-only fault passes the request on); every later one
  // gets a persistent 500, so one dist is signed and the others are not.
  await world.fault('rekor', { method: 'POST', path: '/api/v1/log/entries', count: 1, delayMs: 1 });
  await world.fault('rekor', { method: 'POST', path: '/api/v1/log/entries', count: 100, status: 500 });
  let first: ActionRun;
  try {
    first = await publishRun(cwd);
  } finally {
    await world.clearFaults('rekor');
  }
  const log = `${first.stdout}\n${first.stderr}`
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  assert.equal(first.code, 1, log);
  assert.equal(first.results.length, 3);
  assert.deepEqual(
    first.results.map((r) => r.status),
    ['not-attempted', 'not-attempted', 'not-attempted'],
  );
  const failed = first.results.filter((r) => /attestation failed: Rekor .* failed for/.test(r.reason ?? ''));
  assert.ok(failed.length >= 1 && failed.length < 3, `${failed.length} files failed to sign`);
  for (const r of first.results.filter((x) => !failed.includes(x))) assert.match(r.reason ?? '', /^held back: attestation failed for \d other file\(s\)$/);
  assert.match(log, /Attestation failed for \d file\(s\); nothing was uploaded/);
  // Nothing reached the index, not even the dist that was signed.
  assert.deepEqual(await filesOf(project), []);
  const attempts = (await pypi.state()).uploadAttempts as Record<string, number>;
  assert.deepEqual(
    Object.keys(attempts).filter((f) => f.startsWith('fault_signing-')),
    [],
  );
  // No sidecar is written for a run that failed to sign, not even for the dist that was signed (its
  // pair was staged under hidden names while the others were signed, then removed).
  assert.deepEqual(
    first.results.map((r) => r.bundle),
    [null, null, null],
  );
  assert.deepEqual(
    (await readdir(join(cwd, 'dist'))).filter((f) => !/\.(whl|tar\.gz)$/.test(f)),
    [],
  );

  const again = await publishRun(cwd);
  assert.equal(again.code, 0, `${again.stdout}\n${again.stderr}`);
  assert.deepEqual(
    again.results.map((r) => r.status),
    ['uploaded', 'uploaded', 'uploaded'],
  );
  assert.deepEqual(await filesOf(project), again.results.map((r) => r.filename).sort());
  rows.push({
    scenario: 'S',
    service: 'Rekor (2nd+ entry)',
    fault: '500',
    kind: 'persistent',
    outcome: `failed, exit 1 (${first.results.map((r) => r.status).join(', ')})`,
    attempts: '-',
    rerun: 'success',
    ms: 0,
  });
});

test('a sidecar that cannot be written stops the run before the first upload, naming the file and the fix', async () => {
  const project = 'fault-sidecar';
  await pypi.trust({ project });
  const cwd = await workspace(project, '1.0.0');
  const dist = join(cwd, 'dist');
  const sdist = (await readdir(dist)).find((f) => f.endsWith('.tar.gz'))!;
  // Something already has the hidden name the bundle is staged under.
  await mkdir(join(dist, `.${sdist}.sigstore.json.partial`));
  const r = await publishRun(cwd);
  const log = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.code, 1, log);
  assert.match(log, /Attestation failed for 1 file\(s\); nothing was uploaded/);
  const reasons = Object.fromEntries(r.results.map((x) => [x.filename, x.reason]));
  assert.match(
    reasons[sdist] ?? '',
    /^attestation failed: could not write \/.*\/dist\/\.fault_sidecar-1\.0\.0\.tar\.gz\.sigstore\.json\.partial \(EISDIR\): .* must be writable/,
  );
  assert.deepEqual(
    r.results.map((x) => x.status),
    ['not-attempted', 'not-attempted'],
  );
  assert.deepEqual(await filesOf(project), []);
  // The other dist's pair was staged too, and removed: no sidecar of this run is left.
  assert.deepEqual(
    (await readdir(dist)).filter((f) => !/\.(whl|tar\.gz)$/.test(f)),
    [`.${sdist}.sigstore.json.partial`],
  );
});

test('an index that echoes the password in its error: scrubbed from log, summary and outputs', async () => {
  const project = 'fault-echo';
  const password = 'echo-password-0123456789abcdef';
  await pypi.project(project);
  await pypi.user('fault-echo-user', password, [project]);
  const cwd = await workspace(project, '1.0.0');
  await pypi.fault({ method: 'POST', path: '/legacy/', count: 100, status: 403, body: `Invalid credentials: you sent ${password}` });
  let r: ActionRun;
  try {
    r = await runAction({
      cwd,
      inputs: { 'repository-url': pypi.uploadUrl, 'packages-dir': 'dist', user: 'fault-echo-user', password },
      env: { ...world.env, PYPI_PUBLISH_TIME_SCALE: TIME_SCALE },
    });
    runs.push(r);
  } finally {
    await pypi.clearFaults();
  }
  assert.equal(r.code, 1);
  assert.match(r.results[0]?.reason ?? '', /403 Invalid credentials: you sent \*\*\*/);
  assert.deepEqual(findSecrets(r.everything, [password]), []);
  assert.ok((await world.secrets()).includes(password), 'the world journals passwords, so the suite scan covers them too');
  rows.push({
    scenario: 'E',
    service: 'PyPI upload (password)',
    fault: '403 echoing the password',
    kind: 'persistent',
    outcome: `failed, exit 1 (${r.results.map((x) => x.status).join(', ')})`,
    attempts: '1',
    rerun: '-',
    ms: 0,
  });
});

test('an upload URL without the trailing slash: the 308 is explained as twine does, nothing is sent on', async () => {
  const project = 'fault-legacy';
  await pypi.trust({ project });
  const cwd = await workspace(project, '1.0.0');
  const r = await runAction({
    cwd,
    inputs: { 'repository-url': pypi.uploadUrl.replace(/\/$/, ''), 'packages-dir': 'dist' },
    env: { ...world.env, PYPI_PUBLISH_TIME_SCALE: TIME_SCALE },
  });
  runs.push(r);
  assert.equal(r.code, 1);
  assert.match(
    r.results[0]?.reason ?? '',
    /redirected to \/legacy\/; uploads are not sent on through redirects\. The upload URL must end with a slash: use http:\/\/127\.0\.0\.1:\d+\/legacy\//,
  );
  assert.deepEqual(await filesOf(project), []);
  rows.push({
    scenario: 'R',
    service: 'PyPI upload (/legacy)',
    fault: '308 to /legacy/',
    kind: 'persistent',
    outcome: `failed, exit 1 (${r.results.map((x) => x.status).join(', ')})`,
    attempts: '-',
    rerun: '-',
    ms: 0,
  });
});
