// print-hash's block (src/engine/hashes.ts): a dist whose checks gave all three digests is not read
// again; one without them is read in the background, and one that cannot be read is a warning. A
// large dist's MD5 comes from another process, and from the upload or a last read when it fails.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setImmediate } from 'node:timers/promises';
import { digestBytesAll, digestFile } from '../../src/dists/digest.ts';
import type { MD5Process } from '../../src/dists/md5-process.ts';
import type { Dist } from '../../src/dists/types.ts';
import { hashBlock } from '../../src/engine/hashes.ts';
import type { Logger } from '../../src/engine/runtime.ts';
import { WHOLE_READ_MAX } from '../../src/tunables.ts';
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

describe('print-hash block of large dists (MD5 from another process)', () => {
  const LARGE = WHOLE_READ_MAX + 1;
  const large = (path: string) => ({ ...dist(path, { sha256: 'e'.repeat(64) }), size: LARGE }) as Dist;

  /** A process answering when told to; records the paths it was started for. */
  function controlled() {
    const started: string[] = [];
    const answers: Array<(md5: string | undefined) => void> = [];
    const md5Process = (path: string): MD5Process => {
      started.push(path);
      const job = { failed: false } as { failed: boolean; md5: Promise<string | undefined> };
      job.md5 = new Promise((resolve) =>
        answers.push((md5) => {
          job.failed = md5 === undefined;
          resolve(md5);
        }),
      );
      return job;
    };
    return { started, answers, md5Process };
  }

  const digestsOf = (bytes: Buffer) => digestBytesAll(bytes);

  async function upload(block: ReturnType<typeof hashBlock>, d: Dist, bytes: Buffer): Promise<void> {
    const observer = await block.observerFor(d)!();
    observer.update(bytes);
    observer.complete();
  }

  /** Two large dists (their files hold 'aaaa' and 'bbbb'), a block over them and its controlled processes. */
  async function twoLargeDists() {
    const dir = await scratchDir('hashes-');
    const [a, b] = [join(dir, 'a-1.0-py3-none-any.whl'), join(dir, 'b-1.0-py3-none-any.whl')];
    await writeFile(a, 'aaaa');
    await writeFile(b, 'bbbb');
    const logged = logger();
    const processes = controlled();
    const block = hashBlock([large(a), large(b)], logged.log, { md5Process: processes.md5Process });
    await setImmediate();
    return { a, b, block, ...logged, ...processes };
  }

  it("shows the process's MD5 and the upload's BLAKE2b-256, and starts the next process only when one ended", async () => {
    const { a, b, block, info, started, answers } = await twoLargeDists();
    assert.deepEqual(started, [a]);
    answers[0]!('1'.repeat(32));
    await setImmediate();
    assert.deepEqual(started, [a, b]);
    await upload(block, large(a), Buffer.from('aaaa'));
    answers[1]!('2'.repeat(32));
    await upload(block, large(b), Buffer.from('bbbb'));
    await block.finish();
    const text = info.join('\n');
    const own = await digestFile(a, ['blake2b256']);
    assert.match(text, new RegExp(`MD5: ${'1'.repeat(32)}\\nBLAKE2-256: ${own.blake2b256}\\n`));
    assert.match(text, new RegExp(`MD5: ${'2'.repeat(32)}\\n`));
  });

  it('an upload that begins before its process started hashes MD5 itself, and that process never starts', async () => {
    const { a, b, block, info, warnings, started, answers } = await twoLargeDists();
    // What the upload sends is hashed, not the file on disk: these digests can only come from it.
    await upload(block, large(b), Buffer.from('sent'));
    answers[0]!('1'.repeat(32));
    await block.finish();
    assert.deepEqual(started, [a]);
    assert.deepEqual(warnings, []);
    const sent = await digestsOf(Buffer.from('sent'));
    assert.match(info.join('\n'), new RegExp(`MD5: ${sent.md5}\\nBLAKE2-256: ${sent.blake2b256}\\n`));
  });

  it('a process that failed before the upload leaves MD5 to the upload; one that fails later, to a read at the end', async () => {
    const { a, b, block, info, warnings, answers } = await twoLargeDists();
    answers[0]!(undefined);
    await setImmediate();
    // a's upload hashes MD5 from what it sends; b's process is running when b's upload begins.
    // What each upload sends differs from the file, so each digest shows where it came from.
    await upload(block, large(a), Buffer.from('sent-a'));
    await upload(block, large(b), Buffer.from('sent-b'));
    answers[1]!(undefined);
    await block.finish();
    assert.deepEqual(warnings, []);
    const text = info.join('\n');
    const [sentA, sentB, fileB] = await Promise.all([digestsOf(Buffer.from('sent-a')), digestsOf(Buffer.from('sent-b')), digestFile(b, ['md5'])]);
    assert.match(text, new RegExp(`MD5: ${sentA.md5}\\nBLAKE2-256: ${sentA.blake2b256}\\n`));
    assert.match(text, new RegExp(`MD5: ${fileB.md5}\\nBLAKE2-256: ${sentB.blake2b256}\\n`));
  });
});
