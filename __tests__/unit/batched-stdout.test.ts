// Lines written to stdout in one turn of the event loop leave as one write, in order; bytes and
// writes with a callback keep their place; what is pending at exit is written then.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { batchStdout, type BatchableStream } from '../../src/io/batched-stdout.ts';

function fakeStream() {
  const writes: unknown[] = [];
  const stream: BatchableStream = { write: (chunk) => (writes.push(chunk), true) };
  return { stream, writes };
}
const turn = () => new Promise((r) => setImmediate(r));

describe('batchStdout', () => {
  it('joins the strings of one turn into one write, in order, and nothing before the turn ends', async () => {
    const { stream, writes } = fakeStream();
    batchStdout(stream, () => undefined);
    stream.write('::add-mask::secret\n');
    stream.write('line 1\n');
    stream.write('line 2\n');
    assert.deepEqual(writes, []);
    await turn();
    assert.deepEqual(writes, ['::add-mask::secret\nline 1\nline 2\n']);
    stream.write('line 3\n');
    await turn();
    assert.deepEqual(writes, ['::add-mask::secret\nline 1\nline 2\n', 'line 3\n']);
  });

  it('writes bytes and writes with a callback after what is pending', () => {
    const { stream, writes } = fakeStream();
    batchStdout(stream, () => undefined);
    stream.write('a\n');
    const bytes = Buffer.from('b\n');
    stream.write(bytes);
    stream.write('c\n', () => undefined);
    assert.deepEqual(writes, ['a\n', bytes, 'c\n']);
  });

  it('writes what is pending when the process exits, even by process.exit', async () => {
    const mod = fileURLToPath(new URL('../../src/io/batched-stdout.ts', import.meta.url));
    const script = `import { batchStdout } from ${JSON.stringify(mod)}; batchStdout(); for (let i = 0; i < 500; i++) process.stdout.write('line ' + i + '\\n'); process.exit(3);`;
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, ['--input-type=module', '-e', script], (error, stdout) =>
        resolve({ code: error ? (child.exitCode ?? null) : 0, stdout }),
      );
    });
    assert.equal(code, 3);
    assert.deepEqual(
      stdout.trim().split('\n'),
      Array.from({ length: 500 }, (_, i) => `line ${i}`),
    );
  });
});
