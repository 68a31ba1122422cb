// The checks of docs/checks.md that no case of bad-inputs.test.ts reaches by its code (finding the
// dists, reading a file, warnings across files), each asserted by the code its row names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findDistFiles } from '../../src/dists/find.ts';
import { inspectDist } from '../../src/dists/inspect.ts';
import { preflight } from '../../src/dists/preflight.ts';
import type { Dist } from '../../src/dists/types.ts';
import { gzipSync } from 'node:zlib';
import { buildWheel, metadataText, tarBytes } from '../../test/fixtures/dists/build.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

const codes = (problems: Array<{ code: string }>) => problems.map((p) => p.code);

async function dist(path: string): Promise<Dist> {
  const r = await inspectDist(path);
  assert.ok(r.dist, JSON.stringify(r.problems));
  return r.dist;
}

test('packages-dir naming a file that is not a dist: packages-dir-not-dist', async () => {
  const ws = await scratchDir('codes-');
  await writeFile(join(ws, 'README.md'), '# hi\n');
  assert.deepEqual(codes((await findDistFiles(['README.md'], ws)).problems), ['packages-dir-not-dist']);
});

test('a dist that is a broken symlink: dist-broken-symlink', async () => {
  const ws = await scratchDir('codes-');
  await mkdir(join(ws, 'dist'));
  await symlink(join(ws, 'gone.whl'), join(ws, 'dist', 'a-1.0-py3-none-any.whl'));
  assert.deepEqual(codes((await findDistFiles(['dist'], ws)).problems), ['dist-broken-symlink']);
});

test('an empty file: zip-not-zip (PyPI: "File is not a zipfile"); an unknown extension: dist-unknown-format', async () => {
  const ws = await scratchDir('codes-');
  await writeFile(join(ws, 'a-1.0-py3-none-any.whl'), '');
  await writeFile(join(ws, 'a-1.0.egg'), 'x');
  assert.deepEqual(codes((await inspectDist(join(ws, 'a-1.0-py3-none-any.whl'))).problems), ['zip-not-zip']);
  assert.deepEqual(codes((await inspectDist(join(ws, 'a-1.0.egg'))).problems), ['dist-unknown-format']);
});

test('files of one release that disagree on Summary: release-inconsistent (a warning)', async () => {
  const ws = await scratchDir('codes-');
  const one = await dist(await buildWheel(join(ws, 'one'), { name: 'a', version: '1.0', metadata: { Summary: 'first' } }));
  const two = await dist(await buildWheel(join(ws, 'two'), { name: 'a', version: '1.0', tag: 'cp312-cp312-win_amd64', metadata: { Summary: 'second' } }));
  const problems = preflight([one, two], { verifyMetadata: true });
  assert.deepEqual(
    problems.map((p) => [p.code, p.severity]),
    [['release-inconsistent', 'warning']],
  );
});

test('an unknown core metadata field: metadata-field-unknown (a warning, only with verify-metadata)', async () => {
  const ws = await scratchDir('codes-');
  const d = await dist(await buildWheel(ws, { name: 'a', version: '1.0', metadata: { 'X-Colour': 'blue' } }));
  assert.deepEqual(
    preflight([d], { verifyMetadata: true }).map((p) => [p.code, p.severity]),
    [['metadata-field-unknown', 'warning']],
  );
  assert.deepEqual(preflight([d], { verifyMetadata: false }), []);
});

test('a wheel name of 236 to 246 bytes: sidecar-name-too-long (a warning; PyPI accepts the wheel)', async () => {
  const ws = await scratchDir('codes-');
  const d = await dist(await buildWheel(ws, { name: 'sampleproject', version: `10${'.1'.repeat(105)}` }));
  assert.ok(Buffer.byteLength(d.filename) >= 236 && Buffer.byteLength(d.filename) <= 246, d.filename);
  assert.deepEqual(
    preflight([d], { verifyMetadata: true }).map((p) => [p.code, p.severity]),
    [['sidecar-name-too-long', 'warning']],
  );
});

test('an sdist whose PKG-INFO is a link: sdist-pkg-info-not-file (warehouse finds it; no client reads metadata from it)', async () => {
  const ws = await scratchDir('codes-');
  const top = 'sample_project-1.0';
  const members = [
    { name: `${top}/meta`, data: metadataText('sample-project', '1.0') },
    { name: `${top}/PKG-INFO`, data: '', type: '2', linkname: 'meta' },
  ];
  const path = join(ws, `${top}.tar.gz`);
  await writeFile(path, gzipSync(tarBytes(members)));
  const { problems } = await inspectDist(path);
  assert.deepEqual(codes(problems), ['sdist-pkg-info-not-file']);
  assert.match(problems[0]?.message ?? '', /sample_project-1\.0\/PKG-INFO is a symbolic link, not a regular file/);
});
