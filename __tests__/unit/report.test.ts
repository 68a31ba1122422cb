import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSummary, formatSize, countByStatus } from '../../src/report/summary.ts';
import { resultOutputs } from '../../src/report/outputs.ts';
import { reportResult } from '../../src/report/finish.ts';
import type { FileReport } from '../../src/report/types.ts';

const files: FileReport[] = [
  { filename: 'a-1.0-py3-none-any.whl', path: '/d/a-1.0-py3-none-any.whl', size: 2048, sha256: 'ab'.repeat(32), status: 'uploaded', url: 'https://pypi.org/project/a/1.0/#files', provenanceUrl: 'https://pypi.org/integrity/a/1.0/a-1.0-py3-none-any.whl/provenance', transparencyLogUrl: 'https://search.sigstore.dev/?logIndex=42', bundlePath: '/d/a.whl.sigstore.json', attestationPath: '/d/a.whl.publish.attestation' },
  { filename: 'a-1.0.tar.gz', path: '/d/a-1.0.tar.gz', size: 10, status: 'failed', reason: '400 bad | worse' },
];

test('summary has a row per file with status, size, digest and links', () => {
  const md = renderSummary('Published', files);
  assert.match(md, /\| `a-1\.0-py3-none-any\.whl` \| ✅ uploaded \| 2\.0 KiB \| `(ab){32}` \| \[file\]\(https:\/\/pypi\.org\/project\/a\/1\.0\/#files\) · \[provenance\]\(.*\) · \[Rekor\]\(https:\/\/search\.sigstore\.dev\/\?logIndex=42\) \|/);
  assert.match(md, /❌ failed: 400 bad \\\| worse/);
});

test('summary stays under GitHub\'s 1 MiB limit', () => {
  const many = Array.from({ length: 20_000 }, (_, i) => ({ ...files[0]!, filename: `pkg_${i}-1.0-py3-none-any.whl` }));
  const md = renderSummary('Published', many);
  assert.ok(Buffer.byteLength(md) < 1024 * 1024);
  assert.match(md, /more files: see the `results` output/);
});

test('outputs: JSON per file and sidecar path lists', () => {
  const out = resultOutputs(files);
  const results = JSON.parse(out['results']!);
  assert.equal(results.length, 2);
  assert.equal(results[0].status, 'uploaded');
  assert.equal(results[1].reason, '400 bad | worse');
  assert.equal(out['bundle-paths'], '/d/a.whl.sigstore.json');
  assert.equal(out['attestation-paths'], '/d/a.whl.publish.attestation');
  assert.equal(out['uploaded-count'], '1');
  assert.equal(out['all-published'], 'false');
  assert.deepEqual(countByStatus(files), { uploaded: 1, 'already-present': 0, skipped: 0, failed: 1, 'not-attempted': 0 });
  assert.equal(formatSize(5 * 1024 * 1024), '5.0 MiB');
});

test('the log and the summary name the index without a query, which may carry a token', async () => {
  const printed: string[] = [];
  const runtime = {
    log: { info: (m: string) => printed.push(m), debug: () => {}, notice: () => {}, warning: () => {}, error: () => {} },
    mask: () => {},
    appendSummary: async (md: string) => void printed.push(md),
    setOutput: (_: string, v: string) => void printed.push(v),
  };
  await reportResult({ files }, runtime, 'https://idx.example/legacy/?token=SECRET');
  assert.ok(printed.some((p) => p.includes('https://idx.example/legacy/')));
  assert.doesNotMatch(printed.join('\n'), /SECRET/);
});
