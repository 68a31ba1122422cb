// src/io/young-generation.ts: with it imported first, a run that allocates fast keeps V8's young
// generation at its first size instead of letting it grow to tens of MB (peak RSS, issue #21).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

const MODULE = resolve(import.meta.dirname, '../../src/io/young-generation.ts');
// Churns short- and middle-lived objects as signing many dists does, then prints new space's size in MB.
const churn = (preload: string) => `${preload}
const { getHeapSpaceStatistics } = await import('node:v8');
let keep = [];
for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 20000) keep = []; }
console.log(getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576);`;
const newSpaceMB = (preload: string) => Number(execFileSync(process.execPath, ['--input-type=module', '-e', churn(preload)], { encoding: 'utf8' }).trim());

// With the module, new space is 2 MB in most runs and 7–7.5 MB in a few (V8 still resizes it once
// now and then); without it, 32–64 MB. The bounds sit between the two.
describe('the young generation', () => {
  it('stays small once the module is loaded', () => {
    const mb = newSpaceMB(`await import(${JSON.stringify(MODULE)});`);
    assert.ok(mb <= 8, `new space ${mb} MB`);
  });
  it('grows without it (what the module prevents)', () => {
    const mb = newSpaceMB('');
    assert.ok(mb >= 16, `new space ${mb} MB`);
  });
});
