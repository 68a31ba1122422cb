// The CLI in a GitLab job (GITLAB_CI, CI_* and the `id_tokens:` variables, tokens from the world's
// GitLab issuer): a wheel and an sdist published to the stand-in with attestations that PyPI's own
// verifier accepts for a GitLab Trusted Publisher; and each way a GitLab job gets it wrong (a token
// for another project, another pipeline file, a missing `id_tokens:` entry) refused with its cause
// and its fix, nothing signed or sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { gitLabIdTokens, gitLabJobEnv, runCli, type CliRun } from '../../test/helpers/gitlab.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { pypiWorldForSuite } from '../../test/helpers/suite-world.ts';
import { createGitLabIdentityProvider } from '../../src/gitlab/identity.ts';
import { createHttpClient } from '../../src/http/client.ts';
import { createTokenSource } from '../../src/pypi/trusted-publishing.ts';
import { assertVerifiedByAll, GITLAB_EXPECTED, sigstoreVerifyIdentity } from '../../test/helpers/verifiers.ts';
// @ts-expect-error: a build script without types
import { pack } from '../../scripts/pack-cli.mjs';

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const VENV = join(ROOT, '.venv/bin');
const PUBLISH_PREDICATE = 'https://docs.pypi.org/attestations/publish/v1';
const IDENTITY = 'https://gitlab.com/octo-group/sampleproject//.gitlab-ci.yml@refs/tags/v1.0.0';
// The Fulcio extensions (.1.8 and up, DER UTF8String) and the SAN of a bundle's certificate, read with
// sigstore-python's models and cryptography.
const CERT_EXTENSIONS = `
import json, sys
from cryptography import x509
from sigstore.models import Bundle
cert = Bundle.from_json(open(sys.argv[1], 'rb').read()).signing_certificate
out = {}
for ext in cert.extensions:
    oid = ext.oid.dotted_string
    if oid.startswith('1.3.6.1.4.1.57264.1.') and int(oid.rsplit('.', 1)[1]) >= 8:
        raw = ext.value.value
        out[oid] = raw[2:].decode() if raw[1] < 0x80 else raw[2 + (raw[1] & 0x7f):].decode()
out['san'] = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.UniformResourceIdentifier)[0]
print(json.dumps(out))
`;

const runs: CliRun[] = [];
const suite = pypiWorldForSuite(runs);

const trustGitLab = (project: string, publisher: Record<string, string> = {}) => suite.pypi.trustGitLab(project, publisher);

async function job(project: string, tokens: Record<string, string | undefined>, withSdist = false): Promise<{ dir: string; run: CliRun }> {
  const dir = await scratchDir('gitlab-');
  await buildWheel(join(dir, 'dist'), { name: project, version: '1.0.0' });
  if (withSdist) await buildSdist(join(dir, 'dist'), { name: project, version: '1.0.0' });
  const run = await runCli(['upload', '--repository-url', suite.pypi.uploadUrl, '--packages-dir', 'dist'], dir, gitLabJobEnv(suite.world, dir, tokens));
  runs.push(run);
  return { dir, run };
}

const fulcioCalls = async () => (await suite.world.stats('fulcio')).requests['POST /api/v2/signingCert'] ?? 0;

/** pypi-attestations (PyPI's verifier) with a GitLabPublisher, against the world's trusted root. */
async function pypiVerdicts(pairs: string[], repository = 'octo-group/sampleproject', workflow = '.gitlab-ci.yml'): Promise<Array<string | null>> {
  const { stdout } = await exec(join(VENV, 'python'), [
    join(ROOT, 'test/world/verify_bundles.py'),
    '--trusted-root',
    suite.world.env['WORLD_TRUSTED_ROOT']!,
    '--publisher',
    'gitlab',
    '--repository',
    repository,
    '--workflow',
    workflow,
    '--predicate-type',
    PUBLISH_PREDICATE,
    ...pairs,
  ]);
  return JSON.parse(stdout) as Array<string | null>;
}

