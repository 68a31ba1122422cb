// GitLab's rules in-process: the ID token variable names (the `id` package's rule, which twine, uv
// and sigstore-python follow), the identity service, the publisher PyPI derives from the claims and
// the policy it checks a certificate with (pypi-attestations' GitLab policy), and the report files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstat, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { withReportFiles } from '../../src/cli/report-files.ts';
import type { Runtime } from '../../src/engine/runtime.ts';
import { publisherIdentity } from '../../src/engine/attest.ts';
import { idTokenVariable, isGitLabJob } from '../../src/gitlab/environment.ts';
import { createGitLabIdentityProvider } from '../../src/gitlab/identity.ts';
import { renderGitLabClaims } from '../../src/gitlab/messages.ts';
import { checkGitLabPublisher } from '../../src/gitlab/policy.ts';
import { gitLabRunPublisher, pipelineFilePath } from '../../src/gitlab/publisher.ts';
import { IdentityError, VerificationFailure } from '../../src/sigstore/errors.ts';
import { derUTF8String, OID, type OIDValues } from '../../src/sigstore/verify.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

const PYTHON = resolve(import.meta.dirname, '../../.venv/bin/python');
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims: object) => `${b64({ alg: 'RS256' })}.${b64(claims)}.c2ln`;

test('the variable for an audience is the one the id package (twine, uv, sigstore-python) reads', () => {
  const audiences = ['pypi', 'sigstore', 'testpypi', 'http://test.audience', '1password', 'a-b.c'];
  const theirs = JSON.parse(
    execFileSync(
      PYTHON,
      [
        '-c',
        'import json,sys,re\nfrom id._internal.oidc.ambient import _env_var_regex as r\nprint(json.dumps([r.sub("_", a.upper()) + "_ID_TOKEN" for a in json.loads(sys.argv[1])]))',
        JSON.stringify(audiences),
      ],
      { encoding: 'utf8' },
    ),
  ) as string[];
  assert.deepEqual(audiences.map(idTokenVariable), theirs);
  assert.equal(idTokenVariable('http://test.audience'), 'HTTP___TEST_AUDIENCE_ID_TOKEN');
});

test('a GitLab job is recognised by GITLAB_CI, as the id package does', () => {
  assert.equal(isGitLabJob({ GITLAB_CI: 'true' }), true);
  assert.equal(isGitLabJob({ CI: 'true', GITHUB_ACTIONS: 'true' }), false);
});

test('the identity service reads the token from <AUD>_ID_TOKEN, masks it first, and explains a missing or wrong one', async () => {
  const masked: string[] = [];
  const token = jwt({ iss: 'https://gitlab.com', aud: 'pypi' });
  const identity = createGitLabIdentityProvider({ env: { PYPI_ID_TOKEN: token }, onSecret: (s) => masked.push(s) });
  assert.equal(identity.platform, 'gitlab-ci');
  assert.equal(await identity.getToken('pypi'), token);
  assert.deepEqual(masked, [token]);
  await assert.rejects(
    identity.getToken('sigstore'),
    (e: IdentityError) =>
      e.code === 'OIDC_ID_TOKEN' &&
      /SIGSTORE_ID_TOKEN is not set/.test(e.message) &&
      /id_tokens:\n {4}PYPI_ID_TOKEN:\n {6}aud: pypi\n {4}SIGSTORE_ID_TOKEN:\n {6}aud: sigstore/.test(e.message),
  );
  const wrong = createGitLabIdentityProvider({ env: { PYPI_ID_TOKEN: jwt({ aud: ['sigstore'] }) } });
  await assert.rejects(wrong.getToken('pypi'), /holds an ID token for audience \["sigstore"\], not "pypi"/);
  // PyPI decodes with strict_aud: a list is refused even when it holds "pypi"; Fulcio takes one.
  const listed = jwt({ aud: ['pypi', 'sigstore'] });
  const both = createGitLabIdentityProvider({ env: { PYPI_ID_TOKEN: listed, SIGSTORE_ID_TOKEN: listed } });
  await assert.rejects(
    both.getToken('pypi'),
    /PYPI_ID_TOKEN holds an ID token for the audiences \["pypi","sigstore"\], and PyPI accepts only a token with one audience: set `aud: pypi` \(one value, not a list\)/,
  );
  assert.equal(await both.getToken('sigstore'), listed);
  const notJwt = createGitLabIdentityProvider({ env: { PYPI_ID_TOKEN: 'glpat-something' } });
  await assert.rejects(notJwt.getToken('pypi'), (e: IdentityError) => e.code === 'OIDC_RESPONSE' && !e.message.includes('glpat'));
});

