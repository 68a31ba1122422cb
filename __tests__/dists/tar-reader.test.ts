// An sdist's headers and gzip framing read as Python's tarfile and gzip read them (so as PyPI reads
// them): magics other than ustar, signed checksums, type flags tarfile does not know (files to it),
// links claiming a size (no data skipped), sizes written "0o...", prefix fields of GNU headers, names
// that are not UTF-8 (kept apart, as surrogateescape keeps them), pax records renaming, resizing or
// emptying a name, and gzip streams of several members. Each shape (test/differential/tar_reader.py)
// is judged by the action's pre-flight and by the PyPI stand-in's warehouse checks: verdicts and
// messages must agree.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pypiVerdict } from '../../src/dists/preflight.ts';

const repo = join(import.meta.dirname, '..', '..');
const python = join(repo, '.venv', 'bin', 'python');
const FILENAME = 'sample_project-1.0.tar.gz';
/** The shapes PyPI accepts. */
const ACCEPTED = [
  'a plain ustar sdist',
  'a GNU-format sdist with a long name (L)',
  'a pax sdist with a long name',
  'a pax GNU.sparse.name alone (no sparse map)',
  'a V7 header (no magic)',
  'a header with magic USTAR',
  "a header with magic 'ustar 00'",
  'a checksum summed over signed bytes',
  'a size written 0o...',
  'a Solaris X extended header',
  'an old GNU N member (a file to tarfile)',
  'a symlink claiming a size, PKG-INFO after it',
  'a directory claiming a size',
  'a ustar prefix naming the top directory',
  'a non-UTF-8 top directory',
  'a global pax header',
  'a pax record of length 0 after the members',
  'an empty gzip member first',
  'the tar split across gzip members',
  'zero bytes between gzip members',
  'zero bytes after a gzip member that ends at a header',
];

const dir = await mkdtemp(join(tmpdir(), 'tar-reader-'));
const names = JSON.parse(execFileSync(python, [join(repo, 'test', 'differential', 'tar_reader.py'), dir], { encoding: 'utf8' })) as string[];
const paths = names.map((_, i) => join(dir, String(i), FILENAME));
const pypi = JSON.parse(
  execFileSync(python, [join(repo, 'test', 'differential', 'judge.py')], {
    input: JSON.stringify(paths.map((path) => ({ path, filename: FILENAME, form: 'twine' }))),
    encoding: 'utf8',
    env: { ...process.env, PYTHONHASHSEED: '0' },
  }),
) as Array<{ accepted: boolean; message: string | null }>;

describe("an sdist's headers and gzip members are read as Python's tarfile and gzip read them", () => {
  after(() => rm(dir, { recursive: true, force: true }));

  it('the stand-in accepts exactly the shapes expected', () => {
    assert.deepEqual(
      names.filter((_, i) => pypi[i]?.accepted),
      ACCEPTED,
    );
  });

  for (const [i, name] of names.entries()) {
    it(`${name}: the pre-flight gives PyPI's verdict and message`, async () => {
      const ours = await pypiVerdict(paths[i] as string);
      assert.equal(ours.accepted, pypi[i]?.accepted, `${name}: ${ours.message}`);
      assert.equal(ours.message ?? null, pypi[i]?.message ?? null);
    });
  }
});
