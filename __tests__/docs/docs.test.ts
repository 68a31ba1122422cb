// docs/checks.md is the reference of the pre-flight: each row of its tables names the code its check
// reports. A row is tied to its test: the code is asserted by a test under __tests__ (most by the
// cases of __tests__/dists/bad-inputs.test.ts, each also run through the built action by
// __tests__/e2e/bad-inputs.test.ts), and every case there has its row, so the two cannot drift apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const CHECKS = readFileSync(join(ROOT, 'docs/checks.md'), 'utf8');
const CASES = readFileSync(join(ROOT, '__tests__/dists/bad-inputs.test.ts'), 'utf8');

function testSources(dir = join(ROOT, '__tests__')): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? testSources(join(dir, e.name)) : e.name.endsWith('.ts') ? readFileSync(join(dir, e.name), 'utf8') : ''))
    .join('\n');
}

/** The rows of the check tables (not "Not checked"), each with the codes its first cell names. */
function checkRows(): Array<{ row: string; codes: string[] }> {
  const tables = CHECKS.slice(0, CHECKS.indexOf('\n## Not checked'));
  return tables
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| ---') && !/^\| (Check|\*\*)/.test(l))
    .map((row) => ({ row, codes: [...(row.split(' | ')[0] ?? '').matchAll(/`([a-z][a-z0-9*]*(?:-[a-z0-9*]+)*)`/g)].map((m) => m[1] as string) }));
}

test('every check in docs/checks.md names a code that a test asserts', () => {
  const sources = testSources();
  const rows = checkRows();
  assert.ok(rows.length >= 60, `${rows.length} rows`);
  for (const { row, codes } of rows) {
    // An input row names the input (`repository-url`, …), which the e2e bad-inputs cases set.
    assert.ok(codes.length > 0, `a row names no code or input: ${row.slice(0, 80)}`);
    for (const code of codes) {
      // A code as a string in a test; an input also as a key of a test's inputs (`user: …`).
      const asserted = code.endsWith('*')
        ? new RegExp(`'${code.slice(0, -1)}[a-z-]+'`).test(sources)
        : sources.includes(`'${code}'`) || sources.includes(`\n    ${code}: `) || sources.includes(`{ ${code}: `);
      assert.ok(asserted, `no test asserts ${code} (row: ${row.slice(0, 80)})`);
    }
  }
});

test('every case of __tests__/dists/bad-inputs.test.ts has its row in docs/checks.md', () => {
  const documented = new Set(checkRows().flatMap((r) => r.codes));
  const codes = new Set([...CASES.matchAll(/code: '([a-z0-9-]+)'/g)].map((m) => m[1] as string));
  assert.ok(codes.size >= 40, `${codes.size} codes`);
  for (const code of codes)
    assert.ok(documented.has(code) || [...documented].some((d) => d.endsWith('*') && code.startsWith(d.slice(0, -1))), `${code} has no row in docs/checks.md`);
});
