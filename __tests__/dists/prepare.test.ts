// Stage 1 with a dist too large to read whole: its checks are answered first and its SHA-256 is read on
// (prepared.digested), so the run can go on to Trusted Publishing meanwhile. What must hold: the digest
// it ends with is the file's, a failed read is the file's problem, and the one check that needs
// digests (two files of one name, or of one content) still has them.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WHOLE_READ_MAX, inspectDist } from '../../src/dists/inspect.ts';
import { prepareDists } from '../../src/engine/prepare.ts';
import { LARGE_DIGEST_CONCURRENCY } from '../../src/tunables.ts';
import { buildWheel } from '../../test/fixtures/dists/build.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'prepare-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const sha256Of = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
const largeWheel = (dir: string, version = '1.0') =>
  buildWheel(dir, { name: 'bigwheel', version, files: { 'bigwheel/blob.bin': randomBytes(WHOLE_READ_MAX + 1024) } });

describe('a dist over the whole-read size', () => {
  it('is checked before its digest is read, and ends with the digest of its bytes', async () => {
    const path = await largeWheel(join(root, 'one'));
    const r = await inspectDist(path, { deferLargeDigest: true });
    assert.deepEqual(r.problems, []);
    assert.ok(r.digesting, 'the digest is read after the checks');
    assert.equal(r.dist?.digests.sha256, '', "not filled in place: the digest is the promise's");
    const read = await r.digesting;
    assert.ok(read && 'digests' in read, 'no problem');
    assert.equal(read.digests.sha256, await sha256Of(path));
  });

  it('is hashed before the result without deferLargeDigest (what tests and tools use)', async () => {
    const path = await largeWheel(join(root, 'eager'));
    const r = await inspectDist(path);
    assert.equal(r.digesting, undefined);
    assert.equal(r.dist?.digests.sha256, await sha256Of(path));
  });

  it('prepareDists: `digested` resolves with the dists, every digest known, and no problem', async () => {
    const dir = join(root, 'prepared');
    const big = await largeWheel(dir);
    const small = await buildWheel(dir, { name: 'smallwheel', version: '1.0' });
    const p = await prepareDists([dir], root, true);
    assert.deepEqual(
      p.problems.filter((x) => x.severity === 'error'),
      [],
    );
    const digested = await p.digested;
    assert.deepEqual(digested.problems, []);
    const byName = new Map(digested.dists.map((d) => [d.filename, d.digests.sha256]));
    assert.equal(byName.get(basename(big)), await sha256Of(big));
    assert.equal(byName.get(basename(small)), await sha256Of(small));
  });

  it('prepareDists: the same large file twice is a warning; two different ones of one name, or one under two names, an error', async () => {
    const a = await largeWheel(join(root, 'dup', 'a'));
    await mkdir(join(root, 'dup', 'b'), { recursive: true });
    await copyFile(a, join(root, 'dup', 'b', basename(a)));
    const same = await prepareDists([join(root, 'dup', 'a'), join(root, 'dup', 'b')], root, true);
    assert.deepEqual(
      same.problems.map((x) => `${x.severity} ${x.code}`),
      ['warning dist-duplicate-file'],
    );
    assert.deepEqual((await same.digested).problems, [], 'read already, and not reported twice');
    assert.ok(
      same.dists.every((d) => d.digests.sha256 !== ''),
      'the checks had every digest',
    );

    // One content under another name: files of one size are hashed before the checks.
    await mkdir(join(root, 'dup', 'd'), { recursive: true });
    const renamed = join(root, 'dup', 'd', basename(a).replace('-py3-', '-py2.py3-'));
    await copyFile(a, renamed);
    const copied = await prepareDists([join(root, 'dup', 'a'), join(root, 'dup', 'd')], root, true);
    assert.deepEqual(
      copied.problems.map((x) => `${x.severity} ${x.code} ${x.file}`),
      [`error dist-duplicate-content ${basename(renamed)}`],
    );

    await largeWheel(join(root, 'dup', 'c')); // same name, other random bytes
    const differ = await prepareDists([join(root, 'dup', 'a'), join(root, 'dup', 'c')], root, true);
    assert.deepEqual(
      differ.problems.map((x) => `${x.severity} ${x.code}`),
      ['error dist-duplicate-file'],
    );
  });
});

describe('a large dist whose digest read fails', () => {
  it('gives that dist a dist-unreadable problem naming it and the fix; nothing rejects', async () => {
    const path = await largeWheel(join(root, 'unreadable'));
    const r = await inspectDist(path, {
      deferLargeDigest: true,
      digestLarge: async () => {
        throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
      },
    });
    assert.deepEqual(r.problems, [], 'its checks passed');
    const read = await r.digesting;
    const problem = read && 'problem' in read ? read.problem : undefined;
    assert.equal(problem?.code, 'dist-unreadable');
    assert.equal(problem?.severity, 'error');
    assert.match(problem?.message ?? '', new RegExp(`^Cannot read .*${basename(path).replace(/\./g, '\\.')}: EIO`));
    assert.match(problem?.fix ?? '', /readable by the runner user/);
  });
});

describe('prepareDists with a large dist whose digest read fails', () => {
  it('passes its checks, then `digested` resolves with its dist-unreadable problem', async () => {
    const dir = join(root, 'prepared-unreadable');
    const path = await largeWheel(dir);
    const p = await prepareDists([dir], root, true, {
      digestLarge: async () => {
        throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
      },
    });
    assert.deepEqual(
      p.problems.filter((x) => x.severity === 'error'),
      [],
    );
    const unread = (await p.digested).problems;
    assert.deepEqual(
      unread.map((x) => `${x.severity} ${x.code} ${x.file}`),
      [`error dist-unreadable ${basename(path)}`],
    );
  });
});

describe('prepareDists with many large dists', () => {
  it('hashes at most LARGE_DIGEST_CONCURRENCY of them at once, and every one in the end', async () => {
    const dir = join(root, 'many-large');
    for (let i = 0; i < 5; i++) await largeWheel(dir, `1.${i}`);
    let running = 0;
    let most = 0;
    const p = await prepareDists([dir], root, true, {
      digestLarge: async (path) => {
        running++;
        most = Math.max(most, running);
        // Several turns of the event loop, so that hashes started meanwhile would overlap this one.
        for (let turn = 0; turn < 20; turn++) await new Promise((next) => setImmediate(next));
        running--;
        return { sha256: await sha256Of(path) };
      },
    });
    const digested = await p.digested;
    assert.equal(most, LARGE_DIGEST_CONCURRENCY);
    assert.equal(digested.dists.length, 5);
    for (const d of digested.dists) assert.equal(d.digests.sha256, await sha256Of(d.path));
  });
});
