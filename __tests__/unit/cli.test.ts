// The local CLI (src/cli.ts) takes the password only from INPUT_PASSWORD: a --password flag would put
// it where every process can read it (ps, /proc/PID/cmdline) and into shell history. Runs the source
// with Node's type stripping, so it needs no build; nothing here reaches a network (port 9 on loopback
// is never contacted: each case stops before the first request).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { scratchDir } from '../../test/helpers/scratch.ts';

const CLI = resolve(import.meta.dirname, '../../src/cli.ts');
const SECRET = 'cli-password-0123456789abcdef';
const INDEX = 'http://127.0.0.1:9/legacy/';

function cli(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const { INPUT_PASSWORD: _inherited, ...base } = process.env;
  const r = spawnSync(process.execPath, [CLI, '--repository-url', INDEX, ...args], { cwd, env: { ...base, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

for (const args of [['--password', SECRET], [`--password=${SECRET}`], ['--user', 'someone', '--password', SECRET, '--packages-dir', 'dist']]) {
  test(`${args.join(' ').replace(SECRET, 'P')} is refused with exit 2, naming INPUT_PASSWORD, without echoing the value`, () => {
    const r = cli(args);
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /--password is not accepted: a command line is readable by every process .*set INPUT_PASSWORD in the environment/);
    assert.ok(!r.out.includes(SECRET), 'the refused value was printed');
  });
}

test('an argument the CLI does not know is refused with exit 2, without echoing what follows "="', () => {
  const r = cli([`--Password=${SECRET}`]);
  assert.equal(r.code, 2, r.out);
  assert.match(r.out, /unexpected argument --Password=…; flags are the action's inputs/);
  assert.ok(!r.out.includes(SECRET), 'the value after "=" was printed');
});

test('INPUT_PASSWORD from the environment is used as the password, and never printed', async () => {
  const ws = await scratchDir('cli-');
  await mkdir(join(ws, 'dist'));
  const r = cli(['--user', 'someone', '--packages-dir', 'dist'], { INPUT_PASSWORD: SECRET }, ws);
  // Password mode was chosen (it disables attestations), then the run stops at the empty dist/.
  assert.match(r.out, /an explicit password was also set, disabling Trusted Publishing/);
  assert.match(r.out, /No distributions .* found in "dist"/);
  assert.equal(r.code, 1, r.out);
  assert.ok(!r.out.includes(SECRET), 'the password was printed');
});
