// The consumer side end to end: projects published into the world by this action (Trusted
// Publishing + attestations), locked by pip (PEP 751), then `node dist/cli.js verify` against the
// stand-in's simple index and Integrity API. Each outcome of issue #20 is produced by a real cause:
// a file uploaded without attestations, a publisher that changed between versions, a provenance
// object altered on the way (the index answers a tampered copy), a lock whose hash was edited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'smol-toml';
import { startWorld, type World } from '../../test/helpers/world.ts';
import { pypiControl } from '../../test/helpers/pypi.ts';
import { pipLock, publishGroup, trustEnv, uvExport, verifyCli } from '../../test/helpers/verify.ts';
import { BUILD_PROVENANCE_ACTION, runAction } from '../../test/helpers/run-action.ts';
import { buildWheel } from '../../test/fixtures/dists/build.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { pypiAttestationVerdict, twineUploadWithAttestations } from '../../test/helpers/verifiers.ts';
import { writeIdentities } from '../../src/verify/pylock.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const PYTHON = join(ROOT, '.venv/bin/python');
const VERIFY_ACTION = join(ROOT, 'dist/verify.js');

let world: World;
let pypi: ReturnType<typeof pypiControl>;
let simple: string;
let dir: string;
/** beta==1.0.0 (needs alpha) and gamma==1.0.0, as pip locked them */
let lock: string;
let lockText: string;

interface JsonFile {
  filename: string;
  status: string;
  outcome: string;
  identity: Record<string, string> | null;
  sha256: string | null;
  provenance_url: string | null;
}

async function verify(args: string[]) {
  const r = await verifyCli(world, [...args, '--index-url', simple]);
  return { ...r, files: args.includes('--json') ? (JSON.parse(r.stdout).files as JsonFile[]) : [] };
}

const byName = (files: JsonFile[], prefix: string) => files.find((f) => f.filename.startsWith(prefix))!;

before(async () => {
  world = await startWorld();
  pypi = pypiControl(world);
  simple = `${world.env['WORLD_PYPI_URL']}/simple/`;
  await publishGroup(world, {
    releases: [
      { name: 'alpha', version: '1.0.0' },
      { name: 'beta', version: '1.0.0', requires: ['alpha==1.0.0'] },
    ],
  });
  await publishGroup(world, { releases: [{ name: 'gamma', version: '1.0.0' }], attestations: false });
  // The project changes hands: 2.0.0 comes from another repository, registered as a second publisher.
  await publishGroup(world, { releases: [{ name: 'beta', version: '2.0.0', requires: ['alpha==1.0.0'] }], repository: 'octo-org/renamed' });
  dir = await scratchDir('verify-e2e-');
  lock = await pipLock(world, ['beta==1.0.0', 'gamma==1.0.0'], dir);
  lockText = await readFile(lock, 'utf8');
});

after(() => world.stop());

