// Hostile files, end to end (issue #15, items 1, 4, 5, 7, 8, 12): dist/index.js run as the runner runs
// it, against the local world, on a workspace that is not ours alone (dists downloaded from another
// job, a file changed while the step runs). Each run must end in a per-file report (exit 1 or 0,
// never a crash), write nothing outside packages-dir and send only the bytes that were checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, open, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { startWorld, type World } from '../../test/helpers/world.ts';
import { pypiControl } from '../../test/helpers/pypi.ts';
import { runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { assertNoSecretLeaked } from '../../test/helpers/secrets.ts';
import { assertRunVerified } from '../../test/helpers/verifiers.ts';
import { startIndexProxy, type IndexProxy } from '../../test/helpers/index-proxy.ts';
import { buildWheel, metadataText, tarBytes, wheelFilename } from '../../test/fixtures/dists/build.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

const NAME = 'sampleproject';
const V = '1.0.0';
const WHEEL = wheelFilename(NAME, V);
const USER = 'hostile-uploader';
const PASSWORD = 'pypi-hostile-files-password-0123456789';

let world: World;
let pypi: ReturnType<typeof pypiControl>;
const runs: ActionRun[] = [];
const proxies: IndexProxy[] = [];

before(async () => {
  world = await startWorld();
  pypi = pypiControl(world);
  await pypi.trust({ project: NAME });
  await pypi.user(USER, PASSWORD, [NAME]);
});

after(async () => {
  try {
    await assertNoSecretLeaked(world, runs, [PASSWORD]);
  } finally {
    await Promise.all(proxies.map((p) => p.close()));
    await world.stop();
  }
});

async function act(ws: string, inputs: Record<string, string>): Promise<ActionRun> {
  const r = await runAction({ cwd: ws, inputs: { 'packages-dir': 'dist', ...inputs }, env: { ...world.env } });
  runs.push(r);
  await assertRunVerified(world, ws, r);
  return r;
}
const password = (url: string) => ({ 'repository-url': url, user: USER, password: PASSWORD });
const trusted = (url: string) => ({ 'repository-url': url });

async function proxy(): Promise<IndexProxy> {
  const p = await startIndexProxy(pypi.base);
  proxies.push(p);
  return p;
}

/** Ended with a report: exit 1, a row with a reason for the file, a summary; not a crash. */
function reported(r: ActionRun, filename: string, reason: RegExp): void {
  assert.equal(r.code, 1, `exit code ${r.code}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  const row = r.results.find((x) => x.filename === filename);
  assert.ok(row, `a results row for ${filename}: ${JSON.stringify(r.results)}`);
  assert.match(row.reason ?? '', reason);
  assert.ok(r.summary.includes(filename), 'the summary names the file');
}

async function storedFiles(): Promise<string[]> {
  return (await pypi.files(NAME)).map((f) => f.filename);
}

test("1: links planted under the sidecars' staging and final names are replaced, never written through", async () => {
  await pypi.reset();
  await pypi.trust({ project: NAME });
  const ws = await scratchDir('hostile-link-');
  const outside = await scratchDir('hostile-outside-');
  const dist = join(ws, 'dist');
  await buildWheel(dist, { name: NAME, version: V });
  const victims = ['staged-bundle', 'staged-attestation', 'final-bundle'].map((n) => join(outside, n));
  await Promise.all(victims.map((v) => writeFile(v, 'precious\n')));
  await symlink(victims[0] as string, join(dist, `.${WHEEL}.sigstore.json.partial`));
  await symlink(victims[1] as string, join(dist, `.${WHEEL}.publish.attestation.partial`));
  await symlink(victims[2] as string, join(dist, `${WHEEL}.sigstore.json`));

  const r = await act(ws, trusted(pypi.uploadUrl));
  assert.equal(r.code, 0, r.stdout.slice(-3000) + r.stderr.slice(-3000));
  for (const v of victims) assert.equal(await readFile(v, 'utf8'), 'precious\n', `${v} outside the workspace is untouched`);
  for (const sidecar of [`${WHEEL}.sigstore.json`, `${WHEEL}.publish.attestation`]) {
    const st = await lstat(join(dist, sidecar));
    assert.ok(st.isFile() && !st.isSymbolicLink(), `${sidecar} is a regular file, not a link`);
    JSON.parse(await readFile(join(dist, sidecar), 'utf8'));
  }
});

/** Sets the compressed size of `member` in the central directory (not in its local header). */
function forgeCompressedSize(zip: Buffer, member: string, size: number): void {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = zip.readUInt32LE(eocd + 16);
  while (zip.readUInt32LE(p) === 0x02014b50) {
    const nameLen = zip.readUInt16LE(p + 28);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (name.endsWith(member)) {
      zip.writeUInt32LE(size, p + 20);
      return;
    }
    p += 46 + nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  throw new Error(`no member ${member}`);
}

test('4: a wheel over 8 MiB with a compressed size over 2 GiB in its central directory is a verdict, not an abort', async () => {
  const ws = await scratchDir('hostile-forged-');
  const dist = join(ws, 'dist');
  const path = await buildWheel(dist, { name: NAME, version: V, method: 0, files: { 'sampleproject/blob.bin': randomBytes(9 * 1024 * 1024) } });
  const bytes = await readFile(path);
  forgeCompressedSize(bytes, '.dist-info/METADATA', 0x90000000);
  await writeFile(path, bytes);
  const r = await act(ws, password(pypi.uploadUrl));
  // PyPI's answer is the framing check's (central and local sizes disagree). The stored METADATA is
  // read as zipfile reads it, no further than its size: never 2 GiB.
  reported(r, WHEEL, /ZIP archive not accepted: Mis-matched data size/);
  assert.doesNotMatch(r.stderr, /Assertion failed|Aborted|core dumped/);
});

test('7: 130,000 repeated bad metadata fields give a bounded report that says how many were cut', async () => {
  const ws = await scratchDir('hostile-fields-');
  await buildWheel(join(ws, 'dist'), { name: NAME, version: V, metadata: { 'Requires-Dist': Array.from({ length: 130_000 }, (_, i) => `!!bad${i}`) } });
  const r = await act(ws, password(pypi.uploadUrl));
  reported(r, WHEEL, /'!!bad0' is invalid for 'requires-dist'/);
  // PyPI (packaging) answers the first bad requirement of the field, and so does the pre-flight.
  assert.ok((r.stdout.match(/is invalid for 'requires-dist'/g)?.length ?? 0) <= 2, 'one problem for the field (in the error and the report), not 130,000');
  assert.ok(r.stdout.length < 200_000, `log of ${r.stdout.length} characters`);
  assert.ok(r.summary.length < 200_000, `summary of ${r.summary.length} characters`);
});

test('8: an sdist with 64 KiB pax member names is refused once its names pass 64 MiB, naming the bound', async () => {
  const ws = await scratchDir('hostile-pax-');
  const dist = join(ws, 'dist');
  await mkdir(dist, { recursive: true });
  const sdist = `${NAME}-${V}.tar.gz`;
  const top = `${NAME}-${V}`;
  // The archive, 2,000 members instead of 12,000 (the old code read them all and passed it).
  const gz = createGzip({ level: 1 });
  const out = gz.pipe(createWriteStream(join(dist, sdist)));
  gz.write(tarBytes([{ name: `${top}/PKG-INFO`, data: metadataText(NAME, V) }]).subarray(0, -1024));
  for (let i = 0; i < 2000; i++) {
    const name = `${top}/${String(i).padStart(6, '0')}${'n'.repeat(64 * 1024)}`;
    if (!gz.write(tarBytes([{ name, data: '' }]).subarray(0, -1024))) await once(gz, 'drain');
  }
  gz.end(Buffer.alloc(1024));
  await once(out, 'finish');
  const started = Date.now();
  const r = await act(ws, password(pypi.uploadUrl));
  reported(r, sdist, /its member names add up to more than 67108864 bytes/);
  assert.ok(Date.now() - started < 30_000, `refused in ${Date.now() - started} ms`);
  assert.ok(!(await storedFiles()).includes(sdist));
});

/** Overwrites `length` bytes at `pos` with other bytes: the file keeps its size. */
async function overwrite(path: string, pos: number, length: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    const old = Buffer.alloc(length);
    await fh.read(old, 0, length, pos);
    await fh.write(Buffer.from(old.map((b) => b ^ 0xff)), 0, length, pos);
  } finally {
    await fh.close();
  }
}

test('5: a dist changed after it was checked (same size) is refused before its upload ends (password)', async () => {
  await pypi.reset();
  await pypi.user(USER, PASSWORD, [NAME]);
  const ws = await scratchDir('hostile-changed-');
  const path = await buildWheel(join(ws, 'dist'), { name: NAME, version: V });
  const p = await proxy();
  // The simple-index look-up comes after every check and before the upload.
  p.hooks.beforeRoute = { prefix: '/simple/', run: () => overwrite(path, 40, 16) };
  const r = await act(ws, password(p.uploadUrl));
  reported(r, WHEEL, /changed since it was checked.*sha256/);
  assert.deepEqual(p.uploads, { started: 1, complete: 0 }, 'one attempt, cut before its end');
  assert.deepEqual(await storedFiles(), []);
});

/** A 32 MiB wheel: far more than the action reads ahead of what the index took. */
const bigWheel = (dir: string) => buildWheel(dir, { name: NAME, version: V, method: 0, files: { 'sampleproject/blob.bin': randomBytes(32 * 1024 * 1024) } });

test('12: a dist that gets shorter during its upload is a typed error naming it, not retried (password)', async () => {
  await pypi.reset();
  await pypi.user(USER, PASSWORD, [NAME]);
  const ws = await scratchDir('hostile-shrinks-');
  const path = await bigWheel(join(ws, 'dist'));
  const p = await proxy();
  p.hooks.onFirstUploadBytes = () => truncate(path, 16 * 1024 * 1024);
  const r = await act(ws, password(p.uploadUrl));
  reported(r, WHEEL, new RegExp(`${WHEEL} changed since it was checked`));
  assert.doesNotMatch(r.results[0]?.reason ?? '', /could not reach/);
  assert.deepEqual(p.uploads, { started: 1, complete: 0 }, 'one attempt, no retry');
  assert.deepEqual(await storedFiles(), []);
});

test('5: a dist changed during its upload (same size) is refused before the upload ends (Trusted Publishing)', async () => {
  await pypi.reset();
  await pypi.trust({ project: NAME });
  const ws = await scratchDir('hostile-tp-changed-');
  const path = await bigWheel(join(ws, 'dist'));
  const p = await proxy();
  p.hooks.onFirstUploadBytes = () => overwrite(path, 24 * 1024 * 1024, 1024 * 1024);
  const r = await act(ws, trusted(p.uploadUrl));
  reported(r, WHEEL, /changed since it was checked.*sha256/);
  assert.deepEqual(p.uploads, { started: 1, complete: 0 }, 'one attempt, cut before its end');
  assert.deepEqual(await storedFiles(), []);
});
