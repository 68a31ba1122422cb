// `npm run bench` works on a fresh machine: a --quick run (small sizes, one run each) publishes with
// every tool of every scenario and prints their tables. Its figures are not judged here (timing goals
// live in the benchmark's own output, README "Performance"), only that each tool succeeded.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('bench --quick: every scenario, every tool, no failed run', { timeout: 480_000 }, async () => {
  // dist/ is what npm test built; bench/run.sh would rebuild it under the suites running beside this one.
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['bench/bench.ts', '--quick', '--runs', '1'], { cwd: ROOT, maxBuffer: 16 << 20, timeout: 450_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
  assert.equal(code, 0, stderr.slice(-4000));
  assert.doesNotMatch(stderr, /FAILED/);
  for (const scenario of ['(a) one', '(b) 20 wheels', '(c) 60 wheels', '(d)', '(e) 10 wheels', '(v) verify of a 40-file pylock.toml'])
    assert.ok(stdout.includes(`**${scenario}`), `${scenario} table`);
  const rows = (tool: string) => stdout.split('\n').filter((l) => l.startsWith(`| ${tool} |`)).length;
  for (const peer of ['twine 7.0.0', 'uv 0.13.9', 'floor (openssl sha256 + curl)']) assert.equal(rows(peer), 4, `${peer}: a row in (a), (b), (c) and (e)`);
  assert.equal(rows("the incumbent's pipeline (twine check, sigstore-python, print-hash, twine upload)"), 3, 'the incumbent: (b), (c) and (e)');
  assert.equal(rows('this action'), 5, 'the action: (a), (b), (c), (e) and the peak RSS of a 10 MiB wheel');
  assert.match(stdout, /action ÷ floor: \d+\.\d\d×/);
  assert.equal(rows('verify (dist/cli.js)'), 1, 'verify of the lock file: (v)');
});
