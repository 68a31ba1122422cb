// src/dists/rst-table-data.ts against docutils itself, on seeded random list tables and CSV tables:
// rows of uneven length, cells over several lines or holding lists of their own, blank lines between
// rows and cells, other bullets, text or comments before, between and after the rows, rows whose
// cells start on the next line, quoted CSV cells and blank CSV lines, with random header rows, stub
// columns and width lists. readme_renderer renders each text as the PyPI stand-in runs it; the check
// must refuse none that docutils renders, and miss only the shapes it leaves unread (a row that a
// less indented line ends early, or a cell whose own content docutils refuses).
// RST_TABLES_SEED=N searches further.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rstProblems } from '../../src/dists/rst.ts';
import { falseRefusals, rendersOnPyPI } from '../../test/helpers/docutils.ts';

const SEED = Number(process.env['RST_TABLES_SEED'] ?? 20261207);
const COUNT = 1500;
/** The share of docutils' refusals the check may miss: the shapes it leaves unread. */
const MAX_MISSED = 0.02;
/** A small seeded generator (mulberry32). */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const pick = <T>(r: (n: number) => number, items: readonly T[]): T => items[r(items.length)] as T;

function listTableContent(r: (n: number) => number): string[] {
  const lines: string[] = [];
  const rows = 1 + r(4);
  const columns = 1 + r(3);
  const rowBullet = pick(r, ['*', '*', '-', '+']);
  const cellBullet = pick(r, ['-', '-', '*', '+']);
  if (r(12) === 0) lines.push(pick(r, ['text', '.. comment', '1. a']), '');
  for (let row = 0; row < rows; row++) {
    const cells = r(6) === 0 ? columns + pick(r, [-1, 1]) : columns;
    for (let cell = 0; cell < Math.max(cells, 1); cell++) {
      const marker = cell === 0 ? `${rowBullet} ` : '  ';
      const text = pick(r, ['a', 'b c', '', '``x``', '- nested']);
      if (cell === 0 && r(15) === 0) lines.push(rowBullet, `  ${cellBullet} ${text}`.trimEnd());
      else if (cell === 0 && r(20) === 0) lines.push(`${marker}${pick(r, ['plain', '1. a', cellBullet === '-' ? '+ a' : '- a'])}`);
      else lines.push(`${marker}${cell > 0 && r(25) === 0 ? pick(r, ['x', ' - y', '= b']) : `${cellBullet} ${text}`.trimEnd()}`);
      if (r(5) === 0) lines.push(`    ${pick(r, ['more', '- inner', ''])}`.trimEnd());
      if (r(8) === 0) lines.push('');
    }
    if (r(4) === 0) lines.push('');
  }
  if (r(12) === 0) lines.push('', pick(r, ['after', '.. comment']));
  return lines;
}

function csvContent(r: (n: number) => number): string[] {
  const lines: string[] = [];
  const columns = 1 + r(3);
  for (let row = 0, rows = 1 + r(4); row < rows; row++) {
    const cells = r(5) === 0 ? Math.max(1, columns + pick(r, [-1, 1])) : columns;
    lines.push(Array.from({ length: cells }, () => pick(r, ['a', ' b', 'c d', '"q, r"', ''])).join(','));
    if (r(10) === 0) lines.push('');
  }
  return lines;
}

function options(r: (n: number) => number): string[] {
  const out: string[] = [];
  if (r(2) === 0) out.push(`:header-rows: ${r(4)}`);
  if (r(3) === 0) out.push(`:stub-columns: ${r(4)}`);
  if (r(3) === 0) out.push(`:widths: ${pick(r, ['auto', '1', '1 2', '1,2,3', '10 20 30 40'])}`);
  return out;
}

function texts(): string[] {
  const r = rng(SEED);
  return Array.from({ length: COUNT }, () => {
    const csv = r(3) === 0;
    const content = csv ? csvContent(r) : listTableContent(r);
    const header = csv && r(4) === 0 ? [`:header: ${pick(r, ['x', 'x, y', 'x, y, z'])}`] : [];
    const block = [...options(r), ...header].map((o) => `   ${o}`);
    return `.. ${csv ? 'csv-table' : 'list-table'}:: T\n${block.join('\n')}${block.length ? '\n' : ''}\n${content.map((l) => (l ? `   ${l}` : '')).join('\n')}\n\nText.\n`;
  });
}

describe('list tables and CSV tables against docutils', () => {
  const all = texts();
  const rendered = rendersOnPyPI(all);

  it(`refuses none of ${COUNT} tables that docutils renders, and nearly all it refuses`, () => {
    assert.deepEqual(falseRefusals(all, rendered), []);
    const failing = all.filter((_, i) => !rendered[i]);
    const missed = failing.filter((text) => rstProblems(text).length === 0);
    assert.ok(failing.length >= all.length / 4, 'enough tables fail to tell the check apart');
    assert.ok(rendered.filter(Boolean).length >= all.length / 4, 'enough tables render to catch a false refusal');
    assert.ok(
      missed.length <= failing.length * MAX_MISSED,
      `${missed.length} of ${failing.length} refusals missed, e.g. ${JSON.stringify(missed.slice(0, 3))}`,
    );
  });

  it('words what docutils says', () => {
    assert.deepEqual(rstProblems('.. list-table::\n\n   * - a\n     - b\n   * - c\n'), [
      'line 1: Error parsing content block for the "list-table" directive: uniform two-level bullet list expected, but row 2 does not contain the same number of items as row 1 (1 vs 2).',
    ]);
    assert.deepEqual(rstProblems('.. list-table::\n   :widths: 1 2 3\n\n   * - a\n     - b\n'), [
      'line 1: "list-table" widths do not match the number of columns in table (2).',
    ]);
    assert.deepEqual(rstProblems('.. csv-table::\n   :header-rows: 2\n\n   a, b\n'), [
      'line 1: 2 header row(s) specified but only 1 row(s) of data supplied ("csv-table" directive).',
    ]);
  });
});
