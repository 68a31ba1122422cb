// Where the TUF cache lives (src/sigstore/tuf-cache.ts): never a directory all users share, and a
// directory another user could change is replaced by a private one for the run, never a failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateCacheDirectory, tufCacheRoot } from '../../src/sigstore/tuf-cache.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

test("the cache is the runner's temp directory, else the user's cache directory, never the shared temp directory", () => {
  assert.equal(tufCacheRoot({ RUNNER_TEMP: '/home/runner/work/_temp', HOME: '/home/runner' }), '/home/runner/work/_temp');
  assert.equal(tufCacheRoot({ HOME: '/home/dev' }, 'linux'), '/home/dev/.cache/pypi-publish');
  assert.equal(tufCacheRoot({ HOME: '/home/dev', XDG_CACHE_HOME: '/var/cache/dev' }, 'linux'), '/var/cache/dev/pypi-publish');
  assert.equal(tufCacheRoot({ HOME: '/Users/dev' }, 'darwin'), '/Users/dev/Library/Caches/pypi-publish');
  assert.equal(tufCacheRoot({ LOCALAPPDATA: 'C:\\Users\\dev\\AppData\\Local' }, 'win32'), join('C:\\Users\\dev\\AppData\\Local', 'pypi-publish'));
  for (const env of [{}, { HOME: '' }]) assert.ok(!tufCacheRoot(env).startsWith(join(tmpdir(), 'sigstore-tuf')));
});

test('a private cache directory is made private, used, and kept after the run', async () => {
  const dir = join(await scratchDir('tuf-cache-'), 'a', 'b');
  const cache = await privateCacheDirectory(dir);
  assert.equal(cache.path, dir);
  assert.equal((await stat(dir)).mode & 0o777, 0o700);
  await cache.release();
  assert.ok((await stat(dir)).isDirectory());
});

test('a directory others may write, under a parent others may write, or that cannot be made is replaced by a fresh private one, removed after the run', async () => {
  const root = await scratchDir('tuf-cache-');
  const shared = join(root, 'shared');
  await mkdir(shared);
  await chmod(shared, 0o777);
  const swappable = join(root, 'open', 'cache');
  await mkdir(swappable, { recursive: true, mode: 0o700 });
  await chmod(join(root, 'open'), 0o777);
  const sticky = join(root, 'sticky');
  await mkdir(sticky);
  await chmod(sticky, 0o1777);
  await writeFile(join(root, 'file'), '');
  for (const dir of [shared, swappable, join(root, 'file', 'cache')]) {
    const cache = await privateCacheDirectory(dir);
    assert.notEqual(cache.path, dir);
    assert.equal((await stat(cache.path)).mode & 0o777, 0o700);
    await cache.release();
    await assert.rejects(stat(cache.path), { code: 'ENOENT' });
  }
  // A sticky parent (as /tmp is) lets others add names, not move this user's: the cache is used.
  const underSticky = await privateCacheDirectory(join(sticky, 'cache'));
  assert.equal(underSticky.path, join(sticky, 'cache'));
  assert.deepEqual(await readdir(shared), []);
});
