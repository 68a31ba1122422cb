// A spread into a call's arguments puts every element on the stack: with an array whose length comes
// from a file (130,000 problems, member names) it overflows it and the run ends without its report.
// None is allowed in src/ (an array literal's or an object's spread is not a call and is fine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '../../src');
// An identifier or `)` / `]` directly before `(`, then arguments up to a `...`, all on one line.
const CALL_SPREAD = /[\w$)\]]\s*\((?:[^()[\]{}'"`]*,\s*)?\.\.\.(?!\s*\])/;

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(p)));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('no spread of an array into call arguments anywhere in src/', async () => {
  const found: string[] = [];
  for (const file of await sources(SRC)) {
    (await readFile(file, 'utf8')).split('\n').forEach((line, i) => {
      if (!line.trimStart().startsWith('//') && CALL_SPREAD.test(line)) found.push(`${file.slice(SRC.length + 1)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, []);
});

test('the rule sees the spreads that overflowed', () => {
  for (const bad of ['problems.push(...checkDist(d));', 'Math.max(8, ...files.map((f) => f.n))', 'String.fromCharCode(...bytes)'])
    assert.match(bad, CALL_SPREAD);
  for (const fine of ['const all = [...a, ...b];', 'f({ ...opts, x: 1 })', 'fail(`${a}...`)']) assert.doesNotMatch(fine, CALL_SPREAD);
});
