// The data the pre-flight's rules read (src/dists/data/*.json: trove classifiers, SPDX identifiers,
// the Unicode widths docutils' tables count)
// is generated from the packages warehouse pins; the committed files must be what those pins yield.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import classifiers from '../../src/dists/data/trove-classifiers.json' with { type: 'json' };
import spdx from '../../src/dists/data/spdx.json' with { type: 'json' };
import widths from '../../src/dists/data/unicode-widths.json' with { type: 'json' };

const repo = join(import.meta.dirname, '..', '..');

test('src/dists/data equals what scripts/gen-dist-data.py makes from the pinned packages', () => {
  const r = spawnSync(join(repo, '.venv', 'bin', 'python'), [join(repo, 'scripts', 'gen-dist-data.py'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(classifiers.source, /^trove-classifiers /);
  assert.match(spdx.source, /^packaging 26\.2 /);
  assert.ok(classifiers.all.length > 800 && spdx.licenses['mit'] === 'MIT' && spdx.exceptions['llvm-exception'] === 'LLVM-exception');
  // 日 (U+65E5) is wide; U+0301 (a combining acute accent) is dropped from a table's columns.
  assert.ok(widths.wide.some(([a, b]) => (a as number) <= 0x65e5 && 0x65e5 <= (b as number)));
  assert.ok(widths.combining.some(([a, b]) => (a as number) <= 0x301 && 0x301 <= (b as number)));
});
