// Password and token uploads to other indexes keep working: pypiserver and devpi (real third-party
// indexes, from PyPI) and the PyPI stand-in; skip-existing as twine skips on every index, naming a file
// that differs from the index's.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertRunVerified } from '../../test/helpers/verifiers.ts';
import { startWorld, type World } from '../../test/helpers/world.ts';
import { pypiControl } from '../../test/helpers/pypi.ts';
import { startPypiServer, type PypiServer } from '../../test/helpers/pypiserver.ts';
import { startDevpi, type Devpi } from '../../test/helpers/devpi.ts';
import { logShape } from '../../test/helpers/log-groups.ts';
import { runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { assertNoSecretLeaked } from '../../test/helpers/secrets.ts';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

let world: World;
let pypi: ReturnType<typeof pypiControl>;
let server: PypiServer;
let devpi: Devpi;
const runs: ActionRun[] = [];

before(async () => {
  // Each is kept as soon as it is up, so that after() stops whichever started when the other failed
  // (a world left running keeps this process alive, and the suite would never end).
  await Promise.all([startWorld().then((w) => (world = w)), startPypiServer().then((s) => (server = s)), startDevpi().then((d) => (devpi = d))]);
  pypi = pypiControl(world);
});

after(async () => {
  try {
    if (world && server && devpi) await assertNoSecretLeaked(world, runs, [server.password, devpi.password]);
  } finally {
    await Promise.all([world?.stop(), server?.stop(), devpi?.stop()]);
  }
});

async function workspace(project: string, summary = 'first'): Promise<string> {
  const ws = await scratchDir('idx-');
  await buildWheel(join(ws, 'dist'), { name: project, version: '1.0.0', metadata: { Summary: summary } });
  await buildSdist(join(ws, 'dist'), { name: project, version: '1.0.0', metadata: { Summary: summary } });
  return ws;
}

async function act(cwd: string, inputs: Record<string, string>): Promise<ActionRun> {
  const r = await runAction({ cwd, inputs, env: world.env });
  runs.push(r);
  await assertRunVerified(world, cwd, r);
  return r;
}

async function oidcRequests(): Promise<number> {
  return (await world.stats('oidc')).requests['GET /token'] ?? 0;
}

async function listed(project: string): Promise<string> {
  return (await fetch(`${server.url}/simple/${project}/`)).text();
}

describe('pypiserver, with a password', () => {
  test('uploads every file, without attestations and without asking for an OIDC token', async () => {
    const ws = await workspace('third-party');
    const before = await oidcRequests();
    const r = await act(ws, { 'repository-url': server.uploadUrl, user: server.user, password: server.password });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(
      r.results.map((f) => f.status),
      ['uploaded', 'uploaded'],
    );
    assert.match(r.stdout, /::warning title=attestations input ignored::/);
    assert.equal(await oidcRequests(), before);
    const page = await listed('third-party');
    assert.match(page, /third_party-1\.0\.0-py3-none-any\.whl/);
    assert.match(page, /third_party-1\.0\.0\.tar\.gz/);
    assert.equal(r.results[0]?.attestation, null);

    const again = await act(ws, { 'repository-url': server.uploadUrl, user: server.user, password: server.password });
    assert.equal(again.code, 0, again.stdout);
    assert.deepEqual(
      again.results.map((f) => f.status),
      ['already-present', 'already-present'],
    );
  });

  test("a different file of the same name: fails with the index's 409, skipped (differs) with skip-existing", async () => {
    await act(await workspace('changed'), { 'repository-url': server.uploadUrl, user: server.user, password: server.password });
    const changed = await workspace('changed', 'second');
    const inputs = { 'repository-url': server.uploadUrl, user: server.user, password: server.password };
    const refused = await act(changed, inputs);
    assert.equal(refused.code, 1);
    assert.deepEqual(
      refused.results.map((f) => f.status),
      ['failed', 'failed'],
    );
    assert.match(
      refused.results[0]?.reason ?? '',
      /^409 Error: 409 Conflict Sorry, .* Package 'changed-1\.0\.0-py3-none-any\.whl' already exists! .* Set `skip-existing: true`/,
    );

    const r = await act(changed, { ...inputs, 'skip-existing': 'true' });
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(
      r.results.map((f) => f.status),
      ['skipped', 'skipped'],
    );
    for (const f of r.results) assert.match(f.index_sha256 ?? '', /^[0-9a-f]{64}$/);
    assert.notEqual(r.results[0]?.index_sha256, r.results[0]?.sha256);
    assert.match(r.stdout, /::warning[^\n]*skipped \(differs\)/);
  });

  test('a wrong password stops at the first refusal; the rest is reported as not attempted', async () => {
    // Padded, as a secret pasted with a newline is: the trimmed value that is sent is masked too.
    const r = await act(await workspace('wrong-pw'), {
      'repository-url': server.uploadUrl,
      user: server.user,
      password: ' not-the-password\n',
      'upload-concurrency': '1',
    });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^::add-mask::not-the-password$/m);
    assert.equal(r.results[0]?.status, 'failed');
    assert.match(r.results[0]?.reason ?? '', /^40[13]/);
    assert.equal(r.results[1]?.status, 'not-attempted');
    assert.match(
      r.summary,
      // A reason is text in the cell: its "_" an entity, so it shows as written.
      /\| `wrong_pw-1\.0\.0\.tar\.gz` \| ⏸️ held back: the first file of this new release \(wrong&#95;pw-1\.0\.0-py3-none-any\.whl\) failed \|/,
    );
    // A re-run gives the same refusal: the advice is the fix, not "re-run".
    assert.match(r.summary, /### What to do\n\n- The index refused the user name and password/);
    assert.doesNotMatch(r.summary + r.stdout, /re-run/i);
    // The refusal is printed once, with the index's words, after the folded stages.
    const shape = logShape(r.stdout);
    assert.deepEqual(shape.faults, []);
    assert.match(shape.groups.join('\n'), /^Checking the distributions\nUploading 2 distributions to \S+\nHashes \(print-hash\)$/);
    const errors = shape.outside.filter((l) => l.startsWith('::error'));
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0] ?? '', /wrong_pw-1\.0\.0-py3-none-any\.whl: 40[13]/);
  });
});

