// Wheels whose ZIP framing Python's zipfile reads its own way (test/differential/zip_shapes.py): an
// honest ZIP64 end record, a size claimed past a member's data, an extra field that overruns, a .py
// member the content scan cannot read, an end record that miscounts. Each is judged by the action's
// pre-flight and by the PyPI stand-in's warehouse checks: verdicts and messages must agree. The
// shapes on which zipfile raises something warehouse does not catch (a server error: PyPI takes
// none of them) must be refused too. warehouse asks zipfile of sdists as well: a tar.gz in whose
// last 64 KiB zipfile finds an end record is "both a zip and a tar file".
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pypiVerdict } from '../../src/dists/preflight.ts';

const repo = join(import.meta.dirname, '..', '..');
const python = join(repo, '.venv', 'bin', 'python');
const WHEEL = 'sample_project-1.0-py3-none-any.whl';
/** The shapes PyPI accepts. */
const ACCEPTED = [
  'a plain wheel',
  'a ZIP64 end record and locator',
  'a ZIP64 end record in a stored wheel',
  "RECORD's size claimed past its data",
  "METADATA's size claimed past its data, stored",
  'a plain sdist',
  'an sdist whose gzip comment holds a ZIP end record 70 KiB before its end',
];

const dir = await mkdtemp(join(tmpdir(), 'zip-shapes-'));
const shapes = JSON.parse(execFileSync(python, [join(repo, 'test', 'differential', 'zip_shapes.py'), dir], { encoding: 'utf8' })) as {
  judged: Array<[string, string]>;
  raising: Record<string, string | null>;
};
const names = shapes.judged.map(([name]) => name);
const path = (i: number) => join(dir, String(i), shapes.judged[i]?.[1] ?? WHEEL);
const pypi = JSON.parse(
  execFileSync(python, [join(repo, 'test', 'differential', 'judge.py')], {
    input: JSON.stringify(shapes.judged.map(([, filename], i) => ({ path: path(i), filename, form: 'twine' }))),
    encoding: 'utf8',
    env: { ...process.env, PYTHONHASHSEED: '0' },
  }),
) as Array<{ accepted: boolean; message: string | null }>;

describe("a dist's ZIP is read as Python's zipfile reads it", () => {
  after(() => rm(dir, { recursive: true, force: true }));

  it('the stand-in accepts exactly the shapes zipfile reads whole', () => {
    assert.deepEqual(
      names.filter((_, i) => pypi[i]?.accepted),
      ACCEPTED,
    );
  });

  for (const [i, name] of names.entries()) {
    it(`${name}: the pre-flight gives PyPI's verdict and message`, async () => {
      const ours = await pypiVerdict(path(i));
      assert.equal(ours.accepted, pypi[i]?.accepted, `${name}: ${ours.message}`);
      assert.equal(ours.message ?? null, pypi[i]?.message ?? null);
    });
  }

  it('names what could not be read: the archive (zip-unreadable) or a member (zip-member-unreadable)', async () => {
    const codeOf = async (name: string) => (await pypiVerdict(path(names.indexOf(name)))).problems?.[0]?.code;
    assert.equal(await codeOf("an extra field longer than the central directory's extra"), 'zip-unreadable');
    assert.equal(await codeOf('a .py member with a bad CRC'), 'zip-member-unreadable');
    assert.equal(await codeOf('an sdist whose gzip comment holds a ZIP end record'), 'dist-zip-and-tar');
    assert.equal(await codeOf('a wheel whose first block is a tar header'), 'dist-zip-and-tar');
  });

  for (const [j, [name, raised]] of Object.entries(shapes.raising).entries()) {
    it(`${name}: zipfile raises ${raised}, and the pre-flight refuses it`, async () => {
      assert.ok(raised, `zipfile read ${name} without an error warehouse does not catch`);
      const ours = await pypiVerdict(path(shapes.judged.length + j));
      assert.equal(ours.accepted, false);
      assert.equal(ours.message, 'Invalid distribution file. None');
    });
  }
});
