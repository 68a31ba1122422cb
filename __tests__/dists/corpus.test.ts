// Real dists from PyPI (test/corpus/list.txt, downloaded by test/corpus/fetch.sh): every file must
// pass preflight, but for those PyPI refuses today (REFUSED), and every core metadata field we read
// must equal what Python's packaging.metadata.parse_email reads from the same file.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inspectDist } from '../../src/dists/inspect.ts';
import { toRaw } from '../../src/dists/metadata.ts';
import { preflight } from '../../src/dists/preflight.ts';
import { REFUSED } from '../../test/corpus/refused.ts';

const repo = join(import.meta.dirname, '..', '..');
const corpus = join(repo, 'test', 'corpus');
const cache = join(corpus, '.cache');
const python = join(repo, '.venv', 'bin', 'python');

const expected = readFileSync(join(corpus, 'list.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#')).length;
const files = existsSync(cache)
  ? readdirSync(cache)
      .filter((f) => /\.(whl|tar\.gz|zip)$/.test(f))
      .sort()
  : [];

describe('real-dist corpus', () => {
  it('is downloaded', () => {
    assert.ok(
      files.length >= expected,
      `The corpus cache has ${files.length} of ${expected} dists. Run: bash test/corpus/fetch.sh (downloads test/corpus/list.txt into test/corpus/.cache)`,
    );
  });
  if (files.length < expected) return;

  const fromPython = JSON.parse(
    execFileSync(python, [join(corpus, 'read_metadata.py'), ...files.map((f) => join(cache, f))], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }),
  ) as Record<string, { raw: Record<string, unknown>; unparsed: Record<string, string[]> }>;

  it('covers core metadata 1.1 to 2.4, License-Expression and License-File', () => {
    const seen = files.map((f) => fromPython[f]?.raw);
    assert.deepEqual([...new Set(seen.map((r) => r?.['metadata_version']))].sort(), ['1.1', '1.2', '2.1', '2.2', '2.3', '2.4']);
    assert.ok(
      seen.some((r) => r?.['license_expression']),
      'a License-Expression',
    );
    assert.ok(
      seen.some((r) => r?.['license_files']),
      'a License-File',
    );
  });

  for (const f of files) {
    it(f, async () => {
      const r = await inspectDist(join(cache, f));
      assert.deepEqual(r.problems, [], 'inspect finds no problem');
      assert.ok(r.dist);
      const pre = preflight([r.dist], { verifyMetadata: true }).filter((p) => p.severity === 'error');
      assert.deepEqual(
        pre.map((p) => p.code),
        REFUSED[f] ? [REFUSED[f]] : [],
        'preflight finds no error but the one PyPI gives',
      );
      const { raw, unparsed } = toRaw(r.dist.metadata);
      const py = fromPython[f];
      assert.ok(py);
      const keys = new Set([...Object.keys(raw), ...Object.keys(py.raw)]);
      for (const k of keys) assert.deepEqual(raw[k], py.raw[k], `field ${k}`);
      assert.deepEqual(Object.fromEntries(unparsed), py.unparsed, 'unparsed fields');
    });
  }
});