test('a GitLab job publishes a wheel and an sdist with attestations PyPI verifies for its GitLab trusted publisher', async () => {
  await trustGitLab('gitlab-sample');
  const tokens = await gitLabIdTokens(suite.world, ['pypi', 'sigstore']);
  const { dir, run } = await job('gitlab-sample', tokens, true);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  // What the index serves was read back and found to be what was sent, under this GitLab publisher.
  assert.doesNotMatch(run.stdout + run.stderr, /served under the publisher|publish ✗|warning/i);
  assert.match(run.stdout, /provenance served by the index: publish ✓/);

  const files = await suite.pypi.files('gitlab-sample');
  assert.deepEqual(files.map((f) => f.filename).sort(), ['gitlab_sample-1.0.0-py3-none-any.whl', 'gitlab_sample-1.0.0.tar.gz']);
  assert.ok(
    files.every((f) => f.has_provenance && f.via_trusted_publishing),
    'both uploaded through Trusted Publishing with provenance',
  );

  // The index kept them: its provenance names the GitLab publisher warehouse derives.
  const provenance = (await (await suite.pypi.provenance('gitlab-sample', '1.0.0', 'gitlab_sample-1.0.0.tar.gz')).json()) as {
    attestation_bundles: Array<{ publisher: Record<string, unknown> }>;
  };
  assert.deepEqual(provenance.attestation_bundles[0]!.publisher, {
    kind: 'GitLab',
    repository: 'octo-group/sampleproject',
    workflow_filepath: '.gitlab-ci.yml',
    environment: null,
  });

  // And tools nobody here wrote accept the bundles the run left beside the dists.
  const dists = files.map((f) => join(dir, 'dist', f.filename));
  assert.deepEqual(await pypiVerdicts(dists.map((d) => `${d}.sigstore.json=${d}`)), [null, null]);
  assert.notDeepEqual(await pypiVerdicts([`${dists[0]}.sigstore.json=${dists[0]}`], 'octo-group/other'), [null], 'the check can fail');
  for (const dist of dists) {
    await sigstoreVerifyIdentity(suite.world, `${dist}.sigstore.json`, dist, GITLAB_EXPECTED);
  }

  await assertVerifiedByAll(
    suite.world,
    dists.map((dist) => ({ bundle: `${dist}.sigstore.json`, dist })),
    GITLAB_EXPECTED,
  );

  // The certificate carries what Fulcio's gitlab-pipeline provider derives from the token
  // (the same as sigstore/fulcio's: __tests__/world/real-servers.test.ts).
  const { stdout: extensions } = await exec(join(VENV, 'python'), ['-c', CERT_EXTENSIONS, `${dists[0]}.sigstore.json`]);
  assert.deepEqual(JSON.parse(extensions), {
    '1.3.6.1.4.1.57264.1.8': 'https://gitlab.com',
    '1.3.6.1.4.1.57264.1.9': IDENTITY,
    '1.3.6.1.4.1.57264.1.10': '7d2c4e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d',
    '1.3.6.1.4.1.57264.1.11': 'gitlab-hosted',
    '1.3.6.1.4.1.57264.1.12': 'https://gitlab.com/octo-group/sampleproject',
    '1.3.6.1.4.1.57264.1.13': '7d2c4e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d',
    '1.3.6.1.4.1.57264.1.14': 'refs/tags/v1.0.0',
    '1.3.6.1.4.1.57264.1.15': '20',
    '1.3.6.1.4.1.57264.1.16': 'https://gitlab.com/octo-group',
    '1.3.6.1.4.1.57264.1.17': '72',
    '1.3.6.1.4.1.57264.1.18': IDENTITY,
    '1.3.6.1.4.1.57264.1.19': '7d2c4e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d',
    '1.3.6.1.4.1.57264.1.20': 'push',
    '1.3.6.1.4.1.57264.1.21': 'https://gitlab.com/octo-group/sampleproject/-/jobs/302',
    '1.3.6.1.4.1.57264.1.22': 'public',
    // The token's own subject, which Fulcio writes into every certificate.
    '1.3.6.1.4.1.57264.1.24': 'project_path:octo-group/sampleproject:ref_type:tag:ref:v1.0.0',
    san: IDENTITY,
  });

  // GitLab has no job summary: the report is files, the summary's Markdown among them.
  const results = JSON.parse(run.report.results) as Array<{ filename: string; status: string; attestation: string | null }>;
  assert.deepEqual(
    results.map((r) => r.status),
    ['uploaded', 'uploaded'],
  );
  assert.ok(results.every((r) => r.attestation?.endsWith('.publish.attestation')));
  assert.match(run.report.markdown, /Signed with Sigstore.*`octo-group\/sampleproject` · pipeline `\.gitlab-ci\.yml` · ref `refs\/tags\/v1\.0\.0`/);
  assert.match(run.report.markdown, /--cert-oidc-issuer https:\/\/gitlab\.com/);
  assert.match(run.report.dotenv, /^PYPI_PUBLISH_UPLOADED_COUNT=2$/m);
  assert.match(run.report.dotenv, /^PYPI_PUBLISH_ALL_PUBLISHED=true$/m);
  assert.doesNotMatch(run.report.dotenv, /RESULTS=/, 'multi-line and JSON outputs stay out of the dotenv');
});

