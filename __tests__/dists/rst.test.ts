// src/dists/rst.ts against docutils itself: each text of test/fixtures/rst-texts.json is rendered by
// readme_renderer as the PyPI stand-in runs it (warehouse's readme.render; docutils fails the upload
// on any warning), and the pre-flight's verdict must match it. The check follows docutils for titles,
// transitions, blocks and lists that end without a blank line, directive and role names, and inline
// markup, references, targets and substitutions in the text blocks it is sure docutils parses, so a
// few texts docutils refuses for other reasons are accepted here (KNOWN_MISSES); refusing a text
// docutils renders would refuse a release PyPI accepts, and never happens. The near misses (`2 * 3`,
// `snake_case_`, `**kwargs` in a literal, a reference to a title or to a target defined later or in
// an admonition) are there for that.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rstProblems } from '../../src/dists/rst.ts';
import { rendersOnPyPI } from '../../test/helpers/docutils.ts';

const repo = join(import.meta.dirname, '..', '..');

// [name, text]: what docutils renders, and what it refuses for each reason this check follows or not.
const TEXTS = JSON.parse(readFileSync(join(repo, 'test', 'fixtures', 'rst-texts.json'), 'utf8')) as Array<[string, string]>;

/** Refused by docutils for what this check does not follow (NOT_CHECKED in src/dists/rules.ts). */
const KNOWN_MISSES = [
  'simple table cell adorn',
  'v role defined later',
  'p5 explicit',
  'en def body',
  // Two phrases that each name a target after themselves: which one holds the name is not followed.
  'alias to itself, twice',
  // Two phrases that name one target for two URIs: which one holds the name is not followed.
  'two phrases to two URIs',
  // An internal target docutils moves onto the target right after it: not followed here, so a text
  // of only such targets is not known to render nothing.
  'internal target as an alias',
  'internal target before a title',
];

