// `npm run demo` is one of the README's two commands: it must publish and verify on a fresh world.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

test('the demo publishes the sample dists and PyPI\'s verifier accepts their provenance', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [resolve(import.meta.dirname, '../../scripts/demo.ts')], { timeout: 120_000 });
  assert.match(stdout, /Summary: 2 uploaded/);
  assert.match(stdout, /\| `sampleproject-1\.0\.0\.tar\.gz` \| ✅ uploaded \|/);
  assert.equal(stdout.match(/"predicate_type": "https:\/\/docs\.pypi\.org\/attestations\/publish\/v1"/g)?.length, 2);
  assert.doesNotMatch(stdout, /::add-mask::/);
});
