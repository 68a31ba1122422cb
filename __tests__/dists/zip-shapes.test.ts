// Wheels whose ZIP framing Python's zipfile reads its own way (test/differential/zip_shapes.py): an
// honest ZIP64 end record, a size claimed past a member's data, an extra field that overruns, a .py
// member the content scan cannot read, an end record that miscounts. Each is judged by the action's
// pre-flight and by the PyPI stand-in's warehouse checks: verdicts and messages must agree. The
// shapes on which zipfile raises something warehouse does not catch (a server error: PyPI takes
// none of them) must be refused too. warehouse asks zipfile of sdists as well: a tar.gz in whose
// last 64 KiB zipfile finds an end record is "both a zip and a tar file".
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { pypiVerdict } from '../../src/dists/preflight.ts';
import { describeShapes, judgedShapes } from '../../test/helpers/shapes.ts';

const WHEEL = 'sample_project-1.0-py3-none-any.whl';
/** The shapes PyPI accepts. */
const ACCEPTED = [
  'a plain wheel',
  'a ZIP64 end record and locator',
  'a ZIP64 end record in a stored wheel',
  "RECORD's size claimed past its data",
  "METADATA's size claimed past its data, stored",
  'a member without a name',
  'a METADATA named by its Unicode Path extra field',
  'a plain sdist',
  'an sdist whose gzip comment holds a ZIP end record',
  'an sdist whose gzip comment holds a ZIP end record 70 KiB before its end',
];

const judged = await judgedShapes('zip_shapes.py');
const raising = judged.extra['raising'] as Record<string, string | null>;
const codeOf = async (name: string) => (await pypiVerdict(judged.shapes.find((s) => s.name === name)?.path as string)).problems?.[0]?.code;

describeShapes("a dist's ZIP is read as Python's zipfile reads it", judged, ACCEPTED, () => {
  it('names what could not be read: the archive (zip-unreadable) or a member (zip-member-unreadable)', async () => {
    assert.equal(await codeOf("an extra field longer than the central directory's extra"), 'zip-unreadable');
    assert.equal(await codeOf('a .py member with a bad CRC'), 'zip-member-unreadable');
    assert.equal(await codeOf("an sdist whose gzip header holds an empty ZIP's end record"), 'dist-zip-and-tar');
    assert.equal(await codeOf('a ZIP64 locator naming a second disk'), 'zip-not-zip');
    assert.equal(await codeOf('a wheel whose first block is a tar header'), 'dist-zip-and-tar');
    assert.equal(await codeOf('a wheel whose first block is a pax header before a tar header'), 'dist-zip-and-tar');
  });

  for (const [j, [name, raised]] of Object.entries(raising).entries()) {
    it(`${name}: zipfile raises ${raised}, and the pre-flight refuses it`, async () => {
      assert.ok(raised, `zipfile read ${name} without an error warehouse does not catch`);
      const ours = await pypiVerdict(judged.pathAt(judged.shapes.length + j, WHEEL));
      assert.equal(ours.accepted, false);
      assert.match(ours.message ?? '', new RegExp(`^PyPI fails on this wheel with a server error \\(500\\): zipfile raises ${raised} `));
      const code = ours.problems?.find((p) => p.severity === 'error')?.code;
      assert.ok(code === 'zip-server-error' || code === 'wheel-member-server-error', code);
    });
  }
});
