// src/dists/rst.ts against docutils on seeded random documents (test/fuzz/rst-documents.ts) in every
// mode: tables, lists, references, directives, titles and nesting. docutils renders them as the PyPI
// stand-in does (warehouse's readme_renderer and docutils pins); the check must refuse none that
// docutils renders. A random differential of 168,000 such documents found the false refusals the
// fixtures now hold; this keeps a sample of that search in CI. RST_RANDOM_SEED=N (and RST_RANDOM_PER_MODE)
// search further. Random runs of enumerated lines (test/fuzz/rst-enumerations.ts) judge the reading of
// letters and Roman numerals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rstProblems } from '../../src/dists/rst.ts';
import { MODES, randomRstDocuments } from '../../test/fuzz/rst-documents.ts';
import { randomEnumerations } from '../../test/fuzz/rst-enumerations.ts';
import { assertFewMisses, falseRefusals, rendersOnPyPI } from '../../test/helpers/docutils.ts';

const PER_MODE = Number(process.env['RST_RANDOM_PER_MODE'] ?? 300);
const SEED = Number(process.env['RST_RANDOM_SEED'] ?? 20261205);
const ENUMERATIONS = 1500;
/** The share of docutils' refusals of enumerated lists the check may miss (two fifths when it read only arabic lists; 7 % since). */
const MAX_MISSED = 0.12;

describe('the reStructuredText check on random documents', () => {
  const texts = MODES.flatMap((mode, i) => randomRstDocuments(SEED + i, PER_MODE, mode));
  const rendered = rendersOnPyPI(texts);

  it(`refuses none of ${MODES.length * PER_MODE} documents docutils renders`, () => {
    assert.deepEqual(falseRefusals(texts, rendered), []);
    assert.ok(rendered.filter(Boolean).length >= texts.length / 10, 'enough documents render to judge the check');
    assert.ok(rendered.filter((r) => !r).length >= texts.length / 10, 'enough documents fail to tell the check apart');
  });
});

describe('the reStructuredText check on random enumerated lists', () => {
  const texts = randomEnumerations(SEED, ENUMERATIONS);
  const rendered = rendersOnPyPI(texts);

  it(`refuses none of ${ENUMERATIONS} that docutils renders, and nearly all it refuses`, () => {
    assertFewMisses(texts, rendered, MAX_MISSED, { refused: 1 / 2, rendered: 0 });
  });
});
