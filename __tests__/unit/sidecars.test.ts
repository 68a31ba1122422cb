// The sidecar stage on a real directory (src/engine/sidecars.ts): what holds a staging name (a
// crashed run's leftover, a link planted by whoever made packages-dir) is replaced, never written
// through; a name that cannot be replaced is a failure naming the file; nothing is renamed then.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { lstat, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SidecarStage } from '../../src/engine/sidecars.ts';
import { SIDECAR_WRITE_CONCURRENCY } from '../../src/tunables.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

const WHEEL = 'pkg-1.0-py3-none-any.whl';
const staged = (dir: string, suffix: string) => join(dir, `.${WHEEL}.${suffix}.partial`);

async function regularJSON(path: string): Promise<unknown> {
  const st = await lstat(path);
  assert.ok(st.isFile() && !st.isSymbolicLink(), `${path} is a regular file`);
  return JSON.parse(await readFile(path, 'utf8'));
}

describe('sidecar stage', () => {
  it('writes both sidecars under hidden names, then gives them their names', async () => {
    const dir = await scratchDir('sidecars-');
    const stage = new SidecarStage();
    stage.add(join(dir, WHEEL), { bundle: 1 }, { attestation: 2 });
    assert.deepEqual(await stage.commit(), []);
    assert.deepEqual(await regularJSON(join(dir, `${WHEEL}.sigstore.json`)), { bundle: 1 });
    assert.deepEqual(await regularJSON(join(dir, `${WHEEL}.publish.attestation`)), { attestation: 2 });
    assert.deepEqual((await readdir(dir)).sort(), [`${WHEEL}.publish.attestation`, `${WHEEL}.sigstore.json`]);
  });

  it('replaces a leftover staging file and links planted under the staging names (dangling or not), never writing through them', async () => {
    const dir = await scratchDir('sidecars-');
    const outside = await scratchDir('sidecars-outside-');
    const victim = join(outside, 'victim');
    await writeFile(victim, 'precious\n');
    await symlink(victim, staged(dir, 'sigstore.json'));
    await symlink(join(outside, 'missing'), staged(dir, 'publish.attestation'));
    const stage = new SidecarStage();
    stage.add(join(dir, WHEEL), { bundle: 1 }, { attestation: 2 });
    assert.deepEqual(await stage.commit(), []);
    assert.equal(await readFile(victim, 'utf8'), 'precious\n', 'the link target is untouched');
    assert.deepEqual(await readdir(outside), ['victim'], 'nothing was created where a dangling link pointed');
    assert.deepEqual(await regularJSON(join(dir, `${WHEEL}.sigstore.json`)), { bundle: 1 });
    assert.deepEqual(await regularJSON(join(dir, `${WHEEL}.publish.attestation`)), { attestation: 2 });

    // A leftover regular staging file (a crashed run's) is replaced as well.
    await writeFile(staged(dir, 'sigstore.json'), 'stale');
    const again = new SidecarStage();
    again.add(join(dir, WHEEL), { bundle: 3 }, { attestation: 4 });
    assert.deepEqual(await again.commit(), []);
    assert.deepEqual(await regularJSON(join(dir, `${WHEEL}.sigstore.json`)), { bundle: 3 });
  });

  it('a staging name held by a directory fails the pair, names the file, and renames nothing', async () => {
    const dir = await scratchDir('sidecars-');
    await mkdir(staged(dir, 'publish.attestation'));
    const stage = new SidecarStage();
    stage.add(join(dir, WHEEL), { bundle: 1 }, { attestation: 2 });
    const failures = await stage.commit();
    assert.equal(failures.length, 1);
    assert.equal(failures[0]?.filename, WHEEL);
    assert.match(failures[0]?.reason ?? '', /could not write .*\.publish\.attestation\.partial \((EISDIR|EPERM|EEXIST)\)/);
    assert.deepEqual(await readdir(dir), [`.${WHEEL}.publish.attestation.partial`], 'the other staged file was removed, no sidecar named');
  });

  it('a sidecar name the file system does not take is left out with a warning, never failing the release', async () => {
    // eCryptfs takes names of at most 143 bytes; here the path limit (4,095 bytes) plays that part: in
    // this directory `<wheel>.sigstore.json` fits and `<wheel>.publish.attestation` does not, and
    // neither does either natural staging name.
    let dir = await scratchDir('sidecars-long-');
    const want = 4095 - `/${WHEEL}.sigstore.json`.length - 4;
    while (dir.length < want) dir = join(dir, 'd'.repeat(Math.min(200, want - dir.length - 1)));
    await mkdir(dir, { recursive: true });
    assert.ok(join(dir, `${WHEEL}.publish.attestation`).length > 4095 && join(dir, `${WHEEL}.sigstore.json`).length <= 4095);
    const stage = new SidecarStage();
    stage.add(join(dir, WHEEL), { bundle: 1 }, { attestation: 2 });
    assert.deepEqual(await stage.commit(), []);
    assert.deepEqual(await regularJSON(join(dir, `${WHEEL}.sigstore.json`)), { bundle: 1 });
    assert.deepEqual(stage.notWritten(), [
      {
        filename: WHEEL,
        reason: `${WHEEL}.publish.attestation not written: the file system of packages-dir takes no file name this long`,
      },
    ]);
    assert.deepEqual(await readdir(dir), [`${WHEEL}.sigstore.json`], 'nothing staged is left');
  });

  it(`keeps at most ${SIDECAR_WRITE_CONCURRENCY} staged files open at once, however many dists a release has`, async () => {
    const dir = await scratchDir('sidecars-many-');
    const stage = new SidecarStage();
    // 600 staged files: all open at once, as before the bound, they exceeded the 1024 descriptors
    // many systems allow a process for 512 dists.
    for (let i = 0; i < 300; i++) stage.add(join(dir, `pkg-1.0-py3-none-manylinux_2_${i}_x86_64.whl`), { bundle: i }, { attestation: i });
    // Counted at one instant, on this thread (asynchronous calls would queue behind the writes): on
    // Linux the descriptors on staged files, elsewhere (/dev/fd) every descriptor beyond those open now.
    const linux = existsSync('/proc/self/fd');
    const onStaged = (fd: string) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).endsWith('.partial');
      } catch {
        return false; // closed meanwhile
      }
    };
    const openNow = () => (linux ? readdirSync('/proc/self/fd').filter(onStaged).length : readdirSync('/dev/fd').length);
    const before = linux ? 0 : openNow();
    const openStaged = () => openNow() - before;
    let most = 0;
    let done = false;
    const committed = stage.commit().finally(() => {
      done = true;
    });
    while (!done) {
      most = Math.max(most, openStaged());
      await new Promise((r) => setImmediate(r));
    }
    assert.deepEqual(await committed, []);
    assert.ok(most <= SIDECAR_WRITE_CONCURRENCY, `${most} staged files were open at once`);
    assert.equal((await readdir(dir)).length, 600);
  });
});
