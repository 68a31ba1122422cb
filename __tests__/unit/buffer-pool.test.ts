// The read buffers lent from file to file (src/io/buffer-pool.ts): reused only while another file is
// being read and only when the lease says nothing refers to them, never beyond what the pool keeps;
// and fileChunks reads every file exactly through buffers that served another before.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { BufferPool } from '../../src/io/buffer-pool.ts';
import { fileChunks } from '../../src/io/file-chunks.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

test('a lease ended with reuse gives its buffers to the next lease while another is still open', () => {
  const pool = new BufferPool(1024, 8);
  const reading = pool.lease();
  const first = pool.lease();
  const lent = [first.take(), first.take()];
  first.end(true);
  const next = pool.lease();
  const taken = [next.take(), next.take(), next.take()];
  assert.ok(
    lent.every((b) => taken.includes(b)),
    'both buffers reused',
  );
  assert.equal(new Set(taken).size, 3, 'a buffer is never lent twice at once');
  assert.ok(taken.every((b) => b.length === 1024));
  next.end(true);
  reading.end(true);
});

test('nothing is reused after a lease that may still be referred to, or once no lease is open', () => {
  const pool = new BufferPool(1024, 8);
  const other = pool.lease();
  const unsure = pool.lease();
  const held = unsure.take();
  unsure.end(false);
  const after = pool.lease();
  assert.notEqual(after.take(), held, 'a buffer that may be on a socket is left to the collector');
  after.end(true);
  other.end(true);
  // The last lease ended: the pool let go of what it kept, so a run reading one file at a time holds nothing.
  const lone = pool.lease();
  const kept = lone.take();
  lone.end(true);
  const later = pool.lease();
  assert.notEqual(later.take(), kept);
  later.end(true);
});

test('the pool keeps at most `keep` buffers; a lease ends once', () => {
  const pool = new BufferPool(16, 2);
  const open = pool.lease();
  const big = pool.lease();
  const three = [big.take(), big.take(), big.take()];
  big.end(true);
  big.end(true);
  const next = pool.lease();
  const got = [next.take(), next.take(), next.take()];
  assert.equal(got.filter((b) => three.includes(b)).length, 2);
  next.end(true);
  open.end(true);
});

test('fileChunks through leases of one pool: files read at once and one after another come back exact', async () => {
  const dir = await scratchDir('pool-chunks-');
  const CHUNK = 4096;
  const sizes = [1, CHUNK - 1, CHUNK, 3 * CHUNK + 5, 10 * CHUNK, 7 * CHUNK + 1];
  const paths = await Promise.all(
    sizes.map(async (size, i) => {
      const p = join(dir, `f${i}`);
      await writeFile(p, Buffer.from(Array.from({ length: size }, (_, j) => (j * 31 + i * 7) & 0xff)));
      return p;
    }),
  );
  const pool = new BufferPool(CHUNK, 8);
  const hashed = async (p: string, hold: number) => {
    const lease = pool.lease();
    const h = createHash('sha256');
    try {
      for await (const c of fileChunks(p, { lease, hold })) h.update(c);
    } finally {
      lease.end(true);
    }
    return h.digest('hex');
  };
  const expected = await Promise.all(
    paths.map(async (p) =>
      createHash('sha256')
        .update(await readFile(p))
        .digest('hex'),
    ),
  );
  for (let round = 0; round < 3; round++) {
    assert.deepEqual(await Promise.all(paths.map((p, i) => hashed(p, 1 + (i % 2)))), expected, `at once, round ${round}`);
    const inTurn: string[] = [];
    for (const p of paths) inTurn.push(await hashed(p, 1));
    assert.deepEqual(inTurn, expected, `in turn, round ${round}`);
  }
});
