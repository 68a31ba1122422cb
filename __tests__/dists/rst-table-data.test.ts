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
import { Rng } from '../../test/fuzz/rng.ts';
import { assertFewMisses, rendersOnPyPI } from '../../test/helpers/docutils.ts';

const SEED = Number(process.env['RST_TABLES_SEED'] ?? 20261207);
const COUNT = 1500;
/** The share of docutils' refusals the check may miss: the shapes it leaves unread. */
const MAX_MISSED = 0.02;
function listTableContent(r: Rng): string[] {
  const lines: string[] = [];
  const rows = 1 + r.int(4);
  const columns = 1 + r.int(3);
  const rowBullet = r.pick(['*', '*', '-', '+']);
  const cellBullet = r.pick(['-', '-', '*', '+']);
  if (r.int(12) === 0) lines.push(r.pick(['text', '.. comment', '1. a']), '');
  for (let row = 0; row < rows; row++) {
    const cells = r.int(6) === 0 ? columns + r.pick([-1, 1]) : columns;
    for (let cell = 0; cell < Math.max(cells, 1); cell++) {
      const marker = cell === 0 ? `${rowBullet} ` : '  ';
      const text = r.pick(['a', 'b c', '', '``x``', '- nested']);
      if (cell === 0 && r.int(15) === 0) lines.push(rowBullet, `  ${cellBullet} ${text}`.trimEnd());
      else if (cell === 0 && r.int(20) === 0) lines.push(`${marker}${r.pick(['plain', '1. a', cellBullet === '-' ? '+ a' : '- a'])}`);
      else lines.push(`${marker}${cell > 0 && r.int(25) === 0 ? r.pick(['x', ' - y', '= b']) : `${cellBullet} ${text}`.trimEnd()}`);
      if (r.int(5) === 0) lines.push(`    ${r.pick(['more', '- inner', ''])}`.trimEnd());
      if (r.int(8) === 0) lines.push('');
    }
    if (r.int(4) === 0) lines.push('');
  }
  if (r.int(12) === 0) lines.push('', r.pick(['after', '.. comment']));
  return lines;
}

function csvContent(r: Rng): string[] {
  const lines: string[] = [];
  const columns = 1 + r.int(3);
  for (let row = 0, rows = 1 + r.int(4); row < rows; row++) {
    const cells = r.int(5) === 0 ? Math.max(1, columns + r.pick([-1, 1])) : columns;
    lines.push(Array.from({ length: cells }, () => r.pick(['a', ' b', 'c d', '"q, r"', ''])).join(','));
    if (r.int(10) === 0) lines.push('');
  }
  return lines;
}

function options(r: Rng): string[] {
  const out: string[] = [];
  if (r.int(2) === 0) out.push(`:header-rows: ${r.int(4)}`);
  if (r.int(3) === 0) out.push(`:stub-columns: ${r.int(4)}`);
  if (r.int(3) === 0) out.push(`:widths: ${r.pick(['auto', '1', '1 2', '1,2,3', '10 20 30 40'])}`);
  return out;
}

function texts(): string[] {
  const r = new Rng(SEED);
  return Array.from({ length: COUNT }, () => {
    const csv = r.int(3) === 0;
    const content = csv ? csvContent(r) : listTableContent(r);
    const header = csv && r.int(4) === 0 ? [`:header: ${r.pick(['x', 'x, y', 'x, y, z'])}`] : [];
    const block = [...options(r), ...header].map((o) => `   ${o}`);
    return `.. ${csv ? 'csv-table' : 'list-table'}:: T\n${block.join('\n')}${block.length ? '\n' : ''}\n${content.map((l) => (l ? `   ${l}` : '')).join('\n')}\n\nText.\n`;
  });
}

describe('list tables and CSV tables against docutils', () => {
  const all = texts();
  const rendered = rendersOnPyPI(all);

  it(`refuses none of ${COUNT} tables that docutils renders, and nearly all it refuses`, () => {
    assertFewMisses(all, rendered, MAX_MISSED, { refused: 1 / 4, rendered: 1 / 4 });
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
