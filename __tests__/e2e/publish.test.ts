// The product, end to end: dist/index.js run as the runner runs it, publishing with Trusted
// Publishing and attestations to the local PyPI stand-in, signed by the local Sigstore. Every
// verdict on an attestation comes from the code PyPI runs (pypi-attestations, sigstore-python).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { assertVerifiedByAll, bundlesOf, sigstoreVerifyIdentity } from '../../test/helpers/verifiers.ts';
import { runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { pypiWorldForSuite } from '../../test/helpers/suite-world.ts';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { logShape } from '../../test/helpers/log-groups.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const SIGSTORE = join(ROOT, '.venv/bin/sigstore');

const runs: ActionRun[] = [];
const suite = pypiWorldForSuite(runs, publishFirst);
let workspace: string;
let first: ActionRun;

async function publishRun(extra: Record<string, string> = {}, env: Record<string, string> = {}) {
  const result = await runAction({
    cwd: workspace,
    inputs: { 'repository-url': suite.pypi.uploadUrl, 'packages-dir': 'dist', ...extra },
    env: { ...suite.world.env, ...env },
  });
  runs.push(result);
  return result;
}

/** The run most tests look at: an sdist and two wheels of sampleproject 1.0.0, published into the fresh world. */
async function publishFirst(): Promise<void> {
  await suite.pypi.trust({ project: 'sampleproject' });
  workspace = await scratchDir('ws-');
  const dist = join(workspace, 'dist');
  await buildSdist(dist, {
    name: 'sampleproject',
    version: '1.0.0',
    metadata: { 'Description-Content-Type': 'text/markdown' },
    body: '# Sample\n\nA *sample* project.\n',
  });
  await buildWheel(dist, { name: 'sampleproject', version: '1.0.0' });
  await buildWheel(dist, { name: 'sampleproject', version: '1.0.0', tag: 'cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64' });
  await suite.world.resetStats('fulcio');
  first = await publishRun();
}

test('1 sdist + 2 wheels are published with Trusted Publishing and attestations', async () => {
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.deepEqual(
    first.results.map((r) => r.status),
    ['uploaded', 'uploaded', 'uploaded'],
  );
  const state = await suite.pypi.state();
  const files = state.files.filter((f: { filename: string }) => f.filename.startsWith('sampleproject-1.0.0'));
  assert.equal(files.length, 3);
  for (const f of files) assert.equal(f.has_provenance, true, `${f.filename} stored with its provenance`);
});

test('cosign, sigstore-go, sigstore-python and pypi-attestations accept every bundle', async () => {
  await assertVerifiedByAll(suite.world, bundlesOf(workspace, first.results));
});

test('Fulcio was called once for the whole run', async () => {
  const stats = await suite.world.stats('fulcio');
  assert.equal(stats.requests['POST /api/v2/signingCert'], 1);
});

test('every <dist>.sigstore.json verifies with sigstore-python against the local trust root', async () => {
  for (const r of first.results) {
    assert.ok(r.bundle && r.attestation);
    const file = r.bundle.replace(/\.sigstore\.json$/, '');
    const { stdout, stderr } = await sigstoreVerifyIdentity(suite.world, r.bundle, file);
    assert.match(stdout + stderr, /OK/);
  }
});

test('the Integrity API serves the provenance of each file', async () => {
  for (const r of first.results) {
    const res = await suite.pypi.provenance('sampleproject', '1.0.0', r.filename);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { attestation_bundles: Array<{ publisher: { repository: string }; attestations: unknown[] }> };
    assert.equal(body.attestation_bundles[0]?.publisher.repository, 'octo-org/sampleproject');
    assert.equal(body.attestation_bundles[0]?.attestations.length, 1);
  }
});

test('the log folds each stage into a group; the outcome of each file and the headline are outside them', () => {
  const shape = logShape(first.stdout);
  assert.deepEqual(shape.faults, [], first.stdout);
  const expected = [
    /^Checking the distributions$/,
    /^Trusted Publishing exchange with 127\.0\.0\.1:\d+$/,
    /^Signing and verifying 3 distributions$/,
    /^Uploading 3 distributions to http:\/\/127\.0\.0\.1:\d+\/legacy\/$/,
    /^Hashes \(print-hash\)$/,
  ];
  assert.equal(shape.groups.length, expected.length, shape.groups.join('\n'));
  for (const [i, title] of expected.entries()) assert.match(shape.groups[i] ?? '', title);
  // Request lines and the hash block are folded away; what is left is the outcome.
  assert.deepEqual(
    shape.outside.filter((l) => / -> \d{3} \(|^SHA256: /.test(l)),
    [],
  );
  for (const r of first.results)
    assert.ok(
      shape.outside.some((l) => new RegExp(`^✅ uploaded +${r.filename.replace(/\./g, '\\.')}  http`).test(l)),
      `${r.filename}'s outcome line`,
    );
  assert.ok(shape.outside.includes(`sampleproject 1.0.0: 3 of 3 files published to ${suite.pypi.uploadUrl}`), shape.outside.join('\n'));
});

test('outputs, summary and log report each file', () => {
  assert.match(first.summary, /^## ✅ sampleproject 1\.0\.0: 3 of 3 files published to http:\/\/127\.0\.0\.1:\d+\/legacy\/\n/);
  assert.match(
    first.summary,
    /Signed with Sigstore\*\* \(3 files\) by `octo-org\/sampleproject` · workflow `\.github\/workflows\/release\.yml` · ref `refs\/tags\/v1\.0\.0`/,
  );
  assert.match(first.summary, /verified before upload with PyPI's policy/);
  assert.match(first.summary, /\| `sampleproject-1\.0\.0\.tar\.gz` \| ✅ uploaded \| [\d.]+ (B|KiB) \| `[0-9a-f]{12}…` \|/);
  assert.match(first.summary, /<details><summary>Full SHA-256 digests<\/summary>/);
  for (const r of first.results) assert.ok(first.summary.includes(`${r.sha256}  ${r.filename}`), `full digest of ${r.filename}`);
  assert.match(
    first.summary,
    /### Verify a published file\n\n```sh\nFILE=dist\/sampleproject-\S+\nID=https:\/\/github\.com\/octo-org\/sampleproject\/\.github\/workflows\/release\.yml@refs\/tags\/v1\.0\.0\n# PyPI's verifier \(pypi-attestations\)\npypi-attestations verify attestation --identity "\$ID" "\$FILE"\n/,
  );
  assert.match(
    first.summary,
    /\ncosign verify-blob-attestation --new-bundle-format --bundle "\$FILE\.sigstore\.json" --type https:\/\/docs\.pypi\.org\/attestations\/publish\/v1 /,
  );
  assert.match(
    first.summary,
    /\ngh attestation verify "\$FILE" --bundle "\$FILE\.sigstore\.json" --repo octo-org\/sampleproject \\\n  --predicate-type https:\/\/docs\.pypi\.org\/attestations\/publish\/v1\n/,
  );
  // Each file's transparency log entry, by its index (the local Rekor has no public search page).
  assert.match(first.summary, /\| `sampleproject-1\.0\.0\.tar\.gz` \| .* · Rekor #\d+ \|/);
  assert.match(first.stdout, /^✅ uploaded +sampleproject-1\.0\.0\.tar\.gz  http/m);
  assert.match(first.summary, /\[provenance\]\(/);
  assert.match(first.stdout, /Showing hash values of files to be uploaded:/);
  assert.match(first.stdout, /BLAKE2-256: [0-9a-f]{64}/);
  assert.equal(first.outputs['uploaded-count'], '3');
  assert.equal(first.outputs['all-published'], 'true');
  assert.equal(first.outputs['bundle-paths']?.split('\n').length, 3);
});

test("the summary's sigstore-python command verifies the file as written (pointed at the local trust root)", async () => {
  // Lines as a shell reads them: a trailing backslash continues the command.
  const lines = first.summary
    .slice(first.summary.indexOf('```sh\n') + 6)
    .split('\n```')[0]!
    .replace(/ \\\n {2}/g, ' ')
    .split('\n');
  const vars = lines.filter((l) => /^(FILE|ID)=/.test(l));
  const sigstore = lines.find((l) => l.startsWith('python -m sigstore verify github '));
  assert.ok(vars.length === 2 && sigstore, first.summary);
  // The commands as printed, with the one flag that points each tool at the local Sigstore.
  const trust = suite.world.env['WORLD_TRUST_CONFIG'] as string;
  const script = [...vars, sigstore.replace('python -m sigstore ', `${SIGSTORE} --trust-config ${trust} `)].join('\n');
  const { stdout, stderr } = await run('bash', ['-c', `set -euo pipefail\n${script}`], { cwd: workspace });
  assert.match(stdout + stderr, /^OK: dist\//m);
});

test('re-running the job: every file already present, nothing fails, sidecars replaced', async () => {
  const bundle = first.results[0]?.bundle as string;
  const before = (await stat(bundle)).mtimeMs;
  const again = await publishRun();
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.deepEqual(
    again.results.map((r) => r.status),
    ['already-present', 'already-present', 'already-present'],
  );
  assert.ok((await stat(bundle)).mtimeMs > before, 'the sidecar was rewritten');
  const state = await suite.pypi.state();
  assert.equal(state.files.filter((f: { filename: string }) => f.filename.startsWith('sampleproject-1.0.0')).length, 3);
});

test('skip-existing with a different file of the same name: skipped (differs), both hashes, a warning, never "uploaded"', async () => {
  const changed = await scratchDir('ws-differs-');
  await buildSdist(join(changed, 'dist'), {
    name: 'sampleproject',
    version: '1.0.0',
    metadata: { 'Description-Content-Type': 'text/markdown' },
    body: '# Sample\n\nRebuilt: other bytes.\n',
  });
  await buildWheel(join(changed, 'dist'), { name: 'sampleproject', version: '1.0.0' });
  const r = await runAction({ cwd: changed, inputs: { 'repository-url': suite.pypi.uploadUrl, 'skip-existing': 'true' }, env: suite.world.env });
  runs.push(r);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const [wheel, sdist] = r.results;
  assert.equal(wheel?.status, 'already-present');
  assert.equal(sdist?.status, 'skipped');
  const onIndex = first.results.find((f) => f.filename === 'sampleproject-1.0.0.tar.gz')?.sha256;
  assert.ok(onIndex && sdist?.sha256 && onIndex !== sdist.sha256);
  assert.equal(sdist.index_sha256, onIndex);
  assert.equal(sdist.provenance_url, null, "the index's provenance is not this build's");
  assert.match(
    r.stdout,
    /^::warning title=Skipped%3A a different file of this name exists::sampleproject-1\.0\.0\.tar\.gz: skipped \(differs\).*index sha256 [0-9a-f]{64}, this build [0-9a-f]{64}\)\. The index's file and its provenance are not this build's/m,
  );
  assert.match(r.stdout, /^⚠️ skipped \(differs\) +sampleproject-1\.0\.0\.tar\.gz/m);
  assert.match(r.summary, /^## ⚠️ sampleproject 1\.0\.0: 1 of 2 files published to \S+; 1 skipped \(differs\)/m);
  assert.match(r.summary, /\| `sampleproject-1\.0\.0\.tar\.gz` \| ⚠️ skipped \(differs\): /);
  assert.ok(
    r.summary.includes(`${sdist.sha256}  sampleproject-1.0.0.tar.gz\n`) && r.summary.includes(`${onIndex}  sampleproject-1.0.0.tar.gz  (the index's file)`),
    r.summary,
  );
  assert.doesNotMatch(r.summary, /uploaded/);
});

test('a release of 20 wheels: every file is signed, verified and stored with its provenance', async () => {
  await suite.pypi.trust({ project: 'manywheels' });
  const ws = await scratchDir('ws-many-');
  const tags = Array.from({ length: 20 }, (_, i) => `cp3${i % 10}-cp3${i % 10}-manylinux_2_${17 + i}_x86_64`);
  for (const tag of tags) await buildWheel(join(ws, 'dist'), { name: 'manywheels', version: '2.0.0', tag });
  const r = await runAction({ cwd: ws, inputs: { 'repository-url': suite.pypi.uploadUrl, 'packages-dir': 'dist', verbose: 'true' }, env: suite.world.env });
  runs.push(r);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const files = (await suite.pypi.state()).files.filter((f: { filename: string }) => f.filename.startsWith('manywheels-2.0.0'));
  assert.equal(files.length, 20);
  for (const f of files) assert.equal(f.has_provenance, true, `${f.filename} stored with its provenance`);
});

test("print-hash of a dist over 8 MiB: the digests taken while it uploads (MD5 by openssl), and on a re-run, are the file's own", async () => {
  await suite.pypi.trust({ project: 'bigwheel' });
  const ws = await scratchDir('ws-big-');
  const { randomBytes, createHash } = await import('node:crypto');
  const path = await buildWheel(join(ws, 'dist'), { name: 'bigwheel', version: '1.0.0', files: { 'bigwheel/blob.bin': randomBytes(9 * 1024 * 1024) } });
  assert.ok((await stat(path)).size > 8 * 1024 * 1024, 'streamed, not read whole');
  const bytes = await (await import('node:fs/promises')).readFile(path);
  const md5 = createHash('md5').update(bytes).digest('hex');
  // Its SHA-256 is read after its checks, while the exchange runs: the report and the block still have it.
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // BLAKE2b-256 as PyPI computes it, by Python's hashlib: another implementation than the action's.
  const { stdout: blake2 } = await run(join(ROOT, '.venv/bin/python'), [
    '-c',
    'import hashlib,sys; print(hashlib.blake2b(open(sys.argv[1],"rb").read(), digest_size=32).hexdigest())',
    path,
  ]);
  for (const expected of ['uploaded', 'already-present']) {
    const r = await runAction({
      cwd: ws,
      inputs: { 'repository-url': suite.pypi.uploadUrl, 'packages-dir': 'dist', 'print-hash': 'true' },
      env: suite.world.env,
    });
    runs.push(r);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.results[0]?.status, expected);
    assert.equal(r.results[0]?.sha256, sha256, `${expected}: the report's SHA-256`);
    const block = r.stdout.slice(r.stdout.indexOf('Showing hash values of files to be uploaded:'));
    assert.match(block, new RegExp(`SHA256: ${sha256}\\n`), `${expected}: SHA256`);
    assert.match(block, new RegExp(`MD5: ${md5}\\n`), `${expected}: MD5`);
    assert.match(block, new RegExp(`BLAKE2-256: ${blake2.trim()}\\n`), `${expected}: BLAKE2-256`);
    assert.ok(r.stdout.indexOf('Showing hash values') < r.stdout.indexOf('Results for'), 'the block comes before the report');
  }
});

test("print-hash of a dist over 8 MiB on a runner without openssl: its MD5 is still the file's own, without a warning", async () => {
  await suite.pypi.trust({ project: 'bigwheel-no-openssl' });
  const ws = await scratchDir('ws-big-');
  const { randomBytes, createHash } = await import('node:crypto');
  const path = await buildWheel(join(ws, 'dist'), { name: 'bigwheel-no-openssl', version: '1.0.0', files: { 'big/blob.bin': randomBytes(9 * 1024 * 1024) } });
  const md5 = createHash('md5')
    .update(await (await import('node:fs/promises')).readFile(path))
    .digest('hex');
  // A PATH of one empty directory: no openssl to find (node is started by its full path).
  const r = await runAction({
    cwd: ws,
    inputs: { 'repository-url': suite.pypi.uploadUrl, 'packages-dir': 'dist', 'print-hash': 'true' },
    env: { ...suite.world.env, PATH: await scratchDir('empty-path-') },
  });
  runs.push(r);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.results[0]?.status, 'uploaded');
  const block = r.stdout.slice(r.stdout.indexOf('Showing hash values of files to be uploaded:'));
  assert.match(block, new RegExp(`MD5: ${md5}\\n`));
  assert.doesNotMatch(r.stdout + r.stderr, /could not compute/);
});
