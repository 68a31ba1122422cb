// print-hash's MD5 of a large dist from another process (src/dists/md5-process.ts): openssl's answer
// is the file's MD5, and every way that process can fail is reported as failed, never as a digest,
// so the caller computes it itself. Only PATH of the action's environment reaches the process.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, readFile, realpath, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { md5InAnotherProcess, onPath } from '../../src/dists/md5-process.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

async function script(dir: string, name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

describe('MD5 from another process', () => {
  it("gives openssl's MD5 of the file, read on its standard input whatever the file is called", async () => {
    const dir = await scratchDir('md5-process-');
    const bytes = randomBytes(3 << 20);
    const path = join(dir, '-r odd name\n.whl');
    await writeFile(path, bytes);
    const job = md5InAnotherProcess(path);
    assert.equal(await job.md5, createHash('md5').update(bytes).digest('hex'));
    assert.equal(job.failed, false);
  });

  it('fails, without a digest, when the command is missing, exits with an error, prints something else or the file is gone', async () => {
    const dir = await scratchDir('md5-process-');
    const path = join(dir, 'a-1.0-py3-none-any.whl');
    await writeFile(path, 'data');
    const commands = [
      join(dir, 'no-such-command'),
      await script(dir, 'exits-1', 'echo 0123456789abcdef0123456789abcdef; exit 1'),
      await script(dir, 'prints-other', 'echo "MD5(stdin)= 0123456789abcdef0123456789abcdef"'),
      await script(dir, 'prints-short', 'echo 0123456789abcdef'),
      await script(dir, 'killed', 'kill -9 $$'),
    ];
    for (const command of commands) {
      const job = md5InAnotherProcess(path, command);
      assert.equal(await job.md5, undefined, command);
      assert.equal(job.failed, true, command);
    }
    const gone = md5InAnotherProcess(join(dir, 'gone.whl'));
    assert.equal(await gone.md5, undefined);
    assert.equal(gone.failed, true);
  });

  it("passes it no variable of the action's environment but PATH, and runs it in its own directory", async () => {
    const dir = await scratchDir('md5-process-');
    const path = join(dir, 'a-1.0-py3-none-any.whl');
    await writeFile(path, 'data');
    const seen = join(dir, 'env.txt');
    const command = await script(dir, 'env-dump', `env > '${seen}'; pwd > '${seen}.cwd'; echo 0123456789abcdef0123456789abcdef -`);
    process.env['INPUT_PASSWORD'] = 'pypi-secret-for-this-test';
    try {
      assert.equal(await md5InAnotherProcess(path, command).md5, '0123456789abcdef0123456789abcdef');
    } finally {
      delete process.env['INPUT_PASSWORD'];
    }
    const names = (await readFile(seen, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('=')[0]);
    // PWD, SHLVL and _ are the shell's own.
    assert.deepEqual(
      names.filter((n) => !['PWD', 'SHLVL', '_'].includes(n!)),
      ['PATH'],
    );
    assert.equal((await readFile(`${seen}.cwd`, 'utf8')).trim(), await realpath(dir));
  });

  it("finds openssl only in PATH's absolute directories: a relative entry (the workspace) is never searched", async () => {
    const dir = await scratchDir('md5-process-');
    const planted = await script(dir, 'openssl', 'echo 0123456789abcdef0123456789abcdef -');
    const real = process.env['PATH'] ?? '';
    assert.equal(onPath('openssl', `${dir}:${real}`), planted);
    const fromHere = relative(process.cwd(), dir);
    assert.ok(!fromHere.startsWith('/'));
    assert.notEqual(onPath('openssl', `${fromHere}:${real}`), planted);
    assert.equal(onPath('openssl', `${fromHere}:.:openssl-dir`), undefined);
    await writeFile(join(dir, 'not-executable'), '#!/bin/sh\n');
    assert.equal(onPath('not-executable', dir), undefined);
  });
});
