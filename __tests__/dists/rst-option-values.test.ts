// src/dists/rst-option-values.ts against docutils itself: every option of the directives a README
// uses (images, figures, code, tables, admonitions, contents …), each given values around what
// docutils' conversion functions take and refuse (lengths with and without units, percentages,
// choices, integers as Python's int() reads them, class names nodes.make_id can and cannot make,
// width lists, single characters and Unicode codes). readme_renderer renders each text as the PyPI
// stand-in runs it, and the pre-flight's verdict must be docutils' for every one. Left out, as the
// check does not claim them: a table's dimensions against its data (a width list or header rows that
// parse but do not fit), an option without a value where docutils fails with an exception, a
// superscript digit, an embedded image, and a quote or escape character that is the delimiter.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import directiveData from '../../src/dists/data/rst-directives.json' with { type: 'json' };
import { pyInt } from '../../src/dists/python-int.ts';
import { rstProblems } from '../../src/dists/rst.ts';
import { assertSameVerdicts, rendersOnPyPI } from '../../test/helpers/docutils.ts';

/** Each directive's argument and content in a text docutils renders without options. */
const BASES: Record<string, [string, string]> = {
  image: ['a.png', ''],
  figure: ['a.png', 'cap'],
  code: ['python', 'x = 1'],
  'code-block': ['python', 'x = 1'],
  'csv-table': ['T', 'a, b'],
  'list-table': ['T', '* - a\n     - b\n   * - c\n     - d'],
  table: ['T', '===  ===\n   a    b\n   c    d\n   ===  ==='],
  contents: ['', ''],
  note: ['', 'body'],
  admonition: ['Title', 'body'],
  container: ['', 'body'],
  topic: ['T', 'body'],
  sidebar: ['T', 'body'],
  'parsed-literal': ['', 'x'],
  math: ['', 'x^2'],
  rubric: ['R', ''],
  compound: ['', 'body'],
  'line-block': ['', 'x'],
  sectnum: ['', ''],
  epigraph: ['', 'body'],
};
const VALUES = [
  '',
  '100',
  '100px',
  '100 px',
  '100 pixels',
  'auto',
  'grid',
  '50%',
  '50 %',
  '50%%',
  '-1',
  '0',
  '1.5',
  '1.2.3',
  '.5',
  '1.',
  '.',
  'PX',
  '2PX',
  '1e3',
  'half',
  'lazy',
  'LAZY',
  ' top',
  'x',
  '123',
  'a b',
  'a 1b',
  'Ærø',
  'ß',
  '日本',
  '1, 2',
  '1,2',
  '1,,2',
  '1 2',
  '0 1',
  'tab',
  'space',
  ';',
  '0x41',
  'U+1F600',
  'x110000',
  '&#x41;',
  '1114112',
  'ab',
  'é',
  'None',
  'image',
  'IMAGE',
  '\u0663',
  '\u0663\u0665',
  'entry',
  'top',
  'none',
  'link',
  '1_0',
  '3Q',
  '2 vmin',
  '-0',
  'left',
  'Center',
  'middle',
];
/** Options whose values are not the conversion's to judge: names, paths, URIs, text. */
const TEXT_OPTIONS = new Set(['file', 'url', 'encoding', 'header', 'name', 'target', 'alt', 'title', 'subtitle']);
const specs = directiveData.directives as Record<string, { options: Record<string, string> }>;

/** Whether a value falls in what the check leaves to docutils (see the top of this file). */
function unclaimed(option: string, kind: string, value: string): boolean {
  const fitsNoTable = ['widths', 'header-rows', 'stub-columns'].includes(option) && value.split(/[ ,]+/).some((v) => (pyInt(v) ?? 0) > 0);
  const fails = value === '' && ['figwidth', 'char', 'char_or_whitespace'].includes(kind);
  return fitsNoTable || fails;
}

function texts(): string[] {
  const out: string[] = [];
  for (const [directive, [argument, content]] of Object.entries(BASES)) {
    const text = (options: string) => `.. ${directive}::${argument ? ` ${argument}` : ''}\n${options}${content ? `\n   ${content}\n` : ''}\nText.\n`;
    out.push(text(''));
    for (const [option, kind] of Object.entries((specs[directive] as { options: Record<string, string> }).options)) {
      if (TEXT_OPTIONS.has(option)) continue;
      for (const value of VALUES) if (!unclaimed(option, kind, value)) out.push(text(`   :${option}:${value ? ` ${value}` : ''}\n`));
    }
  }
  return out;
}

describe('directive option values against docutils', () => {
  const all = texts();
  const rendered = rendersOnPyPI(all);

  it(`gives docutils' verdict on each of ${all.length} texts`, () => assertSameVerdicts(all, rendered));

  it('words what docutils says', () => {
    assert.deepEqual(rstProblems('.. image:: a.png\n   :width: 100 pixels\n'), [
      'line 1: Error in "image" directive: invalid option value: (option: "width"; value: \'100 pixels\') not a positive number or measure of one of the following units:\nem, ex, ch, rem, vw, vh, vmin, vmax, cm, mm, Q, in, pt, pc, px, %.',
    ]);
    assert.deepEqual(rstProblems('.. image:: a.png\n   :width: 1.2.3\n'), [
      'line 1: Error in "image" directive: invalid option value: (option: "width"; value: \'1.2.3\') "1.2.3" is no valid measure..',
    ]);
    assert.deepEqual(rstProblems('.. image:: a.png\n   :scale: half\n'), [
      'line 1: Error in "image" directive: invalid option value: (option: "scale"; value: \'half\') invalid literal for int() with base 10: \'half\'.',
    ]);
    assert.deepEqual(rstProblems('.. code:: python\n   :class: 123\n\n   x\n'), [
      'line 1: Error in "code" directive: invalid option value: (option: "class"; value: \'123\') cannot make "123" into a class name.',
    ]);
  });
});