test('a token for another project is refused as warehouse refuses it, with the claims it matched and where to fix it', async () => {
  await trustGitLab('gitlab-other');
  const other = 'octo-group/fork-of-sampleproject';
  const tokens = await gitLabIdTokens(suite.world, ['pypi', 'sigstore'], { project_path: other });
  const before = await fulcioCalls();
  const { run } = await job('gitlab-other', tokens);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /Trusted publishing exchange failure: Token request failed: the server refused the request/);
  assert.match(run.stdout, /\* `invalid-publisher`: valid token, but no corresponding publisher \(Publisher with matching claims was not found\)/);
  assert.match(run.stdout, /\* `project_path`: `octo-group\/fork-of-sampleproject`/);
  assert.match(run.stdout, /namespace `octo-group`, project `fork-of-sampleproject`,\ntop-level pipeline file `\.gitlab-ci\.yml` and no environment/);
  assert.match(run.stdout, /publish from the job it names, or correct the publisher/);
  assert.match(run.stdout, /internal error on GitLab or PyPI's part/);
  assert.equal(await fulcioCalls(), before, 'nothing was signed');
  assert.deepEqual(await suite.pypi.files('gitlab-other'), []);
});

test('a pipeline file other than the trusted publisher names is refused, naming the file the token carries', async () => {
  await trustGitLab('gitlab-path');
  const tokens = await gitLabIdTokens(suite.world, ['pypi', 'sigstore'], { ci_config_path: 'ci/release.yml' });
  const { run } = await job('gitlab-path', tokens);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /Publisher with matching claims was not found/);
  assert.match(run.stdout, /\* `ci_config_ref_uri`: `gitlab\.com\/octo-group\/sampleproject\/\/ci\/release\.yml@refs\/tags\/v1\.0\.0`/);
  assert.match(run.stdout, /top-level pipeline file `ci\/release\.yml`/);
  assert.deepEqual(await suite.pypi.files('gitlab-path'), []);
});

test('a job without the id_tokens entry for the index is told which variable is missing and the .gitlab-ci.yml that makes it', async () => {
  await trustGitLab('gitlab-none');
  const { sigstore } = await gitLabIdTokens(suite.world, ['sigstore']);
  const { run } = await job('gitlab-none', { sigstore });
  assert.equal(run.code, 1);
  assert.match(
    run.stdout,
    /OpenID Connect token retrieval failed: GitLab gave this job no ID token for audience "pypi": the variable PYPI_ID_TOKEN is not set/,
  );
  assert.match(run.stdout, /publish:\n {2}id_tokens:\n {4}PYPI_ID_TOKEN:\n {6}aud: pypi\n {4}SIGSTORE_ID_TOKEN:\n {6}aud: sigstore/);
  assert.doesNotMatch(run.stdout, /id-token: write/, 'no GitHub advice in a GitLab job');
  assert.deepEqual(await suite.pypi.files('gitlab-none'), []);
});

test('a job without the sigstore entry is stopped before anything is uploaded, with the same fix', async () => {
  await trustGitLab('gitlab-nosign');
  const { pypi: pypiToken } = await gitLabIdTokens(suite.world, ['pypi']);
  const { run } = await job('gitlab-nosign', { pypi: pypiToken });
  assert.equal(run.code, 1);
  assert.match(run.stdout, /no ID token for audience "sigstore": the variable SIGSTORE_ID_TOKEN is not set/);
  assert.match(run.stdout, / {4}SIGSTORE_ID_TOKEN:\n {6}aud: sigstore/);
  assert.deepEqual(await suite.pypi.files('gitlab-nosign'), []);
});

