// Wheels whose RECORD, License-File or entry_points.txt warehouse reads after its archive checks
// (test/differential/record_shapes.py), judged by the PyPI stand-in's warehouse checks and by the
// pre-flight: the same verdict and message, a server error where warehouse does not catch what
// zipfile or the csv module raise, and a warning where PyPI accepts a RECORD that does not match the
// wheel's files (and e-mails the project's owners about it).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { rm } from 'node:fs/promises';
import { pypiVerdict } from '../../src/dists/preflight.ts';
import { judgedShapes } from '../../test/helpers/shapes.ts';

const judged = await judgedShapes('record_shapes.py');

const ACCEPTED = [
  'a plain wheel',
  'a RECORD that does not list a file',
  'a RECORD that lists a file the wheel lacks',
  'a RECORD with Windows separators and a quoted name',
  'a RECORD with a byte-order mark',
  'a RECORD with CRLF, a form feed and a line separator',
  'a RECORD with a quoted name over two lines',
  'a RECORD with a field of 131,072 characters',
  'a RECORD of 40 MiB',
  'a wheel with its License-File',
];
const SERVER_ERRORS = ['a RECORD with a blank line', 'a RECORD with a bad CRC', 'a License-File with a bad CRC', 'an entry_points.txt with a bad CRC'];
const MISMATCHED = [
  'a RECORD that does not list a file',
  'a RECORD that lists a file the wheel lacks',
  'a RECORD with a byte-order mark',
  'a RECORD with a quoted name over two lines',
  'a RECORD with a field of 131,072 characters',
];

describe("a wheel's RECORD and License-File are read as warehouse reads them", () => {
  after(() => rm(judged.dir, { recursive: true, force: true }));
  const pypi = (name: string) => judged.shapes.find((s) => s.name === name)!.pypi as { accepted: boolean; message: string | null; server_error?: string };

  it('the stand-in accepts exactly the shapes expected, and fails on the others expected', () => {
    assert.deepEqual(
      judged.shapes.filter((s) => s.pypi.accepted).map((s) => s.name),
      ACCEPTED,
    );
    assert.deepEqual(
      judged.shapes.filter((s) => pypi(s.name).server_error).map((s) => s.name),
      SERVER_ERRORS,
    );
  });

  for (const { name, path } of judged.shapes) {
    it(`${name}: PyPI's verdict, and its message or its server error`, async () => {
      const ours = await pypiVerdict(path);
      const theirs = pypi(name);
      assert.equal(ours.accepted, theirs.accepted, `${name}: ${ours.message}`);
      const firstError = ours.problems?.find((p) => p.severity === 'error');
      if (theirs.server_error) {
        assert.equal(firstError?.code, 'wheel-member-server-error');
        assert.match(firstError?.message ?? '', /^PyPI fails on this wheel with a server error \(500\)/);
      } else assert.equal(ours.message ?? null, theirs.message ?? null);
      const warned = ours.problems?.some((p) => p.code === 'wheel-record-mismatch') ?? false;
      assert.equal(warned, MISMATCHED.includes(name), `${name}: the RECORD mismatch warning`);
    });
  }

  it('names what RECORD misses and what it lists in vain', async () => {
    const shape = (name: string) => judged.shapes.find((s) => s.name === name)!.path;
    const warning = async (name: string) => (await pypiVerdict(shape(name))).problems?.find((p) => p.code === 'wheel-record-mismatch')?.message;
    assert.equal(
      await warning('a RECORD that does not list a file'),
      "sample_project-1.0.dist-info/RECORD does not list sample_project/__init__.py, and lists gone.py, which the wheel does not hold: PyPI accepts the wheel, and e-mails the project's owners that its RECORD does not match its files.",
    );
  });
});
