// src/io/heap-growth.ts: with it imported first, a run that allocates fast keeps V8's young
// generation at its first size, and collects old garbage before the old generation has grown to
// several times what is alive (peak RSS, issue #21).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

const MODULE = resolve(import.meta.dirname, '../../src/io/heap-growth.ts');
const PRELOAD = `await import(${JSON.stringify(MODULE)});`;

/** Runs `body` after `preload` in a fresh node and returns the number it prints. */
const measure = (preload: string, body: string) =>
  Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', `${preload}\nconst v8 = await import('node:v8');\n${body}`], { encoding: 'utf8' }).trim(),
  );
const spaceMB = (name: string) => `v8.getHeapSpaceStatistics().find((s) => s.space_name === '${name}').space_size / 1048576`;

// Short-lived objects only: new space's size in MB at the end.
const newSpaceMB = (preload: string) =>
  measure(
    preload,
    `let keep = [];
for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 20000) keep = []; }
console.log(${spaceMB('new_space')});`,
  );

// Middle-lived objects, as dists in flight are: a window of them survives scavenges, is promoted to
// the old generation, then dies. Prints the largest old space seen, in MB.
const oldSpacePeakMB = (preload: string) =>
  measure(
    preload,
    `let peak = 0;
let window = [];
for (let i = 0; i < 3e6; i++) {
  window.push({ i, s: 'dist-' + i, b: [i, i + 1] });
  if (window.length > 100000) window = window.slice(50000);
  if (i % 20000 === 0) peak = Math.max(peak, ${spaceMB('old_space')});
}
console.log(peak);`,
  );

// With the module, new space is 2 MB in most runs and 7–8.5 MB in a few (V8 still resizes it once
// now and then, more on a loaded machine); without it, 32–64 MB. The bounds sit between the two.
describe('the young generation', () => {
  it('stays small once the module is loaded', () => {
    const mb = newSpaceMB(PRELOAD);
    assert.ok(mb <= 12, `new space ${mb} MB`);
  });
  it('grows without it (what the module prevents)', () => {
    const mb = newSpaceMB('');
    assert.ok(mb >= 16, `new space ${mb} MB`);
  });
});

// Old space's peak for this work: 42–46 MB with the module (10 runs), 100–145 MB without it (6 runs).
describe('the old generation', () => {
  it('is collected before it grows far past what is alive once the module is loaded', () => {
    const mb = oldSpacePeakMB(PRELOAD);
    assert.ok(mb <= 64, `old space peaked at ${mb} MB`);
  });
  it('grows much further without it (what the module prevents)', () => {
    const mb = oldSpacePeakMB('');
    assert.ok(mb >= 75, `old space peaked at ${mb} MB`);
  });
});
