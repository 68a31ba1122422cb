// The text of `replace` substitution definitions (src/dists/rst-explicit.ts) against docutils
// itself, on seeded random documents: definitions whose text holds plain words, references by name
// or phrase, anonymous references, footnote, citation and auto-numbered footnote references, inline
// targets, phrases with an embedded URI (named or anonymous), roles known and unknown, inline markup
// left open, other substitutions, a closing `::`, on the directive's line or under it, on one line or
// several, at one indentation or not,
// with a paragraph after a blank line or a list; the targets, footnotes, citations and definitions
// they may need; and the definitions used or not. readme_renderer renders each as the PyPI stand-in
// runs it; the check must refuse none that docutils renders and miss few of its refusals (four seeds
// gave no miss). RST_SUBSTITUTIONS_SEED=N searches further.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rstProblems } from '../../src/dists/rst.ts';
import { Rng } from '../../test/fuzz/rng.ts';
import { assertFewMisses, rendersOnPyPI } from '../../test/helpers/docutils.ts';

const SEED = Number(process.env['RST_SUBSTITUTIONS_SEED'] ?? 20261208);
const COUNT = 1200;
/** The share of docutils' refusals the check may miss. */
const MAX_MISSED = 0.01;

const WORDS = ['see', 'the', 'docs', 'v1.2', 'http://e.com', 'a@b.org', 'snake_case', '2 * 3', ':pep:`8`', '``lit``', '*em*'];
const MARKUP = [
  'ref_',
  '`phrase ref`_',
  'anon__',
  '[1]_',
  '[CIT]_',
  '[#]_',
  '_`inline`',
  '`text <https://e.com>`_',
  '`text <https://e.com>`__',
  '`text <ref_>`_',
  ':nosuch:`x`',
  '**open',
  '|other|',
  'missing_',
];
const AROUND = ['.. _ref: https://r.org', '.. _phrase ref: https://p.org', '.. [1] One.', '.. [CIT] Cited.', '.. [#] Auto.', '.. |other| replace:: O'];

/** A definition's text: words and markup on one line or more, indented alike or not, maybe more after it. */
function definitionText(r: Rng): string {
  const words = Array.from({ length: 1 + r.int(4) }, () => (r.int(3) === 0 ? r.pick(MARKUP) : r.pick(WORDS)));
  if (r.int(8) === 0) words.push('end::');
  const lines = [words.slice(0, 2).join(' ')];
  if (words.length > 2) lines.push(`${' '.repeat(r.int(6) === 0 ? 5 : 3)}${words.slice(2).join(' ')}`);
  if (r.int(10) === 0) lines.push('', '   More text.');
  return lines.join('\n');
}

function document(r: Rng): string {
  const parts = ['Title\n=====\n'];
  const start = r.int(10) === 0 ? '- item' : definitionText(r);
  // The text on the directive's line, or starting under it.
  parts.push(r.int(4) === 0 ? `.. |s| replace::\n   ${start}\n` : `.. |s| replace:: ${start}\n`);
  if (r.int(3) > 0) parts.push('Uses |s| here.\n');
  for (const around of AROUND) if (r.int(2) === 0) parts.push(`${around}\n`);
  return parts.join('\n');
}

describe('replace definitions against docutils', () => {
  const r = new Rng(SEED);
  const all = Array.from({ length: COUNT }, () => document(r));
  const rendered = rendersOnPyPI(all);

  it(`refuses none of ${COUNT} documents docutils renders, and nearly all it refuses`, () => {
    assertFewMisses(all, rendered, MAX_MISSED, { refused: 1 / 5, rendered: 1 / 5 });
  });

  it('words what docutils says', () => {
    assert.deepEqual(rstProblems('.. |s| replace:: see anon__\n\n|s|\n\n__ https://e.com\n'), [
      'line 1: Anonymous references are not supported in a substitution definition.',
    ]);
    assert.deepEqual(rstProblems('.. |s| replace:: see [1]_\n\n|s|\n\n.. [1] One.\n'), [
      'line 1: Targets (names and identifiers) are not supported in a substitution definition.',
    ]);
    assert.deepEqual(rstProblems('.. |s| unicode:: .. a comment\n\n|s|\n'), ['line 1: Substitution definition "s" empty or invalid.']);
  });
});
