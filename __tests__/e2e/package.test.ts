// The CLI as an npm package (packages/cli, packed by scripts/pack-cli.mjs from the built dist/): the
// tarball holds only what the CLI runs, and `npx` of it works in a clean directory with no registry
// (an unreachable one, an empty cache, --offline): the package has no dependencies to fetch.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildWheel } from '../../test/fixtures/dists/build.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
// @ts-expect-error: a build script without types
import { cliFiles } from '../../scripts/pack-cli.mjs';

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
// Node 24 first on the PATH (setup.sh's), then the machine's npm and npx, which run on it.
const PATH = `${join(ROOT, '.tools/node/bin')}:${process.env['PATH'] ?? '/usr/bin:/bin'}`;

let tarball: string;
let entries: string[];

/** npx of the tarball in `cwd`: no registry reachable, a cache of its own, offline. */
export function npxOffline(tarball: string, cwd: string, args: string[], env: Record<string, string> = {}) {
  return exec('npx', ['--yes', '--offline', '--cache', join(cwd, '.npm-cache'), '--package', tarball, '--', 'pypi-attested-publish', ...args], {
    cwd,
    env: { PATH, HOME: cwd, npm_config_registry: 'http://127.0.0.1:9/', npm_config_update_notifier: 'false', ...env },
    maxBuffer: 16 << 20,
  });
}

before(async () => {
  const out = await scratchDir('pack-');
  const { stdout } = await exec(process.execPath, [join(ROOT, 'scripts/pack-cli.mjs'), out], { env: { ...process.env, PATH } });
  tarball = stdout.trim();
  entries = (await exec('tar', ['tzf', tarball])).stdout
    .split('\n')
    .filter(Boolean)
    .map((e) => e.replace(/^package\//, ''));
});

test('the tarball holds the manifest, the README and the CLI: its entry, body and the chunks they load', async () => {
  const expected = ['README.md', 'package.json', ...(await cliFiles()).map((f: string) => `dist/${f}`)].sort();
  assert.deepEqual([...entries].sort(), expected);
  for (const name of ['dist/cli.js', 'dist/cli-main.js']) assert.ok(entries.includes(name), name);
  // The action's entries and whatever only they load stay out.
  for (const name of ['dist/index.js', 'dist/verify.js', 'dist/build-provenance.js']) assert.ok(!entries.includes(name), name);
  const chunks = await readdir(join(ROOT, 'dist/chunks'));
  const packed = entries.filter((e) => e.startsWith('dist/chunks/'));
  assert.ok(packed.length < chunks.length, `some chunks are the action's only (${packed.length} of ${chunks.length} packed)`);
  assert.ok(!entries.some((e) => e.startsWith('src/') || e.startsWith('test/') || e.endsWith('.ts')), 'no sources');
});

test('the manifest: a bin, no dependencies, the action’s version', async () => {
  const { stdout } = await exec('tar', ['xzOf', tarball, 'package/package.json']);
  const manifest = JSON.parse(stdout);
  assert.deepEqual(manifest.bin, { 'pypi-attested-publish': 'dist/cli.js' });
  assert.equal(manifest.dependencies, undefined);
  assert.equal(manifest.private, undefined);
  assert.equal(manifest.version, JSON.parse((await exec('cat', [join(ROOT, 'package.json')])).stdout).version);
});

test('npx of the tarball runs every command in a clean directory without a registry', async () => {
  const cwd = await scratchDir('npx-');
  const version = await npxOffline(tarball, cwd, ['--version']);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  assert.match((await npxOffline(tarball, cwd, ['--help'])).stdout, /GitLab job/);
  // `check` reads and judges a wheel (the dists code); `verify --help` loads the consumer side's chunk.
  await buildWheel(join(cwd, 'dist'), { name: 'packaged', version: '1.0.0' });
  const check = await npxOffline(tarball, cwd, ['check', 'dist', '--json']);
  assert.equal(JSON.parse(check.stdout).files?.length ?? JSON.parse(check.stdout).length, 1, check.stdout);
  assert.match((await npxOffline(tarball, cwd, ['verify', '--help'])).stdout, /verify/);
});
