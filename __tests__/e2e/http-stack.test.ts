// Issue #21: the built action speaks HTTP through node:http and node:https only. undici, bundled or
// node's internal copy (which the global fetch, the WebSocket getters of node:http's ES facade and
// tuf-js's default fetcher load), costs 8 to 21 MB of RSS each (docs/architecture.md, "Peak memory").
// A whole publish with Trusted Publishing, TUF, signing, verifying and uploads runs with a preload
// that records, per thread, the built-in modules node loaded. It runs on one JavaScript thread: a
// verifier thread of its own saved no time and cost ~10–15 MB (docs/architecture.md). Nor does it load
// node:http2 or node:child_process, which @sigstore/sign requires for code the action never runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { pypiWorldForSuite } from '../../test/helpers/suite-world.ts';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

const runs: ActionRun[] = [];
const suite = pypiWorldForSuite(runs);

const DIST = join(import.meta.dirname, '../../dist');

test('a whole publish loads no undici, http2 or child_process, starts no worker thread, and no shipped file holds undici', async () => {
  const cwd = await scratchDir('http-stack-');
  await buildSdist(join(cwd, 'dist'), { name: 'http-stack', version: '1.0.0' });
  // As many wheels as made the action start a verifier thread before it verified on its main thread.
  for (let i = 0; i < 16; i++) await buildWheel(join(cwd, 'dist'), { name: 'http-stack', version: '1.0.0', tag: `py3-none-manylinux_2_${17 + i}_x86_64` });
  await suite.pypi.trust({ project: 'http-stack' });
  const records = join(cwd, 'modules');
  const preload = join(cwd, 'record-modules.cjs');
  await writeFile(
    preload,
    `const { threadId } = require('node:worker_threads');
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(records)} + '-' + threadId, process.moduleLoadList.join('\\n')));`,
  );
  const r = await runAction({ cwd, inputs: { 'repository-url': suite.pypi.uploadUrl }, env: { ...suite.world.env, NODE_OPTIONS: `--require ${preload}` } });
  runs.push(r);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(
    r.results.map((f: { status: string }) => f.status),
    Array(17).fill('uploaded'),
  );
  const files = (await readdir(cwd)).filter((n) => n.startsWith('modules-'));
  assert.deepEqual(files, ['modules-0'], 'only the main thread ran');
  for (const f of files) {
    const loaded = (await readFile(join(cwd, f), 'utf8')).split('\n');
    assert.ok(loaded.includes('NativeModule _http_client'), `${f}: the record is the real one`);
    assert.deepEqual(
      loaded.filter((m) => /undici/.test(m)),
      [],
      `${f}: node loaded undici`,
    );
    // @sigstore/sign requires both for code this action never runs (scripts/build.mjs stubs them), and no
    // dist here is large enough for print-hash's MD5 process.
    assert.deepEqual(
      loaded.filter((m) => /^NativeModule (http2|child_process)$/.test(m)),
      [],
      `${f}: node loaded http2 or child_process`,
    );
  }
  // The bundle: no undici source (its error codes) in any file the runner may load.
  const shipped = [...(await readdir(DIST)), ...(await readdir(join(DIST, 'chunks'))).map((n) => `chunks/${n}`)].filter((n) => n.endsWith('.js'));
  for (const name of shipped) assert.doesNotMatch(await readFile(join(DIST, name), 'utf8'), /UND_ERR_/, name);
});

test("the bundle's stand-in for http2 carries node:http2's values of the constants @sigstore/sign reads", async () => {
  const chunks = join(DIST, 'chunks');
  const signer = (await readdir(chunks)).filter((n) => n.startsWith('signer-'));
  assert.equal(signer.length, 1);
  const text = await readFile(join(chunks, signer[0]!), 'utf8');
  const stub = /constants:\{(HTTP2_HEADER_LOCATION:[^}]*)\}/.exec(text)?.[1];
  assert.ok(stub, 'the signer chunk holds the http2 stand-in');
  const values = Object.fromEntries(
    stub
      .split(',')
      .map((pair) => pair.split(':') as [string, string])
      .map(([k, v]) => [k, JSON.parse(v)]),
  );
  const { constants } = process.getBuiltinModule('node:http2');
  assert.deepEqual(Object.keys(values).sort(), [
    'HTTP2_HEADER_CONTENT_TYPE',
    'HTTP2_HEADER_LOCATION',
    'HTTP2_HEADER_USER_AGENT',
    'HTTP_STATUS_INTERNAL_SERVER_ERROR',
    'HTTP_STATUS_REQUEST_TIMEOUT',
    'HTTP_STATUS_TOO_MANY_REQUESTS',
  ]);
  for (const [name, value] of Object.entries(values)) assert.equal(value, constants[name as keyof typeof constants], name);
  // What @sigstore/sign's fetch reads of http2.constants is what the stand-in carries.
  const fetchSource = await readFile(join(import.meta.dirname, '../../node_modules/@sigstore/sign/dist/external/fetch.js'), 'utf8');
  const read = /const \{([^}]*)\} = http2_1\.constants/.exec(fetchSource)?.[1];
  assert.ok(read, '@sigstore/sign still destructures http2.constants');
  assert.deepEqual(
    read
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean)
      .sort(),
    Object.keys(values).sort(),
  );
});