test("the pipeline file is read from ci_config_ref_uri with warehouse's pattern", () => {
  assert.equal(pipelineFilePath('gitlab.com/g/p//.gitlab-ci.yml@refs/tags/v1'), '.gitlab-ci.yml');
  assert.equal(pipelineFilePath('gitlab.com/g/sub/p//ci/release.yaml@refs/heads/main'), 'ci/release.yaml');
  assert.equal(pipelineFilePath('gitlab.com/g/p//ci/.yml@refs/heads/main'), undefined, 'an empty base name is no file');
  assert.equal(pipelineFilePath('gitlab.com/g/p//a.yml@refs/tags/v1'), 'a.yml', 'a one-character name at the root is a file');
  assert.equal(pipelineFilePath('gitlab.com/g/p/.gitlab-ci.yml@refs/heads/main'), undefined, 'no // before the path');
});

const CLAIMS = {
  iss: 'https://gitlab.com',
  project_path: 'g/sub/p',
  ci_config_ref_uri: 'gitlab.com/g/sub/p//ci/release.yml@refs/tags/v1',
  ref_path: 'refs/tags/v1',
  sha: 'abc123',
};

test('the publisher identity of a GitLab token is the project path and the pipeline file (warehouse attestation_identity)', () => {
  assert.deepEqual(publisherIdentity(CLAIMS), { kind: 'gitlab', repository: 'g/sub/p', workflow: 'ci/release.yml', ref: 'refs/tags/v1', sha: 'abc123' });
  assert.equal(
    publisherIdentity({ repository: 'o/r', job_workflow_ref: 'o/r/.github/workflows/release.yml@refs/tags/v1' }).kind,
    undefined,
    'GitHub claims stay GitHub',
  );
});

function certificate(overrides: Record<string, string | undefined> = {}): OIDValues {
  const values: Record<string, string | undefined> = {
    [OID.issuerV2]: 'https://gitlab.com',
    [OID.sourceRepositoryURI]: 'https://gitlab.com/g/sub/p',
    [OID.sourceRepositoryDigest]: 'abc123',
    [OID.sourceRepositoryRef]: 'refs/tags/v1',
    [OID.buildConfigURI]: 'https://gitlab.com/g/sub/p//ci/release.yml@refs/tags/v1',
    ...overrides,
  };
  return new Map(Object.entries(values).flatMap(([oid, v]) => (v === undefined ? [] : [[oid, derUTF8String(v)] as [string, Buffer]])));
}

const failsWith = (code: string, pattern: RegExp) => (e: unknown) => e instanceof VerificationFailure && e.code === code && pattern.test(e.message);

