// Where an sdist's tar ends, as Python's tarfile (and so PyPI) ends it: after the end blocks, a
// second tar, garbage, a header cut short or a gzip stream cut short are never read, and the file is
// accepted; a first header tarfile cannot read makes it no tar at all, and a header it cannot read
// right after a pax header is an error. Each shape (test/differential/tar_ends.py) is judged by the
// action's pre-flight and by the PyPI stand-in's warehouse checks: verdicts and messages must agree.
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
/** The shapes PyPI accepts: what follows the tar's end is never read. */
const ACCEPTED = [
  'garbage after the members',
  'a second tar after the first',
  'a member escaping after the end blocks',
  'gzip cut short after the end blocks',
  'no end blocks',
  'a header cut short after the members',
  'an unreadable number in a header after the members',
  'a bad checksum after the members',
  'a decompression bomb after the end blocks',
];

const dir = await mkdtemp(join(tmpdir(), 'tar-ends-'));
const names = JSON.parse(execFileSync(python, [join(repo, 'test', 'differential', 'tar_ends.py'), dir], { encoding: 'utf8' })) as string[];
const paths = names.map((_, i) => join(dir, String(i), FILENAME));
const pypi = JSON.parse(
  execFileSync(python, [join(repo, 'test', 'differential', 'judge.py')], {
    input: JSON.stringify(paths.map((path) => ({ path, filename: FILENAME, form: 'twine' }))),
    encoding: 'utf8',
    env: { ...process.env, PYTHONHASHSEED: '0' },
  }),
) as Array<{ accepted: boolean; message: string | null }>;

describe("an sdist's tar ends where Python's tarfile ends it", () => {
  after(() => rm(dir, { recursive: true, force: true }));

  it('the stand-in accepts exactly the shapes whose extra bytes come after the end', () => {
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
