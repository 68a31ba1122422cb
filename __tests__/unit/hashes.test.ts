// print-hash's block (src/engine/hashes.ts): a dist whose checks gave all three digests is not read
// again; one without them is read in the background, and one that cannot be read is a warning.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { digestFile } from '../../src/dists/digest.ts';
import type { Dist } from '../../src/dists/types.ts';
import { hashBlock } from '../../src/engine/hashes.ts';
import type { Logger } from '../../src/engine/runtime.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

function logger() {
  const info: string[] = [];
  const warnings: string[] = [];
  const log: Logger = { info: (m) => info.push(m), debug: () => {}, notice: () => {}, warning: (m) => warnings.push(m), error: () => {} };
  return { log, info, warnings };
}

const dist = (path: string, digests: Dist['digests'], size = 4) => ({ path, filename: path.split('/').pop(), size, digests }) as unknown as Dist;

describe('print-hash block', () => {
  it('shows the digests the checks gave without reading the file again, and reads the others', async () => {
    const dir = await scratchDir('hashes-');
    const read = join(dir, 'read-1.0-py3-none-any.whl');
    await writeFile(read, 'data');
    const { log, info, warnings } = logger();
    const given = { sha256: 'a'.repeat(64), md5: 'b'.repeat(32), blake2b256: 'c'.repeat(64) };
    // This path does not exist: reading it would be a warning.
    const block = hashBlock([dist(join(dir, 'gone-1.0-py3-none-any.whl'), given), dist(read, { sha256: 'd'.repeat(64) })], log);
    await block.finish();
    assert.deepEqual(warnings, []);
    const text = info.join('\n');
    assert.match(text, new RegExp(`MD5: ${given.md5}\\nBLAKE2-256: ${given.blake2b256}\\n`));
    const own = await digestFile(read, ['md5', 'blake2b256']);
    assert.match(text, new RegExp(`MD5: ${own.md5}\\nBLAKE2-256: ${own.blake2b256}\\n`));
  });

  // From 64 MiB the digests are asked of the thread at once; they count only when the thread read the
  // bytes that were checked and signed, and otherwise (or when it failed) the file is read again.
  it("takes a very large dist's digests from the thread only when its SHA-256 is the signed one", async () => {
    const dir = await scratchDir('hashes-');
    const paths = ['same', 'other', 'failed', 'small'].map((n) => join(dir, `${n}-1.0-py3-none-any.whl`));
    for (const p of paths) await writeFile(p, 'data');
    const own = await digestFile(paths[0] as string, ['sha256', 'md5', 'blake2b256']);
    const asked: string[] = [];
    const onThread = async (path: string) => {
      asked.push(path);
      if (path === paths[2]) throw new Error('the digest thread failed');
      const sha256 = path === paths[0] ? own.sha256 : 'e'.repeat(64);
      return { sha256, md5: 'f'.repeat(32), blake2b256: '1'.repeat(64) };
    };
    const huge = 64 * 1024 * 1024;
    const dists = [
      dist(paths[0] as string, { sha256: '' }, huge),
      dist(paths[1] as string, { sha256: '' }, huge),
      dist(paths[2] as string, { sha256: '' }, huge),
    ];
    const { log, info, warnings } = logger();
    const block = hashBlock([...dists, dist(paths[3] as string, { sha256: own.sha256 })], log, onThread);
    assert.deepEqual(asked, paths.slice(0, 3), 'asked at once, only for the very large');
    assert.equal(block.observerFor(dists[0] as Dist), undefined, 'no hashing as it uploads');
    // Once read, every SHA-256 is known: the files hold 'data'.
    await block.finish([...dists.map((d) => ({ ...d, digests: { sha256: own.sha256 } })), dist(paths[3] as string, { sha256: own.sha256 })]);
    assert.deepEqual(warnings, []);
    const text = info.join('\n');
    const shownFor = (p: string) => text.slice(text.indexOf(p)).split('\n').slice(3, 5).join('\n');
    assert.equal(shownFor(paths[0] as string), `MD5: ${'f'.repeat(32)}\nBLAKE2-256: ${'1'.repeat(64)}`, 'the thread read the signed bytes');
    for (const p of paths.slice(1)) assert.equal(shownFor(p), `MD5: ${own.md5}\nBLAKE2-256: ${own.blake2b256}`, `${p}: read again`);
  });
});
