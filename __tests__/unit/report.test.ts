// The end-of-run report, in-process: the summary's headline, identity, table, digests, advice and
// verify commands; the log's outcome lines and single error; the outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSummary, formatSize, countByStatus, type SummaryInput } from '../../src/report/summary.ts';
import { resultOutputs } from '../../src/report/outputs.ts';
import { reportResult } from '../../src/report/finish.ts';
import { headline } from '../../src/report/outcome.ts';
import { signingReport, verifyCommands } from '../../src/report/signing.ts';
import { adviceForUpload } from '../../src/pypi/advice.ts';
import { guardRuntime } from '../../src/report/guarded-runtime.ts';
import { SecretScrubber } from '../../src/report/scrub.ts';
import type { FileReport } from '../../src/report/types.ts';

const WHEEL: FileReport = {
  filename: 'a-1.0-py3-none-any.whl',
  path: '/ws/dist/a-1.0-py3-none-any.whl',
  size: 2048,
  sha256: 'ab'.repeat(32),
  status: 'uploaded',
  url: 'https://pypi.org/project/a/1.0/#files',
  provenanceUrl: 'https://pypi.org/integrity/a/1.0/a-1.0-py3-none-any.whl/provenance',
  transparencyLogIndex: '42',
  transparencyLogUrl: 'https://search.sigstore.dev/?logIndex=42',
  bundlePath: '/ws/dist/a-1.0-py3-none-any.whl.sigstore.json',
  attestationPath: '/ws/dist/a-1.0-py3-none-any.whl.publish.attestation',
};
const SDIST: FileReport = {
  filename: 'a-1.0.tar.gz',
  path: '/ws/dist/a-1.0.tar.gz',
  size: 10,
  sha256: 'cd'.repeat(32),
  status: 'failed',
  reason: '400 bad | worse',
};
const files = [WHEEL, SDIST];
const claims = {
  repository: 'octo-org/a',
  job_workflow_ref: 'octo-org/a/.github/workflows/release.yml@refs/tags/v1.0',
  workflow_ref: 'octo-org/a/.github/workflows/release.yml@refs/tags/v1.0',
  ref: 'refs/tags/v1.0',
  iss: 'https://token.actions.githubusercontent.com',
};
const signing = signingReport(claims)!;
const input = (over: Partial<SummaryInput> = {}): SummaryInput => ({
  headline: headline(files, true, 'https://upload.pypi.org/legacy/'),
  files,
  signing,
  advice: [],
  onPyPI: true,
  shown: (p) => p.replace('/ws/', ''),
  ...over,
});

test('the headline names the release and the outcome; a partial failure with a live file is not headed "failed"', () => {
  assert.equal(headline(files, true, 'IDX'), '⚠️ a 1.0: 1 of 2 files published to IDX; 1 failed');
  assert.equal(headline([WHEEL], false, 'IDX'), '✅ a 1.0: 1 of 1 file published to IDX');
  const refused = [
    { ...SDIST, status: 'not-attempted' as const, reason: 'bad name' },
    { ...WHEEL, status: 'not-attempted' as const, heldBack: true },
  ];
  assert.equal(headline(refused, true, 'IDX'), '❌ a 1.0: nothing published to IDX; 1 refused, 1 held back');
  const two = [WHEEL, { ...WHEEL, filename: 'b-2.0-py3-none-any.whl' }];
  assert.match(headline(two, false, 'IDX'), /^✅ a 1\.0, b 2\.0: 2 of 2 files/);
});

