// Section titles as targets (src/dists/rst-references.ts) against docutils itself, on seeded random
// documents: sections of two levels whose titles repeat ("Usage" under two parts), differ only in
// case or spacing, or hold inline markup; references to them by name, plain or quoted, in
// paragraphs, list items, admonitions and substitution definitions; explicit targets, citations,
// embedded-URI phrases and inline targets of the same names. Titles and phrases' embedded targets
// are implicit targets: two of one name leave it to neither, and a reference to it is an error
// unless an explicit target holds it. readme_renderer renders each as the PyPI stand-in runs it; the
// check must refuse none that docutils renders and miss few of its refusals (a title whose markup
// leaves its name in doubt is not counted; six seeds gave no miss). RST_TITLE_TARGETS_SEED=N
// searches further.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rstProblems } from '../../src/dists/rst.ts';
import { Rng } from '../../test/fuzz/rng.ts';
import { assertFewMisses, rendersOnPyPI } from '../../test/helpers/docutils.ts';

const SEED = Number(process.env['RST_TITLE_TARGETS_SEED'] ?? 20261208);
const COUNT = 1200;
/** The share of docutils' refusals the check may miss. */
const MAX_MISSED = 0.01;

const TITLES = ['Usage', 'usage', 'USAGE', 'Install  guide', 'Install guide', 'my_module', '*Usage*', '``Usage``', 'Usage_', 'Notes'];
const REFERENCES = ['Usage_', '`Usage`_', '`usage`_', '`install guide`_', '`Install   Guide`_', '`my_module`_', 'Notes_', '`Usage`__'];
const SETTINGS = [
  '.. _usage: https://e.com',
  '.. _Install guide:',
  '.. [Usage] A citation.',
  'A `Usage <https://e.com>`_ phrase.',
  'An _`inline usage` target.',
  '.. _notes: https://e.com',
  '__ https://e.com',
];

function title(text: string, underline: string): string {
  return `${text}\n${underline.repeat(Math.max(text.length, 4))}\n`;
}

/** A reference to one of the document's titles (in another case, or quoted), or to one of REFERENCES. */
function referring(r: Rng, titles: readonly string[]): string {
  const named = r.pick(titles).replace(/^[*`]+|[*`_]+$/g, '');
  const reference = r.int(6) === 0 || named === '' ? r.pick(REFERENCES) : `\`${r.int(2) === 0 ? named : named.toLowerCase()}\`_`;
  return r.pick([`See ${reference}.`, `- See ${reference}.`, `.. note:: See ${reference}.`, `.. |s| replace:: See ${reference}.`]);
}

function document(r: Rng): string {
  const parts: string[] = [];
  const titles: string[] = [];
  const refer = () => `${referring(r, titles.length > 0 ? titles : TITLES)}\n`;
  for (let part = 0; part < 2 + r.int(2); part++) {
    parts.push(title(`Part ${part}`, '='), 'Text.\n');
    for (let s = r.int(3); s > 0; s--) {
      const text = r.int(3) === 0 && titles.length > 0 ? r.pick(titles) : r.pick(TITLES);
      titles.push(text);
      parts.push(title(text, '-'), r.int(3) === 0 ? refer() : 'Text.\n');
    }
  }
  for (let n = 1 + r.int(2); n > 0; n--) parts.push(refer());
  if (r.int(3) === 0) parts.push(`${r.pick(SETTINGS)}\n`);
  return parts.join('\n');
}

describe('section titles as targets against docutils', () => {
  const r = new Rng(SEED);
  const all = Array.from({ length: COUNT }, () => document(r));
  const rendered = rendersOnPyPI(all);

  it(`refuses none of ${COUNT} documents docutils renders, and nearly all it refuses`, () => {
    assertFewMisses(all, rendered, MAX_MISSED, { refused: 1 / 5, rendered: 1 / 5 });
  });

  it('words what docutils says', () => {
    const twice = 'A\n=\n\nUsage\n-----\n\nText.\n\nB\n=\n\nUsage\n-----\n\nSee Usage_.\n';
    assert.deepEqual(rstProblems(twice), ['line 15: Duplicate target name, cannot be used as a unique reference: "usage".']);
    assert.deepEqual(rstProblems(`${twice}\n.. _usage: https://e.com\n`), []);
  });
});