describe('the reStructuredText check against docutils', () => {
  const rendered = rendersOnPyPI(TEXTS.map(([, t]) => t));

  it('never refuses a text docutils renders', () => {
    const refused = TEXTS.filter(([, text], i) => rendered[i] && rstProblems(text).length > 0).map(([name, text]) => `${name}: ${rstProblems(text).join(' ')}`);
    assert.deepEqual(refused, []);
  });

  it('refuses every text docutils refuses, but the known misses', () => {
    const missed = TEXTS.filter(([, text], i) => !rendered[i] && rstProblems(text).length === 0).map(([name]) => name);
    assert.deepEqual([...missed].sort(), [...KNOWN_MISSES].sort());
    assert.ok(rendered.filter((r) => !r).length >= 40, 'most texts are refusals worth telling apart');
  });

  it('words each problem as docutils does, with the line docutils names', () => {
    assert.deepEqual(rstProblems('html5lib\n        ========\n\n        text\n'), ['line 2: Unexpected section title or transition.']);
    assert.deepEqual(rstProblems('=====\n        toml\n        =====\n'), ['line 1: Missing matching underline for section title overline.']);
    assert.deepEqual(rstProblems('Long title\n====\n'), ['line 2: Title underline too short.']);
    assert.deepEqual(rstProblems('text\n\n------\n'), ['line 3: Transition at the end of the document.']);
    assert.deepEqual(rstProblems('- a\n- b\ntext\n'), ['line 3: Bullet list ends without a blank line; unexpected unindent.']);
    assert.deepEqual(rstProblems('1. a\n2. b\ntext\n'), ['line 2: Enumerated list ends without a blank line; unexpected unindent.']);
    assert.deepEqual(rstProblems('1. a\n   more\n3. b\n'), ['line 3: Enumerated list ends without a blank line; unexpected unindent.']);
    assert.deepEqual(rstProblems('- item\n    indented\n  back\n'), ['line 3: Definition list ends without a blank line; unexpected unindent.']);
    assert.deepEqual(rstProblems(':f: para\n\n     quote\n   back\n'), ['line 4: Block quote ends without a blank line; unexpected unindent.']);
    assert.deepEqual(rstProblems('line1\nline2\n    indented\n'), ['line 3: Unexpected indentation.']);
    assert.deepEqual(rstProblems('  \n'), ['No content rendered from RST source.']);
    assert.deepEqual(rstProblems('.. image:: x.png\n        :target: y\n\n        text\n'), ['line 1: Error in "image" directive: no content permitted.']);
    assert.deepEqual(rstProblems('See :func:`f` and :py:class:`C`.\n\n.. toctree::\n.. raw:: html\n'), [
      'line 1: Unknown interpreted text role "func".',
      'line 1: Unknown interpreted text role "py:class".',
      'line 3: Unknown directive type "toctree".',
      'line 4: "raw" directive disabled.',
    ]);
    // docutils names the first line of the text block and the role as written.
    assert.deepEqual(rstProblems('Text\nthat calls :Func:`f`.\n'), ['line 1: Unknown interpreted text role "Func".']);
    assert.deepEqual(rstProblems('Links\n\n.. _here: https://a.example\n.. _here: https://b.example\n'), ['line 4: Duplicate explicit target name: "here".']);
    assert.deepEqual(rstProblems('An _`anchor` and another _`anchor`.\n'), ['line 1: Duplicate explicit target name: "anchor".']);
    assert.deepEqual(rstProblems('See foo_ and `The  Docs`_.\n\n- item link_\n'), [
      'line 1: Unknown target name: "foo".',
      'line 1: Unknown target name: "the docs".',
      'line 3: Unknown target name: "link".',
    ]);
    assert.deepEqual(rstProblems('This is *important.\n\nIt **is.\n\nRun ``make\n\nthe `name\n\na |sub\n\nan _`anchor\n'), [
      'line 1: Inline emphasis start-string without end-string.',
      'line 3: Inline strong start-string without end-string.',
      'line 5: Inline literal start-string without end-string.',
      'line 7: Inline interpreted text or phrase reference start-string without end-string.',
      'line 9: Inline substitution_reference start-string without end-string.',
      'line 11: Inline target start-string without end-string.',
    ]);
    assert.deepEqual(rstProblems('Version |release|.\n'), ['line 1: Undefined substitution referenced: "release".']);
    assert.deepEqual(rstProblems('See `this`__ and that__.\n\n__ https://a.example\n'), ['line 1: Anonymous hyperlink mismatch: 2 references but 1 targets.']);
    assert.deepEqual(rstProblems('Use :code:`x`_ and :code:`y`:emphasis:.\n'), [
      'line 1: Mismatch: both interpreted text role prefix and reference suffix.',
      'line 1: Multiple roles in interpreted text (both prefix and suffix present; only one allowed).',
    ]);
  });

  it('names where docutils finds no literal block, and a topic or a sidebar where it allows none', () => {
    // A directive's content loses its final blank lines, so the block is missed right under the paragraph.
    assert.deepEqual(rstProblems('.. note::\n\n   - Install::\n\n\ntext\n'), ['line 4: Literal block expected; none found.']);
    assert.deepEqual(rstProblems('- Install::\n\n\ntext\n'), ['line 4: Literal block expected; none found.']);
    assert.deepEqual(rstProblems('.. topic:: T\n\n   Install::\n\n\n'), ['line 4: Literal block expected; none found.']);
    assert.deepEqual(rstProblems('- a\n\n  .. topic:: T\n\n     x\n'), ['line 3: The "topic" directive may not be used within topics or body elements.']);
    assert.deepEqual(rstProblems('.. sidebar:: S\n\n   .. sidebar:: T\n\n      x\n'), [
      'line 3: The "sidebar" directive may not be used within a sidebar element.',
    ]);
    assert.deepEqual(rstProblems('.. sidebar:: S\n\n   .. topic:: T\n\n      x\n'), []);
  });

  it('names a directive left without its content or arguments as docutils does, as written', () => {
    assert.deepEqual(rstProblems('.. code:: python\n\nx = 1\n'), ['line 1: Content block expected for the "code" directive; none found.']);
    assert.deepEqual(rstProblems('.. Note::\nThis is a note.\n'), [
      'line 1: Content block expected for the "Note" directive; none found.',
      'line 2: Explicit markup ends without a blank line; unexpected unindent.',
    ]);
    assert.deepEqual(rstProblems('.. topic::\n\ntext\n'), ['line 1: Error in "topic" directive: 1 argument(s) required, 0 supplied.']);
    assert.deepEqual(rstProblems('.. code:: python extra\n'), ['line 1: Error in "code" directive: maximum 1 argument(s) allowed, 2 supplied.']);
    assert.deepEqual(rstProblems('.. TocTree::\n'), ['line 1: Unknown directive type "TocTree".']);
    assert.deepEqual(rstProblems('.. note:: inline\n\ntext\n'), []);
    // A meta directive's content is a field list and nothing else; an attribute error is named where docutils has read to.
    assert.deepEqual(rstProblems('.. meta::\n   :keywords: a\n   text\n\nText.\n'), ['line 1: Invalid meta directive.']);
    assert.deepEqual(rstProblems('Text.\n\n.. meta::\n   :keywords lang: a\n\nMore.\n'), ['line 5: Error parsing meta tag attribute "lang": missing "=".']);
    assert.deepEqual(rstProblems('.. meta::\n   :keywords: a\n'), ['No content rendered from RST source.']);
  });

  // A run of list items or explicit markup asks whether its list started a block once per item: each
  // answer is its first item's, found once (it took ~100 s for 50,000 lines while each walked back).
  it('reads a text of 50,000 lines of one run in one pass', () => {
    assert.deepEqual(rstProblems(`${'.. _a: https://example.org\n'.repeat(50_000)}text\n`), [
      'line 50001: Explicit markup ends without a blank line; unexpected unindent.',
    ]);
    assert.deepEqual(rstProblems(`${'- item\n'.repeat(50_000)}text\n`), ['line 50001: Bullet list ends without a blank line; unexpected unindent.']);
  });

  // docutils searches for each start-string's end-string through the rest of its paragraph, which is
  // quadratic in a paragraph of start-strings without end-strings: the check finds each end-string's
  // places once per paragraph. A quadratic reading of these ~1 MB texts would take minutes.
  it('reads ~1 MB of inline markup without end-strings in linear time', { timeout: 30_000 }, () => {
    const emphasis = rstProblems('*a '.repeat(333_333));
    assert.equal(emphasis.length, 333_333);
    assert.equal(emphasis[0], 'line 1: Inline emphasis start-string without end-string.');
    assert.equal(rstProblems('`a '.repeat(333_333)).length, 333_333);
    assert.equal(rstProblems('``a '.repeat(250_000)).length, 250_000);
    assert.equal(rstProblems('|a '.repeat(333_333)).length, 333_333);
    assert.deepEqual(rstProblems('` '.repeat(500_000)), []);
    assert.deepEqual(rstProblems(`${'a-'.repeat(500_000)}b_`), [`line 1: Unknown target name: "${'a-'.repeat(500_000)}b".`]);
    assert.deepEqual(rstProblems(`${'\n\n'.repeat(5)}${'a_ '.repeat(333_333)}\n\n.. _a: https://example.org\n`), []);
    assert.deepEqual(rstProblems(`${'x__\n\n'.repeat(25_000)}${'__ https://example.org\n'.repeat(25_000)}`), []);
    assert.equal(rstProblems('*a b\n'.repeat(50_000)).length, 50_000);
  });
});
