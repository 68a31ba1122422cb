// src/dists/rst-docinfo.ts against docutils itself, on seeded random openings of a description: a
// title with or without an overline, a subtitle, other sections of either level, comments, targets,
// substitution definitions and directives that show nothing before or between them, then a field
// list of bibliographic and other fields, empty, of one paragraph, of two, of a list, of an author's
// initial ("E. Xampl"), then text. readme_renderer renders each as the PyPI stand-in runs it; the
// check must refuse none that docutils renders, and miss few of its refusals (the shapes this reading
// leaves unjudged: a field body docutils reads as another element, a title it does not promote).
// RST_DOCINFO_SEED=N searches further.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rstProblems } from '../../src/dists/rst.ts';
import { Rng } from '../../test/fuzz/rng.ts';
import { assertFewMisses, rendersOnPyPI } from '../../test/helpers/docutils.ts';

const SEED = Number(process.env['RST_DOCINFO_SEED'] ?? 20261207);
const COUNT = 1500;
/** The share of docutils' refusals the check may miss. */
const MAX_MISSED = 0.02;

const INVISIBLE = ['.. comment', '.. _target: https://e.com', '.. |sub| replace:: S', '.. contents::', '.. meta::\n   :keywords: a'];
const NAMES = [
  'Version',
  'Author',
  'Authors',
  'Date',
  'Copyright',
  'Status',
  'Abstract',
  'Dedication',
  'License',
  'Contact',
  'version',
  'Home page',
  'Address',
];
const BODIES = ['', ' 1.0', ' Jane Doe', ' - a', ' E. Xampl', ' a; b', ' 1.0\n\n   more', '\n   1.0', '\n\n   1.0', ' - a\n   - b', ' *x*', ' 1.0\n   more'];

function title(r: Rng, text: string, underline: string): string {
  const rule = underline.repeat(text.length + r.int(2));
  return r.int(4) === 0 ? `${rule}\n${text}\n${rule}\n` : `${text}\n${rule}\n`;
}

function opening(r: Rng): string {
  const parts: string[] = [];
  const invisible = () => {
    if (r.int(3) === 0) parts.push(`${r.pick(INVISIBLE)}\n`);
  };
  invisible();
  if (r.int(4) > 0) parts.push(title(r, 'Project', '='));
  invisible();
  if (r.int(3) === 0) parts.push(title(r, 'Subtitle', '-'));
  invisible();
  if (r.int(6) === 0) parts.push('Intro text.\n');
  const fields = Array.from({ length: 1 + r.int(3) }, () => `:${r.pick(NAMES)}:${r.pick(BODIES)}`);
  parts.push(`${fields.join('\n')}\n`);
  parts.push('Text.\n');
  if (r.int(3) === 0) parts.push(title(r, 'Usage', r.pick(['=', '-'])), 'More.\n');
  return parts.join('\n');
}

describe('bibliographic fields against docutils', () => {
  const r = new Rng(SEED);
  const all = Array.from({ length: COUNT }, () => opening(r));
  const rendered = rendersOnPyPI(all);

  it(`refuses none of ${COUNT} openings docutils renders, and nearly all it refuses`, () => {
    assertFewMisses(all, rendered, MAX_MISSED, { refused: 1 / 5, rendered: 1 / 5 });
  });

  it('words what docutils says', () => {
    assert.deepEqual(rstProblems('Project\n=======\n\n:Version:\n:Date: today\n\nText.\n'), ['line 4: Cannot extract empty bibliographic field "Version".']);
    assert.deepEqual(rstProblems('Project\n=======\n\nIntro.\n\n:Version:\n\nText.\n'), []);
  });
});
