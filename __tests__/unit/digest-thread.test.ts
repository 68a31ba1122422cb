// print-hash's digest thread (src/dists/digest-thread.ts, src/digest-worker.ts): the same digests as
// the main thread's read, files in the order asked, a file that is gone or changed size as an error
// for that file only, and a thread that never holds the process open.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { digestFile } from '../../src/dists/digest.ts';
import { createDigestThread, digestWorkerBeside } from '../../src/dists/digest-thread.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

const run = promisify(execFile);
const ALL = ['sha256', 'md5', 'blake2b256'] as const;

describe('the digest thread', () => {
  it("gives each file's three digests as the main thread reads them, and an error for a file it cannot read", async () => {
    const dir = await scratchDir('digest-thread-');
    const files = await Promise.all(
      [3 << 20, 1, 0, (1 << 20) + 7].map(async (size, i) => {
        const path = join(dir, `f${i}`);
        await writeFile(path, randomBytes(size));
        return { path, size };
      }),
    );
    const thread = createDigestThread();
    try {
      const got = await Promise.all(files.map((f) => thread.digest(f.path, f.size)));
      assert.deepEqual(got, await Promise.all(files.map((f) => digestFile(f.path, ALL))));
      await assert.rejects(thread.digest(join(dir, 'gone'), 5), /ENOENT/);
      // Checked at one size, found at another: the file changed, and the thread says so.
      await assert.rejects(thread.digest(files[0]!.path, 5), /changed since it was checked/);
      // The thread still answers after those failures.
      assert.deepEqual(await thread.digest(files[1]!.path, 1), await digestFile(files[1]!.path, ALL));
    } finally {
      await thread.close();
    }
  });

  it('rejects what it still owes when closed', async () => {
    const dir = await scratchDir('digest-thread-');
    const path = join(dir, 'big');
    await writeFile(path, Buffer.alloc(64 << 20));
    const thread = createDigestThread();
    const owed = assert.rejects(thread.digest(path, 64 << 20), /closed/);
    await thread.close();
    await owed;
  });

  it('rejects with the reason when the thread cannot run', async () => {
    const thread = createDigestThread(new URL('file:///nonexistent/digest-worker.js'));
    await assert.rejects(thread.digest('/nonexistent/f', 1), /the digest thread (failed|stopped)/);
    await thread.close();
  });

  it('lets the process exit once it owes nothing, without close()', async () => {
    const dir = await scratchDir('digest-thread-');
    const path = join(dir, 'f');
    await writeFile(path, 'data');
    const script = `import { createDigestThread } from ${JSON.stringify(join(import.meta.dirname, '../../src/dists/digest-thread.ts'))};
const d = await createDigestThread().digest(${JSON.stringify(path)}, 4);
console.log(d.md5);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 });
    assert.equal(stdout.trim(), (await digestFile(path, ['md5'])).md5);
  });

  it('finds its entry beside the source, the bundle, and a bundle chunk', () => {
    assert.equal(digestWorkerBeside('file:///r/src/dists/digest-thread.ts').href, 'file:///r/src/digest-worker.ts');
    assert.equal(digestWorkerBeside('file:///r/dist/index.js').href, 'file:///r/dist/digest-worker.js');
    assert.equal(digestWorkerBeside('file:///r/dist/chunks/chunk-ABC.js').href, 'file:///r/dist/digest-worker.js');
  });
});