test('an id_tokens entry with the wrong audience is named before the index refuses it', async () => {
  await trustGitLab('gitlab-aud');
  const { sigstore } = await gitLabIdTokens(suite.world, ['sigstore']);
  const { run } = await job('gitlab-aud', { pypi: sigstore, sigstore });
  assert.equal(run.code, 1);
  assert.match(run.stdout, /PYPI_ID_TOKEN holds an ID token for audience "sigstore", not "pypi": set `aud: pypi` in its `id_tokens:` entry/);
});

test('the npm package, run with npx from its tarball without a registry, publishes from a GitLab job as documented', async () => {
  await trustGitLab('gitlab-npx');
  const tarball = (await pack(await scratchDir('pack-'))) as string;
  const dir = await scratchDir('gitlab-npx-');
  await buildWheel(join(dir, 'dist'), { name: 'gitlab-npx', version: '1.0.0' });
  const tokens = await gitLabIdTokens(suite.world, ['pypi', 'sigstore']);
  const env = {
    ...gitLabJobEnv(suite.world, dir, tokens),
    // Node 24 first, as in the `node:24` image; an unreachable registry and an empty cache.
    PATH: `${join(ROOT, '.tools/node/bin')}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_cache: join(dir, '.npm-cache'),
    npm_config_update_notifier: 'false',
  };
  const npx = ['npx', '--yes', '--offline', '--package', tarball, '--', 'pypi-attested-publish'];
  const run = await runCli(['upload', '--repository-url', suite.pypi.uploadUrl, '--packages-dir', 'dist'], dir, env, npx);
  runs.push(run);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const [file] = await suite.pypi.files('gitlab-npx');
  assert.ok(file?.has_provenance, 'published with its attestation');
  const dist = join(dir, 'dist', file.filename);
  assert.deepEqual(await pypiVerdicts([`${dist}.sigstore.json=${dist}`]), [null]);
});

test("an attestation PyPI's GitLab policy would refuse is caught by the local verification, and nothing is uploaded", async () => {
  await trustGitLab('gitlab-mr');
  // A merge request pipeline: the pipeline file at the MR's ref, which Fulcio's Source Repository Ref
  // (refs/heads/<branch>) does not name, so the Build Config URI matches neither it nor the sha.
  const mr = 'refs/merge-requests/7/head';
  const tokens = await gitLabIdTokens(suite.world, ['pypi', 'sigstore'], {
    ref: 'feature',
    ref_type: 'branch',
    ref_path: mr,
    pipeline_source: 'merge_request_event',
    ci_config_ref_uri: `gitlab.com/octo-group/sampleproject//.gitlab-ci.yml@${mr}`,
  });
  const { dir, run } = await job('gitlab-mr', tokens);
  assert.equal(run.code, 1);
  assert.match(
    run.stdout,
    /Certificate's Build Config URI \(https:\/\/gitlab\.com\/octo-group\/sampleproject\/\/\.gitlab-ci\.yml@refs\/merge-requests\/7\/head\) does not match expected Trusted Publisher \(\.gitlab-ci\.yml @ octo-group\/sampleproject\)/,
  );
  assert.deepEqual(await suite.pypi.files('gitlab-mr'), []);
  // A refused attestation leaves no sidecar behind.
  assert.equal(existsSync(join(dir, 'dist', 'gitlab_mr-1.0.0-py3-none-any.whl.sigstore.json')), false);
});

test('a GitLab job mints once and keeps its upload token for all 15 minutes: its one ID token cannot be traded twice', async () => {
  await trustGitLab('gitlab-long');
  const tokens = await gitLabIdTokens(suite.world, ['pypi']);
  const http = createHttpClient({ userAgent: 'test' });
  let clock = Date.now();
  const identity = createGitLabIdentityProvider({ env: { PYPI_ID_TOKEN: tokens['pypi'] } });
  const source = createTokenSource({ http, identity, mask: () => {}, log: { debug: () => {} }, github: {} }, new URL(suite.pypi.uploadUrl), () => clock);
  const mints = async () => (await suite.world.stats('pypi')).requests['POST /_/oidc/mint-token'] ?? 0;
  const before = await mints();
  const first = await source.get();
  clock += 14 * 60_000; // 1 minute left: a GitHub run would have renewed 4 minutes ago
  assert.equal((await source.get()).token, first.token);
  assert.equal(await mints(), before + 1, 'one mint');
  clock += 2 * 60_000; // lapsed: the one ID token is spent, and the index says so
  await assert.rejects(source.get(), /invalid-reuse-token/);
  await http.close();
});
