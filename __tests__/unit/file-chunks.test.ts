// fileChunks reuses its buffers: each chunk must still be the file's bytes when the consumer gets it,
// a file that changed size must fail loudly, and a consumer that stops early must not leak the file.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileChunks } from '../../src/io/file-chunks.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunks-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const CHUNK = 1024;
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + (i >> 10)) & 0xff));

test('every size around the chunk boundary reads back exactly, for each hold', async () => {
  for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 512]) {
    const p = join(dir, `f${size}`);
    await writeFile(p, bytes(size));
    for (const hold of [1, 2]) {
      const seen: Buffer[] = [];
      // A hold-1 consumer is done with each chunk before the next: copy it right away.
      for await (const c of fileChunks(p, { chunkSize: CHUNK, hold })) seen.push(Buffer.from(c));
      assert.deepEqual(Buffer.concat(seen), await readFile(p), `size ${size}, hold ${hold}`);
      assert.ok(seen.every((c) => c.length <= CHUNK));
    }
  }
});

test('a chunk is still intact `hold` chunks later (the contract the HTTP body writer relies on)', async () => {
  const p = join(dir, 'hold');
  const data = bytes(10 * CHUNK);
  await writeFile(p, data);
  const held: Buffer[] = [];
  let i = 0;
  for await (const c of fileChunks(p, { chunkSize: CHUNK, hold: 2 })) {
    held.push(c);
    // The previous chunk, not copied, must be unchanged while the next one is being read ahead.
    if (i > 0) assert.deepEqual(held[i - 1], data.subarray((i - 1) * CHUNK, i * CHUNK), `chunk ${i - 1}`);
    i++;
  }
  assert.equal(i, 10);
});

test('a file that shrank since it was checked is an error, not a short body', async () => {
  const p = join(dir, 'shrinks');
  await writeFile(p, bytes(4 * CHUNK));
  await assert.rejects(async () => {
    for await (const _ of fileChunks(p, { chunkSize: CHUNK, expectedSize: 5 * CHUNK })) void _;
  }, /changed during the run/);
  await truncate(p, 2 * CHUNK);
  await assert.rejects(async () => {
    for await (const _ of fileChunks(p, { chunkSize: CHUNK, expectedSize: 4 * CHUNK })) void _;
  }, /changed during the run/);
});

test('a consumer that stops early closes the file', async () => {
  const p = join(dir, 'early');
  await writeFile(p, bytes(8 * CHUNK));
  // Linux names each descriptor's file (/proc/self/fd); macOS only lists them (/dev/fd): there the
  // count of open descriptors must not grow.
  const { readdir, readlink } = await import('node:fs/promises');
  const linux = existsSync('/proc/self/fd');
  const openBefore = linux ? 0 : (await readdir('/dev/fd')).length;
  for (let n = 0; n < 50; n++) {
    for await (const _ of fileChunks(p, { chunkSize: CHUNK, hold: 2 })) {
      void _;
      break;
    }
  }
  // 50 abandoned reads would show as open descriptors on this file if the handle leaked.
  if (!linux) {
    assert.ok((await readdir('/dev/fd')).length <= openBefore, 'no descriptor left open');
    return;
  }
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  assert.equal(targets.filter((t) => t === p).length, 0);
});
