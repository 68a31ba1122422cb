// Where an sdist's tar ends, as Python's tarfile (and so PyPI) ends it: after the end blocks, a
// second tar, garbage, a header cut short or a gzip stream cut short are never read, and the file is
// accepted; a first header tarfile cannot read makes it no tar at all, and a header it cannot read
// right after a pax header is an error. Each shape (test/differential/tar_ends.py) is judged by the
// action's pre-flight and by the PyPI stand-in's warehouse checks: verdicts and messages must agree.
// Member names some absolute and some relative make warehouse fail with a server error.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { pypiVerdict } from '../../src/dists/preflight.ts';
import { describeShapes, judgedShapes } from '../../test/helpers/shapes.ts';

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

const judged = await judgedShapes('tar_ends.py');
describeShapes("an sdist's tar ends where Python's tarfile ends it", judged, ACCEPTED, () => {
  it('names the server error of mixed absolute and relative member names, and nothing after it', async () => {
    const shape = judged.shapes.find((s) => s.name === 'members some absolute, some relative')!;
    assert.equal(shape.pypi.server_error, 'ValueError');
    const codes = (await pypiVerdict(shape.path)).problems?.filter((p) => p.severity === 'error').map((p) => p.code);
    assert.deepEqual(codes, ['sdist-server-error']);
  });
  it('names a tar without gzip for what it is, where PyPI says only "None"', async () => {
    const shape = judged.shapes.find((s) => s.name === 'a tar without gzip')!;
    const [first] = (await pypiVerdict(shape.path)).problems ?? [];
    assert.equal(first?.code, 'sdist-not-gzip');
    assert.match(first?.fix ?? '', /a tar archive without gzip compression/);
    for (const compression of ['bzip2', 'xz']) {
      const compressed = judged.shapes.find((s) => s.name === `a tar compressed with ${compression}`)!;
      const [problem] = (await pypiVerdict(compressed.path)).problems ?? [];
      assert.equal(problem?.code, 'sdist-not-gzip', compression);
      assert.match(problem?.fix ?? '', new RegExp(`compressed with ${compression}, not gzip`));
    }
  });
});