test('a pip lock file: verified files name their publisher, a file uploaded without attestations has no provenance', async () => {
  const r = await verify([lock, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    r.files.map((f) => [f.filename, f.status]),
    [
      ['alpha-1.0.0-py3-none-any.whl', 'verified'],
      ['beta-1.0.0-py3-none-any.whl', 'verified'],
      ['gamma-1.0.0-py3-none-any.whl', 'no-provenance'],
    ],
  );
  assert.deepEqual(byName(r.files, 'beta').identity, { kind: 'GitHub', repository: 'octo-org/sampleproject', workflow: 'release.yml' });
  assert.match(byName(r.files, 'alpha').provenance_url ?? '', /\/integrity\/alpha\/1\.0\.0\/alpha-1\.0\.0-py3-none-any\.whl\/provenance$/);
});

test('the table, the summary and --require', async () => {
  const table = await verify([lock]);
  assert.equal(table.code, 0);
  assert.match(table.stdout, /^verified +alpha-1\.0\.0-py3-none-any\.whl +\(GitHub octo-org\/sampleproject \(release\.yml\)\)$/m);
  assert.match(table.stdout, /^no provenance +gamma-1\.0\.0-py3-none-any\.whl/m);
  assert.match(table.stdout, /^3 files: 2 verified, 1 no provenance$/m);
  assert.match(table.summary, /\| alpha-1\.0\.0-py3-none-any\.whl \| ✅ verified/);
  const required = await verify([lock, '--require']);
  assert.equal(required.code, 1, 'no provenance fails the run when provenance is required');
});

test("a tampered provenance object is invalid, and so PyPI's own verifier says", async () => {
  const path = '/integrity/alpha/1.0.0/alpha-1.0.0-py3-none-any.whl/provenance';
  const genuine: any = await (await pypi.provenance('alpha', '1.0.0', 'alpha-1.0.0-py3-none-any.whl')).json();
  const tampered = structuredClone(genuine);
  const att = tampered.attestation_bundles[0].attestations[0];
  const statement = JSON.parse(Buffer.from(att.envelope.statement, 'base64').toString());
  statement.subject[0].digest.sha256 = 'f'.repeat(64);
  att.envelope.statement = Buffer.from(JSON.stringify(statement)).toString('base64');
  await pypi.fault({ method: 'GET', path, count: 1, status: 200, body: tampered });
  const r = await verify([lock, '--json']);
  assert.equal(r.code, 1);
  const alpha = byName(r.files, 'alpha');
  assert.equal(alpha.status, 'invalid');
  assert.match(alpha.outcome, /^invalid \(the Rekor entry does not describe this envelope — the statement or signature was altered after it was logged/);
  assert.equal(byName(r.files, 'beta').status, 'verified', 'only the tampered file fails');
  // The judge: pypi-attestations (what PyPI runs) refuses the tampered attestation too.
  const attFile = join(dir, 'tampered.attestation');
  await writeFile(attFile, JSON.stringify(att));
  const judged = await pypiAttestationVerdict(world, ['--attestation', attFile, '--dist-name', 'alpha-1.0.0-py3-none-any.whl', '--dist-sha256', alpha.sha256!]);
  assert.match(String(judged), /^FAIL/);
});

test("a lock whose hash differs from the index's file", async () => {
  const alphaSha = (parse(lockText) as any).packages[0].wheels[0].hashes.sha256 as string;
  const edited = join(dir, 'pylock.edited.toml');
  await writeFile(edited, lockText.replace(alphaSha, '0'.repeat(64)));
  const r = await verify([edited, '--json']);
  assert.equal(r.code, 1);
  const alpha = byName(r.files, 'alpha');
  assert.equal(alpha.status, 'hash-differs');
  assert.match(alpha.outcome, new RegExp(`^file hash differs from the lock \\(lock sha256 0{64}, index sha256 ${alphaSha}\\)$`));
});

test('--write-identities records the publishers; the lock still verifies; a changed publisher then fails', async () => {
  const recorded = join(dir, 'pylock.recorded.toml');
  await writeFile(recorded, lockText);
  // A link planted where the new lock is written before its rename is not written through.
  const outside = join(await scratchDir('verify-outside-'), 'target');
  await writeFile(outside, 'untouched\n');
  await symlink(outside, `${recorded}.tmp`);
  const w = await verify([recorded, '--write-identities']);
  assert.equal(w.code, 0, w.stderr);
  assert.match(w.stderr, /recorded the publisher of 2 packages/);
  assert.equal(await readFile(outside, 'utf8'), 'untouched\n');
  const written = await readFile(recorded, 'utf8');
  // Minimal edit: every original line is still there, in order; only identity tables were added.
  const original = new Set(lockText.split('\n'));
  const added = new Set(written.split('\n').filter((l) => !original.has(l)));
  assert.deepEqual([...added].sort(), [
    '[[packages.attestation-identities]]',
    'kind = "GitHub"',
    'repository = "octo-org/sampleproject"',
    'workflow = "release.yml"',
  ]);
  assert.equal(
    written
      .split('\n')
      .filter((l) => original.has(l))
      .join('\n')
      .replace(/\n+/g, '\n')
      .trim(),
    lockText.replace(/\n+/g, '\n').trim(),
  );
  // Read back by Python's tomllib, not by our parser.
  const { stdout } = await run(PYTHON, [
    '-c',
    'import json,sys,tomllib; d=tomllib.load(open(sys.argv[1],"rb")); print(json.dumps({p["name"]: p.get("attestation-identities") for p in d["packages"]}))',
    recorded,
  ]);
  assert.deepEqual(JSON.parse(stdout), {
    alpha: [{ kind: 'GitHub', repository: 'octo-org/sampleproject', workflow: 'release.yml' }],
    beta: [{ kind: 'GitHub', repository: 'octo-org/sampleproject', workflow: 'release.yml' }],
    gamma: null,
  });
  assert.equal((await verify([recorded])).code, 0, 'the recorded identities match what the index serves');

  // The upgrade to beta 2.0.0, locked afresh, with the identities recorded for beta carried over.
  const upgraded = await pipLock(world, ['beta==2.0.0'], await scratchDir('verify-upgrade-'));
  const fresh = await verify([upgraded, '--json']);
  assert.equal(byName(fresh.files, 'beta').status, 'verified', 'without an expectation, the new publisher is only reported');
  assert.equal(byName(fresh.files, 'beta').identity?.repository, 'octo-org/renamed');
  const betaAt = (parse(await readFile(upgraded, 'utf8')) as any).packages.findIndex((p: { name: string }) => p.name === 'beta');
  const identities = (parse(written) as any).packages.find((p: { name: string }) => p.name === 'beta')['attestation-identities'];
  await writeFile(upgraded, writeIdentities(await readFile(upgraded, 'utf8'), new Map([[betaAt, identities]])));
  const changed = await verify([upgraded, '--json']);
  assert.equal(changed.code, 1);
  const beta = byName(changed.files, 'beta');
  assert.equal(beta.status, 'identity-differs');
  assert.equal(beta.outcome, 'identity differs (expected GitHub octo-org/sampleproject (release.yml), found GitHub octo-org/renamed (release.yml))');
});

test('name==version with --repository: the expected repository passes, another publisher differs', async () => {
  const ok = await verify(['beta==1.0.0', '--repository', 'octo-org/sampleproject', '--workflow', 'release.yml', '--json']);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.deepEqual(
    ok.files.map((f) => [f.filename, f.status]),
    [
      ['beta-1.0.0-py3-none-any.whl', 'verified'],
      ['beta-1.0.0.tar.gz', 'verified'],
    ],
  );
  const moved = await verify(['beta==2.0.0', '--repository', 'https://github.com/octo-org/sampleproject', '--json']);
  assert.equal(moved.code, 1);
  assert.deepEqual(
    moved.files.map((f) => f.status),
    ['identity-differs', 'identity-differs'],
  );
  const otherWorkflow = await verify(['beta==1.0.0', '--repository', 'octo-org/sampleproject', '--workflow', 'nightly.yml', '--json']);
  assert.deepEqual(
    otherWorkflow.files.map((f) => f.status),
    ['identity-differs', 'identity-differs'],
  );
});

test('a requirements file with --hash checks exactly the hashed files', async () => {
  const sdist = (await pypi.files('alpha')).find((f) => f.filename.endsWith('.tar.gz'))!;
  const req = join(dir, 'requirements.txt');
  await writeFile(req, `# pinned with hashes\nalpha==1.0.0 \\\n    --hash=sha256:${sdist.sha256}\ngamma==1.0.0 --hash=sha256:${'1'.repeat(64)}\n`);
  const r = await verify(['-r', req, '--json']);
  assert.equal(r.code, 1);
  assert.deepEqual(
    r.files.map((f) => [f.filename, f.status]),
    [
      ['alpha-1.0.0.tar.gz', 'verified'],
      ['gamma==1.0.0', 'hash-differs'],
    ],
  );
});

test('usage errors exit 2 and name the problem', async () => {
  const none = await verifyCli(world, []);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /nothing to verify/);
  const loose = await verify(['alpha>=1']);
  assert.equal(loose.code, 2);
  assert.match(loose.stderr, /not a pinned requirement/);
  // What the message quotes is data: never a workflow command.
  const planted = await verify(['alpha##[add-mask]x']);
  assert.equal(planted.code, 2);
  assert.match(planted.stderr, /alpha##\u2060\[add-mask\]x/);
  assert.doesNotMatch(planted.stderr, /##\[/);
});

test('the verify action (dist/verify.js as the runner runs it): outputs, job summary, failure', async () => {
  const workspace = await scratchDir('verify-action-');
  await writeFile(join(workspace, 'pylock.toml'), lockText);
  // The world's trust variables, as a workflow would set them (RUNNER_TEMP comes from the runner).
  const { RUNNER_TEMP: _cache, ...env } = trustEnv(world, workspace);
  const ok = await runAction({ entry: VERIFY_ACTION, cwd: workspace, env, inputs: { 'lock-file': 'pylock.toml', 'index-url': simple } });
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.equal(ok.outputs['verified'], '2');
  assert.equal(ok.outputs['failed'], '0');
  assert.deepEqual(
    JSON.parse(ok.outputs['results']!).map((f: JsonFile) => f.status),
    ['verified', 'verified', 'no-provenance'],
  );
  assert.match(ok.summary, /## Provenance of the locked files/);
  assert.match(ok.stdout, /^verified +beta-1\.0\.0-py3-none-any\.whl/m);

  const moved = await runAction({
    entry: VERIFY_ACTION,
    cwd: workspace,
    env,
    inputs: { requirements: 'beta==2.0.0\n', repository: 'octo-org/sampleproject', 'index-url': simple },
  });
  assert.equal(moved.code, 1);
  assert.equal(moved.outputs['failed'], '2');
  assert.match(moved.stdout, /^::error::provenance verification failed: 2 identity differs/m);

  const required = await runAction({ entry: VERIFY_ACTION, cwd: workspace, env, inputs: { 'lock-file': 'pylock.toml', 'index-url': simple, require: 'true' } });
  assert.equal(required.code, 1, 'gamma has no provenance');
});

test('a uv-exported lock (inline tables, each package naming its index): sdists and wheels, then identities written inline-style', async () => {
  const uvLock = await uvExport(world, ['beta==1.0.0', 'gamma==1.0.0']);
  // No --index-url: the packages' own `index` is asked.
  const r = await verifyCli(world, [uvLock, '--json', '--write-identities']);
  assert.equal(r.code, 0, r.stderr);
  const files = JSON.parse(r.stdout).files as JsonFile[];
  assert.deepEqual(
    files.map((f) => [f.filename, f.status]),
    [
      ['alpha-1.0.0.tar.gz', 'verified'],
      ['alpha-1.0.0-py3-none-any.whl', 'verified'],
      ['beta-1.0.0.tar.gz', 'verified'],
      ['beta-1.0.0-py3-none-any.whl', 'verified'],
      ['gamma-1.0.0.tar.gz', 'no-provenance'],
      ['gamma-1.0.0-py3-none-any.whl', 'no-provenance'],
    ],
  );
  const { stdout } = await run(PYTHON, [
    '-c',
    'import json,sys,tomllib; d=tomllib.load(open(sys.argv[1],"rb")); print(json.dumps([(p["name"], len(p.get("wheels", [])), p.get("attestation-identities")) for p in d["packages"]]))',
    uvLock,
  ]);
  const id = [{ kind: 'GitHub', repository: 'octo-org/sampleproject', workflow: 'release.yml' }];
  assert.deepEqual(JSON.parse(stdout), [
    ['alpha', 1, id],
    ['beta', 1, id],
    ['gamma', 1, null],
  ]);
  assert.equal((await verifyCli(world, [uvLock])).code, 0);
});

test('a file with publish and build (SLSA) attestations: both verified under its publisher', async () => {
  // The build job signs SLSA provenance (build-provenance action), the publish step the publish
  // attestation; the index gets both from twine, as the build-provenance suite does.
  const ws = await scratchDir('verify-slsa-');
  await buildWheel(join(ws, 'dist'), { name: 'delta', version: '1.0.0' });
  const env = { ...world.env };
  const built = await runAction({ entry: BUILD_PROVENANCE_ACTION, cwd: ws, inputs: { 'subject-path': 'dist' }, env });
  assert.equal(built.code, 0, built.stdout + built.stderr);
  await pypi.trust({ project: 'delta' });
  // The publish action signs and writes its sidecars before any upload; the index refuses its upload
  // here, so that twine can upload the dist with both attestations.
  await pypi.fault({ method: 'POST', path: '/legacy/', count: 100, status: 400, body: 'held back by the test' });
  await runAction({ cwd: ws, inputs: { 'repository-url': pypi.uploadUrl, 'packages-dir': 'dist' }, env });
  await pypi.clearFaults();
  const files = (await readdir(join(ws, 'dist'))).filter((f) => f.endsWith('.whl') || f.endsWith('.attestation')).map((f) => join(ws, 'dist', f));
  assert.equal(files.length, 3, 'the wheel, its publish and its SLSA attestation');
  const token = await pypi.mintToken();
  await twineUploadWithAttestations(pypi.uploadUrl, token, files);
  const r = await verify(['delta==1.0.0', '--repository', 'octo-org/sampleproject', '--workflow', 'release.yml', '--json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const [delta] = r.files as Array<JsonFile & { predicates: string[] }>;
  assert.equal(delta!.status, 'verified');
  assert.deepEqual([...delta!.predicates].sort(), ['https://docs.pypi.org/attestations/publish/v1', 'https://slsa.dev/provenance/v1']);
});
