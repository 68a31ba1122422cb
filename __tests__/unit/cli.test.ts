// The CLI as a user runs it: the built `node dist/cli.js` (npm test builds dist/ first). Its command
// line is strict, because a misspelt flag that were ignored would send a rehearsal to the default
// index; --help and --version touch no network; `check` is the action's pre-flight alone; an old
// Node gets one line naming the version it needs. A local server on 127.0.0.1 counts every
// connection, so "no network request" is measured, not assumed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { formatProblem, prepareDists } from '../../src/engine/prepare.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');
const SECRET = 'cli-password-0123456789abcdef';
const UNUSED = 'http://127.0.0.1:9/legacy/';

function cli(args: string[], env: Record<string, string> = {}, cwd?: string, node = process.execPath) {
  const { INPUT_PASSWORD: _inherited, ...base } = process.env;
  const r = spawnSync(node, [CLI, ...args], { cwd, env: { ...base, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI with every endpoint it could reach pointed at a server that counts connections. */
async function connectionsDuring(args: string[]): Promise<{ code: number | null; out: string; connections: number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const env = { ...process.env, ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/token?`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x', INPUT_REPOSITORY_URL: `${url}/legacy/` };
  const child = spawn(process.execPath, [CLI, ...args.map((a) => a.replace('INDEX', `${url}/legacy/`))], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((ok) => child.on('close', ok));
  await new Promise((ok) => server.close(ok));
  return { code, out, connections };
}

for (const args of [['--help'], ['-h'], ['upload', '--repository-url', 'INDEX', '--help'], ['check', '--help'], []]) {
  test(`\`${args.join(' ')}\` prints the usage, exits 0, and opens no connection`, async () => {
    const r = await connectionsDuring(args);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^Usage: node dist\/cli\.js <command>/m);
    assert.match(r.out, /upload .*\n\s+check/);
    assert.equal(r.connections, 0, 'a request was made');
  });
}

test('--version prints the package version and opens no connection', async () => {
  const r = await connectionsDuring(['--version']);
  assert.equal(r.code, 0, r.out);
  assert.equal(r.out.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  assert.equal(r.connections, 0);
});

for (const [args, expected] of [
  [['upload', '--repositry-url', UNUSED], /unknown flag --repositry-url for `upload`\. Did you mean --repository-url\?/],
  [['--repository_url', UNUSED], /unknown flag --repository_url .*Did you mean --repository-url\?/],
  [['upload', '--skip-exisiting', '--repository-url', UNUSED], /Did you mean --skip-existing\?/],
  [['check', '--verify-metdata=false', 'dist'], /unknown flag --verify-metdata for `check`\. Did you mean --verify-metadata\?/],
  [['uplaod', '--repository-url', UNUSED], /unknown command "uplaod"\. Did you mean `upload`\?/],
  [['upload', '--repository-url'], /--repository-url needs a value/],
  [['upload', '--skip-existing=maybe', '--repository-url', UNUSED], /--skip-existing takes true or false/],
] as const) {
  test(`\`${args.join(' ')}\` exits 2 naming the closest known flag or command, and opens no connection`, async () => {
    const r = await connectionsDuring([...args]);
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, expected);
  });
}

test('upload without --repository-url exits 2: the CLI has no default index, so it never publishes to PyPI by accident', async () => {
  const r = await connectionsDuring(['upload', '--packages-dir', 'dist']);
  assert.equal(r.code, 2, r.out);
  assert.match(r.out, /`upload` needs --repository-url/);
  assert.equal(r.connections, 0);
});

for (const args of [
  ['--password', SECRET],
  [`--password=${SECRET}`],
  ['upload', '--user', 'someone', '--password', SECRET, '--packages-dir', 'dist'],
  [`--Password=${SECRET}`],
]) {
  test(`${args.join(' ').replace(SECRET, 'P')} is refused with exit 2, naming INPUT_PASSWORD, without echoing the value`, () => {
    const r = cli(['upload', '--repository-url', UNUSED, ...args.filter((a) => a !== 'upload')]);
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /--password is not accepted: a command line is readable by every process .*set INPUT_PASSWORD in the environment/);
    assert.ok(!r.out.includes(SECRET), 'the refused value was printed');
  });
}

test('an unexpected argument is refused without echoing what follows "="', () => {
  const r = cli(['upload', '--repository-url', UNUSED, `--$weird=${SECRET}`]);
  assert.equal(r.code, 2, r.out);
  assert.ok(!r.out.includes(SECRET), 'the value after "=" was printed');
});

test('INPUT_PASSWORD from the environment is used as the password, and never printed', async () => {
  const ws = await scratchDir('cli-');
  await mkdir(join(ws, 'dist'));
  const r = cli(['upload', '--repository-url', UNUSED, '--user', 'someone', '--packages-dir', 'dist'], { INPUT_PASSWORD: SECRET }, ws);
  // Password mode was chosen (it disables attestations), then the run stops at the empty dist/.
  assert.match(r.out, /an explicit password was also set, disabling Trusted Publishing/);
  assert.match(r.out, /No distributions .* found in "dist"/);
  assert.equal(r.code, 1, r.out);
  assert.ok(!r.out.includes(SECRET), 'the password was printed');
});

test("check: good dists pass (exit 0); a refused one fails (exit 1) with exactly the pre-flight's message", async () => {
  const ws = await scratchDir('cli-check-');
  const good = join(ws, 'good');
  const bad = join(ws, 'bad');
  await buildWheel(good, { name: 'sampleproject', version: '1.0.0' });
  await buildSdist(good, { name: 'sampleproject', version: '1.0.0' });
  await mkdir(bad, { recursive: true });
  await writeFile(join(bad, 'sampleproject-1.0.0-py3-none-any.whl'), 'not a zip');
  await buildSdist(bad, { name: 'sampleproject', version: '1.0.0' });

  const ok = cli(['check', 'good'], {}, ws);
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /Checking good\/sampleproject-1\.0\.0-py3-none-any\.whl: PASSED/);
  assert.match(ok.out, /2 file\(s\) would be accepted/);

  const refused = cli(['check', 'bad'], {}, ws);
  assert.equal(refused.code, 1, refused.out);
  assert.match(refused.out, /Checking bad\/sampleproject-1\.0\.0-py3-none-any\.whl: FAILED/);
  assert.match(refused.out, /Checking bad\/sampleproject-1\.0\.0\.tar\.gz: PASSED/);
  // The same entry the action's first stage calls, so the same words.
  const expected = (await prepareDists(['bad'], ws, true)).problems.filter((p) => p.severity === 'error');
  assert.equal(expected.length, 1);
  assert.ok(refused.out.includes(formatProblem({ ...expected[0]!, file: '' })), refused.out);

  const json = cli(['check', '--json', 'bad'], {}, ws);
  assert.equal(json.code, 1, json.out);
  const doc = JSON.parse(json.stdout) as { ok: boolean; files: Array<{ path: string; verdict: string }>; problems: Array<{ code: string; message: string }> };
  assert.equal(doc.ok, false);
  assert.deepEqual(doc.files, [
    { path: 'bad/sampleproject-1.0.0-py3-none-any.whl', verdict: 'failed' },
    { path: 'bad/sampleproject-1.0.0.tar.gz', verdict: 'passed' },
  ]);
  assert.deepEqual(
    doc.problems.map((p) => p.message),
    expected.map((p) => p.message),
  );

  // verify-metadata: false turns a metadata-field rule into a warning, as in the action.
  const lax = join(ws, 'lax');
  await buildWheel(lax, { name: 'sampleproject', version: '1.0.0', metadata: { Summary: 'x'.repeat(513) } });
  assert.equal(cli(['check', 'lax'], {}, ws).code, 1);
  const warned = cli(['check', '--no-verify-metadata', 'lax'], {}, ws);
  assert.equal(warned.code, 0, warned.out);
  assert.match(warned.out, /WARNINGS\n  warning: 'summary' field must be 512 characters or less/);
});

const NEEDS = /^pypi-publish CLI: Node 24 or newer is required; this is Node 2\d\.\d+\.\d+ \(.*\)\.\n$/;

test('on Node < 24 the CLI prints one line naming the version it needs (emulated version)', () => {
  const old = spawnSync(process.execPath, ['--import', "data:text/javascript,Object.defineProperty(process.versions,'node',{value:'22.1.0'})", CLI, '--help'], {
    encoding: 'utf8',
  });
  assert.equal(old.status, 1, old.stderr);
  assert.equal(old.stdout, '');
  assert.match(old.stderr, NEEDS);
});

// The machine's Debian Node (20) when it has one: the real check that the entry parses on old Node.
const OLD_NODE = ['/usr/bin/node', '/usr/local/bin/node'].find(
  (p) => existsSync(p) && Number(spawnSync(p, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout) < 24,
);
test(`on a real old Node (${OLD_NODE ?? 'none installed: the emulated test above stands'}) --help is one line, not a SyntaxError`, () => {
  if (!OLD_NODE) return;
  const r = cli(['--help'], {}, undefined, OLD_NODE);
  assert.equal(r.code, 1, r.out);
  assert.match(r.stderr, NEEDS);
  assert.doesNotMatch(r.out, /SyntaxError/);
});

// Found by a review of the GitLab path: the input had no flag, so a GitLab job was stuck on `auto`.
test('upload takes --build-attestations as the action takes its input', async () => {
  const { parseFlags, UPLOAD_FLAGS } = await import('../../src/cli/args.ts');
  const { readConfig } = await import('../../src/config/inputs.ts');
  const { flags } = parseFlags(['--repository-url', 'https://upload.pypi.org/legacy/', '--build-attestations', 'ignore'], UPLOAD_FLAGS, 'upload');
  assert.equal(flags['build-attestations'], 'ignore');
  const inputs = Object.fromEntries(Object.entries(flags).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));
  assert.equal(readConfig(inputs).config?.buildAttestations, 'ignore');
});
