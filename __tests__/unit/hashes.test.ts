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

const dist = (path: string, digests: Dist['digests']) => ({ path, filename: path.split('/').pop(), size: 4, digests }) as unknown as Dist;

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
});