test("pypi-attestations' GitLab policy: issuer, project, and the pipeline file at the certificate's own sha or ref", () => {
  const identity = publisherIdentity(CLAIMS);
  checkGitLabPublisher(certificate(), identity);
  checkGitLabPublisher(certificate({ [OID.buildConfigURI]: 'https://gitlab.com/g/sub/p//ci/release.yml@abc123' }), identity);
  assert.throws(
    () => checkGitLabPublisher(certificate({ [OID.issuerV2]: 'https://gitlab.example.org' }), identity),
    failsWith('VERIFY_ISSUER', /only accepts https:\/\/gitlab\.com/),
  );
  assert.throws(
    () => checkGitLabPublisher(certificate({ [OID.sourceRepositoryURI]: 'https://gitlab.com/g/other' }), identity),
    failsWith('VERIFY_REPOSITORY', /expects https:\/\/gitlab\.com\/g\/sub\/p/),
  );
  assert.throws(
    () => checkGitLabPublisher(certificate({ [OID.buildConfigURI]: 'https://gitlab.com/g/sub/p//.gitlab-ci.yml@refs/tags/v1' }), identity),
    failsWith(
      'VERIFY_BUILD_CONFIG',
      /does not match expected Trusted Publisher \(ci\/release\.yml @ g\/sub\/p\): the certificate names pipeline file \.gitlab-ci\.yml/,
    ),
  );
  assert.throws(
    () => checkGitLabPublisher(certificate({ [OID.buildConfigURI]: 'https://gitlab.com/g/sub/p//ci/release.yml@refs/merge-requests/7/head' }), identity),
    failsWith('VERIFY_BUILD_CONFIG', /neither the certificate's ref/),
  );
  // Unlike GitHub's policy, GitLab's needs both the digest and the ref.
  assert.throws(
    () => checkGitLabPublisher(certificate({ [OID.sourceRepositoryRef]: undefined }), identity),
    failsWith('VERIFY_BUILD_CONFIG', /Source Repository Ref/),
  );
});

test('a refused GitLab token is shown with the claims warehouse matched and the publisher it looked for', () => {
  const text = renderGitLabClaims({ ...CLAIMS, environment: 'pypi' });
  assert.match(text, /\* `ci_config_ref_uri`: `gitlab\.com\/g\/sub\/p\/\/ci\/release\.yml@refs\/tags\/v1`/);
  assert.match(text, /\* `namespace_path`: `MISSING`/);
  assert.match(text, /namespace `g\/sub`, project `p`,\ntop-level pipeline file `ci\/release\.yml` and environment `pypi` \(or none\)/);
});

test('the report files: the summary, the results, the single-line outputs as dotenv, secrets scrubbed from all', async () => {
  const seen: string[] = [];
  const base: Runtime = {
    log: { info: () => {}, debug: () => {}, notice: () => {}, warning: () => {}, error: () => {} },
    mask: () => {},
    appendSummary: async (md) => void seen.push(md),
    setOutput: () => {},
  };
  const dir = join(await scratchDir('report-'), 'out');
  const { runtime, write } = withReportFiles(base, dir);
  runtime.mask('s3cr3t-token');
  await runtime.appendSummary('## done with s3cr3t-token\n');
  runtime.setOutput('results', JSON.stringify([{ filename: 'a.whl', status: 'uploaded', reason: 'said s3cr3t-token' }]));
  runtime.setOutput('bundle-paths', 'a\nb');
  runtime.setOutput('uploaded-count', '1');
  runtime.setOutput('all-published', 'true');
  await write();
  const read = (name: string) => readFile(join(dir, name), 'utf8');
  assert.equal(await read('report.md'), '## done with ***\n');
  assert.deepEqual(JSON.parse(await read('results.json')), [{ filename: 'a.whl', status: 'uploaded', reason: 'said ***' }]);
  assert.equal(await read('publish.env'), 'PYPI_PUBLISH_UPLOADED_COUNT=1\nPYPI_PUBLISH_ALL_PUBLISHED=true\n');
  assert.deepEqual(seen, ['## done with s3cr3t-token\n'], 'the base runtime still gets the summary (it scrubs its own)');

  // A link planted under a report file's name (the directory is inside the project) is replaced, not written through.
  const outside = join(await scratchDir('report-outside-'), 'target');
  await writeFile(outside, 'untouched\n');
  await rm(join(dir, 'report.md'));
  await symlink(outside, join(dir, 'report.md'));
  await write();
  assert.equal(await readFile(outside, 'utf8'), 'untouched\n');
  assert.ok((await lstat(join(dir, 'report.md'))).isFile());
  assert.equal(await read('report.md'), '## done with ***\n');
});

test('docs/gitlab.md and the README: the id_tokens variables the CLI reads, the package and version npm gets', async () => {
  const root = resolve(import.meta.dirname, '../..');
  const doc = await readFile(join(root, 'docs/gitlab.md'), 'utf8');
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const { name, version } = JSON.parse(await readFile(join(root, 'packages/cli/package.json'), 'utf8')) as { name: string; version: string };
  const pipeline = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
  for (const aud of ['pypi', 'sigstore']) assert.match(pipeline, new RegExp(`\\n {4}${idTokenVariable(aud)}:\\n {6}aud: ${aud}\\n`));
  assert.match(pipeline, new RegExp(`npx --yes ${name}@${version.replaceAll('.', '\\.')} upload `));
  assert.match(pipeline, /dotenv: pypi-publish-report\/publish\.env/);
  assert.match(readme, new RegExp(`npx ${name}@${version.replaceAll('.', '\\.')} upload`));
});

test("a job's publisher before any token is its project path and pipeline file, as GitLab names them", () => {
  const env = { CI_PROJECT_PATH: 'g/sub/p', CI_COMMIT_TAG: 'v1', CI_COMMIT_SHA: 'abc123' };
  assert.deepEqual(gitLabRunPublisher(env), { kind: 'gitlab', repository: 'g/sub/p', workflow: '.gitlab-ci.yml', ref: 'refs/tags/v1', sha: 'abc123' });
  assert.deepEqual(gitLabRunPublisher({ ...env, CI_CONFIG_PATH: 'ci/release.yml', CI_COMMIT_TAG: undefined, CI_COMMIT_BRANCH: 'main' }), {
    kind: 'gitlab',
    repository: 'g/sub/p',
    workflow: 'ci/release.yml',
    ref: 'refs/heads/main',
    sha: 'abc123',
  });
  assert.equal(gitLabRunPublisher({}), undefined);
});