describe('devpi, with a password', () => {
  test('uploads, links each file where devpi lists it (+simple), and a re-run finds them already present', async () => {
    const ws = await workspace('on-devpi');
    const inputs = { 'repository-url': devpi.uploadUrl, user: devpi.user, password: devpi.password };
    const r = await act(ws, inputs);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(
      r.results.map((f) => f.status),
      ['uploaded', 'uploaded'],
    );
    for (const f of r.results) assert.equal(f.url, `${devpi.uploadUrl}+simple/on-devpi/`);
    const page = await (await fetch(`${devpi.uploadUrl}+simple/on-devpi/`)).text();
    for (const f of r.results) assert.ok(page.includes(f.filename), page);

    const again = await act(ws, inputs);
    assert.equal(again.code, 0, again.stdout);
    assert.deepEqual(
      again.results.map((f) => f.status),
      ['already-present', 'already-present'],
    );
    for (const f of again.results) assert.match(f.url ?? '', /\/maintainer\/dev\/\+f\/[0-9a-f/]+\/on_devpi-1\.0\.0/);
  });

  test("other bytes under a held name: devpi's 409 without skip-existing, skipped (differs) with it", async () => {
    const inputs = { 'repository-url': devpi.uploadUrl, user: devpi.user, password: devpi.password };
    await act(await workspace('devpi-changed'), inputs);
    const changed = await workspace('devpi-changed', 'second');
    const refused = await act(changed, inputs);
    assert.equal(refused.code, 1);
    assert.match(
      refused.results[0]?.reason ?? '',
      /^409 devpi_changed-1\.0\.0-py3-none-any\.whl already exists in non-volatile index\. Set `skip-existing: true`/,
    );
    const r = await act(changed, { ...inputs, 'skip-existing': 'true' });
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(
      r.results.map((f) => f.status),
      ['skipped', 'skipped'],
    );
    for (const f of r.results) assert.notEqual(f.index_sha256, f.sha256);
  });
});

describe('PyPI stand-in, with a password', () => {
  test('uploads without attestations; the index records no provenance', async () => {
    await pypi.user('maintainer', 'correct horse battery staple', ['pw-project']);
    const r = await act(await workspace('pw-project'), { 'repository-url': pypi.uploadUrl, user: 'maintainer', password: 'correct horse battery staple' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const files = await pypi.files('pw-project');
    assert.equal(files.length, 2);
    for (const f of files) assert.equal(f.has_provenance, false);
  });

  test('skip-existing on a PyPI-like index: "File already exists" is skipped; without it, the failure says how to skip', async () => {
    await pypi.user('maintainer', 'correct horse battery staple', ['pw-skip']);
    const auth = { 'repository-url': pypi.uploadUrl, user: 'maintainer', password: 'correct horse battery staple' };
    await act(await workspace('pw-skip'), auth);
    const changed = await workspace('pw-skip', 'second');
    const failing = await act(changed, auth);
    assert.equal(failing.code, 1);
    assert.match(
      failing.results[0]?.reason ?? '',
      /^400 File already exists \('pw_skip-1\.0\.0-py3-none-any\.whl', with blake2_256 hash '[0-9a-f]{64}'\)\. See https:\/\/pypi\.org\/help\/#file-name-reuse for more information\. Set `skip-existing: true`/,
    );
    const skipping = await act(changed, { ...auth, 'skip-existing': 'true' });
    assert.equal(skipping.code, 0, skipping.stdout);
    assert.deepEqual(
      skipping.results.map((f) => f.status),
      ['skipped', 'skipped'],
    );
  });
});
