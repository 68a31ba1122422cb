// src/dists/data/idna.json (the UTS #46 table and IDNA 2008 classes the e-mail check reads) must be
// what scripts/gen-idna-data.py makes from the idna package warehouse pins.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import idna from '../../src/dists/data/idna.json' with { type: 'json' };

const repo = join(import.meta.dirname, '..', '..');

test('src/dists/data/idna.json equals what scripts/gen-idna-data.py makes from the pinned idna', () => {
  const r = spawnSync(join(repo, '.venv', 'bin', 'python'), [join(repo, 'scripts', 'gen-idna-data.py'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(idna.source, /^idna 3\./);
  // "A" (U+0041) is mapped to "a"; U+FFFD is disallowed.
  assert.equal(idna.uts46.statuses[0x41], 'M');
  assert.equal(idna.uts46.replacements['65'], 'a');
  assert.equal(idna.uts46.statuses[idna.uts46.starts.findLastIndex((s) => s <= 0xfffd)], 'X');
});
