// The differential tests of dist shapes (test/differential/*.py): a script writes each shape, the
// PyPI stand-in's warehouse checks judge it (test/differential/judge.py), and the action's pre-flight
// must give the same verdict and message. One suite for every script.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pypiVerdict } from '../../src/dists/preflight.ts';
import { standInVerdicts } from './judge.ts';

const repo = join(import.meta.dirname, '..', '..');
const python = join(repo, '.venv', 'bin', 'python');

/** One shape the stand-in judged. */
export interface Shape {
  name: string;
  path: string;
  /** server_error: what warehouse raised and does not catch (PyPI answers a bare 500) */
  pypi: { accepted: boolean; message: string | null; server_error?: string };
}

/** What a shape script wrote, judged: its shapes in order, and what else it printed (test/differential/shapes.py). */
export interface JudgedShapes {
  dir: string;
  shapes: Shape[];
  /** the script's other output (e.g. zip_shapes.py's `raising`) */
  extra: Record<string, unknown>;
  /** the path of the file written at `index` (files not judged come after the judged ones) */
  pathAt(index: number, filename: string): string;
}

/** Runs test/differential/`script` into a fresh directory, then the stand-in's judge on the files it marks judged. */
export async function judgedShapes(script: string): Promise<JudgedShapes> {
  const dir = await mkdtemp(join(tmpdir(), 'shapes-'));
  const { judged, ...extra } = JSON.parse(execFileSync(python, [join(repo, 'test', 'differential', script), dir], { encoding: 'utf8' })) as {
    judged: Array<[string, string]>;
  };
  const pathAt = (index: number, filename: string) => join(dir, String(index), filename);
  const paths = judged.map(([, filename], i) => pathAt(i, filename));
  const pypi = standInVerdicts<Shape['pypi']>(judged.map(([, filename], i) => ({ path: paths[i] as string, filename, form: 'twine' })));
  const shapes = judged.map(([name], i) => ({ name, path: paths[i] as string, pypi: pypi[i] as Shape['pypi'] }));
  return { dir, shapes, extra, pathAt };
}

/**
 * The suite of a shape script: the stand-in accepts exactly the `accepted` shapes (so the script
 * builds what it says), and on each shape the pre-flight gives PyPI's verdict and message. `more`
 * adds the script's own tests to the suite.
 */
export function describeShapes(title: string, judged: JudgedShapes, accepted: string[], more?: () => void): void {
  describe(title, () => {
    after(() => rm(judged.dir, { recursive: true, force: true }));

    it('the stand-in accepts exactly the shapes expected', () => {
      assert.deepEqual(
        judged.shapes.filter((s) => s.pypi.accepted).map((s) => s.name),
        accepted,
      );
    });

    for (const { name, path, pypi } of judged.shapes) {
      it(`${name}: the pre-flight gives PyPI's verdict and message`, async () => {
        const ours = await pypiVerdict(path);
        assert.equal(ours.accepted, pypi.accepted, `${name}: ${ours.message}`);
        // A server error has no message of PyPI's: the pre-flight names what warehouse raised.
        if (pypi.server_error)
          assert.match(ours.message ?? '', new RegExp(`^PyPI fails on this (wheel|sdist) with a server error \\(500\\): .*${pypi.server_error}`));
        else assert.equal(ours.message ?? null, pypi.message ?? null);
      });
    }
    more?.();
  });
}