test('summary: identity, "verified before upload with PyPI\'s policy", a short hash per row and the full ones folded', () => {
  const md = renderSummary(input());
  assert.match(md, /^## ⚠️ a 1\.0: 1 of 2 files published/);
  assert.match(md, /Signed with Sigstore.* by `octo-org\/a` · workflow `\.github\/workflows\/release\.yml` · ref `refs\/tags\/v1\.0`/);
  assert.match(md, /verified before upload with PyPI's policy/);
  assert.match(
    md,
    /\| `a-1\.0-py3-none-any\.whl` \| ✅ uploaded \| 2\.0 KiB \| `abababababab…` \| \[file\]\(https:\/\/pypi\.org\/project\/a\/1\.0\/#files\) · \[provenance\]\(.*\) · \[Rekor #42\]\(https:\/\/search\.sigstore\.dev\/\?logIndex=42\) \|/,
  );
  assert.match(md, /❌ \*\*failed\*\*: 400 bad &#124; worse/);
  // The table shows a reason's first sentence; the whole text is under "What went wrong".
  const long = renderSummary(
    input({ files: [{ ...SDIST, reason: "400 File too large. Limit for project 'a' is 100 MB. See https://docs.pypi.org/x for more information." }] }),
  );
  assert.match(long, /❌ \*\*failed\*\*: 400 File too large \|/);
  assert.match(md, /<details><summary>Full SHA-256 digests<\/summary>\n\n```text\n(ab){32}  a-1\.0-py3-none-any\.whl\n(cd){32}  a-1\.0\.tar\.gz\n```/);
});

test('summary: a dist name or an index message shows as text, never as markup', () => {
  // packages-dir comes from another job, and the index answers what it likes: no image, link or tag
  // of theirs may appear in the maintainer's summary.
  const name = 'x`<img src=https://t.example/p>`[re-run](https://evil.example)|-1.0-py3-none-any.whl';
  const md = renderSummary(
    input({
      files: [{ ...SDIST, filename: name, reason: '400 <img src=https://t.example/q> [Re-run](https://evil.example) **now**' }],
      failure: 'Upload failed: <a href="https://evil.example">re-run</a>\n\n```text\n<kept as code>\n```\nand `<kept>` too',
      advice: ['Answer <b>this</b>'],
    }),
  );
  const row = md.split('\n').find((l) => l.includes('t.example/p'))!;
  // The name as a code span no backtick inside it can end; a | escaped as a table cell needs.
  assert.ok(row.startsWith('| ``x`<img src=https://t.example/p>`[re-run](https://evil.example)\\|-1.0-py3-none-any.whl`` | '), row);
  assert.match(row, /400 &#60;img src=https:\/\/t\.example\/q&#62; &#91;Re-run&#93;\(https:\/\/evil\.example\) &#42;&#42;now&#42;&#42; \|/);
  assert.match(md, /Upload failed: &#60;a href="https:\/\/evil\.example"&#62;re-run&#60;\/a&#62;/);
  // In code too: where code stands is what such text can fool, and there an entity shows as written.
  assert.match(md, /```text\n&#60;kept as code&#62;\n```\nand `&#60;kept&#62;` too/);
  assert.match(md, /- Answer &#60;b&#62;this&#60;\/b&#62;/);
});

test('summary: the file at fault reads differently from the files held back because of it', () => {
  const md = renderSummary(
    input({
      files: [
        { ...SDIST, status: 'not-attempted', reason: 'bad name' },
        { ...WHEEL, status: 'not-attempted', heldBack: true, reason: 'held back: 1 problem(s) with other files' },
      ],
    }),
  );
  assert.match(md, /\| `a-1\.0\.tar\.gz` \| ❌ \*\*refused\*\*: bad name \|/);
  assert.match(md, /\| `a-1\.0-py3-none-any\.whl` \| ⏸️ held back: 1 problem/);
  assert.doesNotMatch(md, /### Verify a published file/, 'nothing is published: nothing to verify');
});

test('summary: the verify commands of every tool, with the publish predicate type for gh', () => {
  const md = renderSummary(input());
  assert.match(md, /### Verify a published file\n\n```sh\n/);
  assert.match(md, /pypi-attestations verify pypi --repository https:\/\/github\.com\/octo-org\/a pypi:a-1\.0-py3-none-any\.whl/);
  assert.match(md, /\nFILE=dist\/a-1\.0-py3-none-any\.whl\nID=https:\/\/github\.com\/octo-org\/a\/\.github\/workflows\/release\.yml@refs\/tags\/v1\.0\n/);
  assert.match(
    md,
    /\npython -m sigstore verify github --bundle "\$FILE\.sigstore\.json" --cert-identity "\$ID" \\\n  --repository octo-org\/a --ref refs\/tags\/v1\.0 "\$FILE"\n/,
  );
  assert.match(
    md,
    /\ncosign verify-blob-attestation --new-bundle-format --bundle "\$FILE\.sigstore\.json" --type https:\/\/docs\.pypi\.org\/attestations\/publish\/v1 \\\n  --certificate-identity "\$ID" --certificate-oidc-issuer https:\/\/token\.actions\.githubusercontent\.com "\$FILE"\n/,
  );
  assert.match(
    md,
    /\ngh attestation verify "\$FILE" --bundle "\$FILE\.sigstore\.json" --repo octo-org\/a \\\n  --predicate-type https:\/\/docs\.pypi\.org\/attestations\/publish\/v1\n/,
  );
  // Another index: PyPI's verifier reads the attestation this run wrote.
  assert.match(verifyCommands(WHEEL, signing, false, (p) => p).join('\n'), /\npypi-attestations verify attestation --identity "\$ID" "\$FILE"\n/);
});

test('summary: skipped (differs) shows both hashes', () => {
  const differs: FileReport = { ...WHEEL, status: 'skipped', indexSha256: 'ef'.repeat(32), reason: 'a different file of this name exists' };
  const md = renderSummary(input({ files: [differs], headline: headline([differs], false, 'IDX') }));
  assert.match(md, /⚠️ skipped \(differs\)/);
  assert.match(md, /(ab){32}  a-1\.0-py3-none-any\.whl\n(ef){32}  a-1\.0-py3-none-any\.whl  \(the index's file\)/);
  assert.match(headline([differs], false, 'IDX'), /^⚠️ a 1\.0: nothing published to IDX; 1 skipped \(differs\)/);
});

test("summary: an index's links cannot add a link, end the cell or leave http(s)", () => {
  const planted: FileReport = {
    ...WHEEL,
    status: 'already-present',
    url: 'https://idx.example/x)[Fix it here](https://phish.example/ "t") | <b>`',
    provenanceUrl: 'javascript:alert(1)',
  };
  const md = renderSummary(input({ files: [planted] }));
  const row = md.split('\n').find((l) => l.includes('[file]')) ?? '';
  assert.match(row, /\[file\]\(https:\/\/idx\.example\/x%29%5BFix%20it%20here%5D%28https:\/\/phish\.example\/%20%22t%22%29%20%7C%20%3Cb%3E%60\)/);
  assert.doesNotMatch(md, /\]\(https:\/\/phish|javascript:/);
});

test("summary stays under GitHub's 1 MiB limit", () => {
  const many = Array.from({ length: 20_000 }, (_, i) => ({ ...WHEEL, filename: `pkg_${i}-1.0-py3-none-any.whl` }));
  const md = renderSummary(input({ files: many }));
  assert.ok(Buffer.byteLength(md) < 1024 * 1024);
  assert.match(md, /more files: see the `results` output/);
});

test('advice: "re-run" only for what a re-run can fix, the specific fix otherwise', () => {
  const tp = 'trusted-publishing' as const;
  const tooLarge = adviceForUpload(
    "400 File too large. Limit for project 'a' is 100 MB. See https://docs.pypi.org/project-management/storage-limits#requesting-a-file-size-limit-increase for more information.",
    tp,
  );
  assert.equal(tooLarge.kind, 'file-too-large');
  assert.match(
    tooLarge.text,
    /request a file size limit increase\]\(https:\/\/docs\.pypi\.org\/project-management\/storage-limits#requesting-a-file-size-limit-increase\)/,
  );
  const invalid = adviceForUpload('403 Invalid or non-existent authentication information. See https://pypi.org/help/#invalid-auth for more information.', tp);
  assert.equal(invalid.kind, 'credentials');
  assert.match(invalid.text, /Trusted Publisher/);
  const exists = adviceForUpload(
    "400 File already exists ('a-1.0.tar.gz', with blake2_256 hash '…'). See https://pypi.org/help/#file-name-reuse for more information.",
    tp,
  );
  assert.equal(exists.kind, 'file-exists');
  assert.match(exists.text, /skip-existing: true/);
  assert.match(exists.text, /new version/);
  // Artifactory refuses a file name it has with a 403 of its own words: the upload stage knew it for an existing file.
  const artifactory = "403 Not enough permissions to delete/overwrite artifact 'pypi-local:a/1.0/a-1.0.tar.gz' (user: 'ci', needs DELETE permission).";
  assert.equal(adviceForUpload(artifactory, tp).kind, 'credentials', 'from the words alone, a 403 is about credentials');
  assert.equal(adviceForUpload(artifactory, tp, true).kind, 'file-exists');
  assert.equal(adviceForUpload('400 Repository does not allow updating assets: pypi-hosted', tp, true).kind, 'file-exists');
  for (const a of [tooLarge, invalid, exists]) assert.doesNotMatch(a.text, /re-run the job/i);
  for (const transient of ['503 Service Unavailable', '429 Too Many Requests', 'request timed out after 120000 ms', 'read ECONNRESET']) {
    assert.equal(adviceForUpload(transient, tp).kind, 'transient', transient);
    assert.match(adviceForUpload(transient, tp).text, /Re-run the job/);
  }
});

test('outputs: JSON per file and sidecar path lists', () => {
  const out = resultOutputs(files);
  const results = JSON.parse(out['results']!);
  assert.equal(results.length, 2);
  assert.equal(results[0].status, 'uploaded');
  assert.equal(results[0].index_sha256, null);
  assert.equal(results[1].reason, '400 bad | worse');
  assert.equal(out['bundle-paths'], '/ws/dist/a-1.0-py3-none-any.whl.sigstore.json');
  assert.equal(out['attestation-paths'], '/ws/dist/a-1.0-py3-none-any.whl.publish.attestation');
  assert.equal(out['uploaded-count'], '1');
  assert.equal(out['all-published'], 'false');
  assert.deepEqual(countByStatus(files), { uploaded: 1, 'already-present': 0, skipped: 0, failed: 1, 'not-attempted': 0 });
  assert.equal(formatSize(5 * 1024 * 1024), '5.0 MiB');
});

function recorder() {
  const printed: Array<[string, string]> = [];
  const runtime = {
    log: {
      info: (m: string) => printed.push(['info', m]),
      debug: () => {},
      notice: (m: string) => printed.push(['notice', m]),
      warning: (m: string) => printed.push(['warning', m]),
      error: (m: string) => printed.push(['error', m]),
    },
    mask: () => {},
    appendSummary: async (md: string) => void printed.push(['summary', md]),
    setOutput: (_: string, v: string) => void printed.push(['output', v]),
  };
  return { printed, runtime };
}

test('the log: one outcome line per file, the failure once with its full text, advice that fits', async () => {
  const { printed, runtime } = recorder();
  const message = '1 of 2 file(s) were not published:\n- a-1.0.tar.gz: 400 File too large. Limit for project';
  await reportResult({ files: [WHEEL, { ...SDIST, reason: "400 File too large. Limit for project 'a' is 100 MB." }], failure: { message } }, runtime, {
    repositoryUrl: 'https://upload.pypi.org/legacy/',
    mode: 'trusted-publishing',
    workspace: '/ws',
  });
  const info = printed
    .filter(([k]) => k === 'info')
    .map(([, m]) => m)
    .join('\n');
  assert.match(info, /✅ uploaded +a-1\.0-py3-none-any\.whl  https:\/\/pypi\.org/);
  assert.match(info, /❌ failed +a-1\.0\.tar\.gz$/m);
  assert.match(info, /a 1\.0: 1 of 2 files published/);
  assert.match(info, /What to do:\n- The file is larger than the project's upload limit/);
  assert.deepEqual(
    printed.filter(([k]) => k === 'error').map(([, m]) => m),
    [message],
  );
});

test('a reason cut short for the table is cut after the secrets are removed: no part of one shows', async () => {
  const { printed, runtime } = recorder();
  const password = 'correct-horse-battery-staple-2024';
  const guarded = guardRuntime(runtime, new SecretScrubber());
  guarded.mask(password);
  const reason = `307 https://idx.example/legacy/ redirected to https://other.example/${'p'.repeat(25)}/${password}/x; uploads are not sent on through redirects.`;
  await reportResult({ files: [{ ...SDIST, reason }] }, guarded, { repositoryUrl: 'https://idx.example/legacy/', mode: 'password', workspace: '/ws' });
  const summary = printed.find(([k]) => k === 'summary')?.[1] ?? '';
  assert.match(summary, /other\.example\/p+\/&#42;&#42;&#42;\/x; uploads/, summary);
  assert.doesNotMatch(summary, /correct-horse/);
});

test('the log and the summary name the index without a query, which may carry a token', async () => {
  const { printed, runtime } = recorder();
  await reportResult({ files }, runtime, { repositoryUrl: 'https://idx.example/legacy/?token=SECRET', mode: 'trusted-publishing', workspace: '/ws' });
  assert.ok(printed.some(([, p]) => p.includes('https://idx.example/legacy/')));
  assert.doesNotMatch(printed.map(([, p]) => p).join('\n'), /SECRET/);
});
