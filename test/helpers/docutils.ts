// docutils as the PyPI stand-in runs it (warehouse's readme_renderer and docutils pins, from .venv),
// the judge of the description check's differential tests (__tests__/dists/rst*.test.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { rstProblems } from '../../src/dists/rst.ts';

const repo = join(import.meta.dirname, '..', '..');
const RENDER = `
import io, json, sys
sys.path.insert(0, sys.argv[1])
import standin  # warehouse's pins first
import docutils.parsers.rst.roles
import readme_renderer.rst
def render(text):
    # A role a text defines stays registered in the process: each text starts from docutils' own.
    docutils.parsers.rst.roles._roles.clear()
    try:
        return readme_renderer.rst.render(text, stream=io.StringIO()) is not None
    except Exception:  # a server error at PyPI: not rendered
        return False
json.dump([render(t) for t in json.load(sys.stdin)], sys.stdout)
`;

/** Whether readme_renderer renders each reStructuredText text, as PyPI does. */
export function rendersOnPyPI(texts: readonly string[]): boolean[] {
  return JSON.parse(
    execFileSync(join(repo, '.venv', 'bin', 'python'), ['-c', RENDER, join(repo, 'test', 'world', 'pypi')], {
      input: JSON.stringify(texts),
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    }),
  ) as boolean[];
}

/** The texts on which the check's verdict is not docutils' (`rendered`), each with both verdicts. */
export function verdictsApart(texts: readonly string[], rendered: readonly boolean[]): string[] {
  return texts.flatMap((text, i) => {
    const problems = rstProblems(text);
    return rendered[i] === (problems.length === 0)
      ? []
      : [`${JSON.stringify(text)}: docutils ${rendered[i] ? 'renders it' : 'refuses it'}; the check says ${JSON.stringify(problems)}`];
  });
}

/** The check's refusals of texts docutils renders, each with what the check says. */
export function falseRefusals(texts: readonly string[], rendered: readonly boolean[]): string[] {
  return texts.flatMap((text, i) => (rendered[i] ? rstProblems(text).map((p) => `${JSON.stringify(text)}: ${p}`) : []));
}

/** Asserts the check gives docutils' verdict on every text, among enough of each verdict to tell a wrong one. */
export function assertSameVerdicts(texts: readonly string[], rendered: readonly boolean[]): void {
  assert.deepEqual(verdictsApart(texts, rendered), []);
  assert.ok(rendered.filter((r) => !r).length >= texts.length / 4, 'enough refusals to tell the check apart');
  assert.ok(rendered.filter(Boolean).length >= texts.length / 4, 'enough renderings to catch a false refusal');
}

/**
 * Asserts the check refuses none of the texts docutils renders and misses at most the share
 * `maxMissed` of those it refuses, with at least the share `least` of the texts of each verdict.
 */
export function assertFewMisses(texts: readonly string[], rendered: readonly boolean[], maxMissed: number, least: { refused: number; rendered: number }): void {
  assert.deepEqual(falseRefusals(texts, rendered), []);
  const failing = texts.filter((_, i) => !rendered[i]);
  const missed = failing.filter((text) => rstProblems(text).length === 0);
  assert.ok(failing.length >= texts.length * least.refused, 'enough texts fail to tell the check apart');
  assert.ok(rendered.filter(Boolean).length >= texts.length * least.rendered, 'enough texts render to catch a false refusal');
  assert.ok(missed.length <= failing.length * maxMissed, `${missed.length} of ${failing.length} refusals missed, e.g. ${JSON.stringify(missed.slice(0, 3))}`);
}
