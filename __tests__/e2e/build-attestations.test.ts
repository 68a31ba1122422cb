// The publish step with build attestations, end to end: the companion action (dist/build-provenance.js)
// in "the build job", then dist/index.js in "the publish job", both as the runner runs them, against the
// local world. A build attestation PyPI would refuse stops the run before any token; the upload carries
// both attestations, publish first; the provenance the index serves is read back and verified, and a
// stand-in fault serving another or no provenance is caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUILD_PROVENANCE_ACTION, runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { pypiWorldForSuite } from '../../test/helpers/suite-world.ts';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { PUBLISH_PREDICATE_TYPE, SLSA_PREDICATE_TYPE, servedPredicateTypes } from '../../test/helpers/verifiers.ts';

const TYPES = [PUBLISH_PREDICATE_TYPE, SLSA_PREDICATE_TYPE];

const runs: ActionRun[] = [];
const suite = pypiWorldForSuite(runs);

async function step(entry: 'build' | 'publish', cwd: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionRun> {
  const r =
    entry === 'build'
      ? await runAction({ entry: BUILD_PROVENANCE_ACTION, cwd, inputs: { 'subject-path': 'dist', ...inputs }, env: { ...suite.world.env, ...env } })
      : await runAction({ cwd, inputs: { 'repository-url': suite.pypi.uploadUrl, 'packages-dir': 'dist', ...inputs }, env: { ...suite.world.env, ...env } });
  runs.push(r);
  return r;
}

/** A workspace with one sdist and one wheel of `project`, whose build was attested (by `env`'s workflow). */
async function built(project: string, version: string, env: Record<string, string> = {}): Promise<{ ws: string; wheel: string; sdist: string }> {
  const ws = await scratchDir(`ws-${project}-`);
  const sdist = await buildSdist(join(ws, 'dist'), { name: project, version });
  const wheel = await buildWheel(join(ws, 'dist'), { name: project, version });
  const r = await step('build', ws, {}, env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return { ws, wheel, sdist };
}

const tokenRequests = async () => (await suite.world.stats('oidc')).requests['GET /token'] ?? 0;

/** The publish run stopped before any token, and said why, naming the file. */
async function assertStoppedBeforeAnyToken(ws: string, project: string, expected: RegExp, inputs: Record<string, string> = {}): Promise<ActionRun> {
  await suite.pypi.trust({ project });
  const before = await tokenRequests();
  const r = await step('publish', ws, inputs);
  assert.notEqual(r.code, 0, r.stdout);
  assert.match(r.stdout, expected);
  assert.match(r.stdout, /no token was requested/);
  assert.equal(await tokenRequests(), before, 'no OIDC token was requested');
  assert.deepEqual(await suite.pypi.files(project), [], 'nothing was uploaded');
  return r;
}

test('the upload carries both attestations, publish first; pypi-attestations verifies both; the read-back shows publish ✓ build ✓', async () => {
  const { ws } = await built('both-kinds', '1.0.0');
  await suite.pypi.trust({ project: 'both-kinds' });
  const r = await step('publish', ws, { 'build-attestations': 'require' });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    /both_kinds-1\.0\.0\.tar\.gz\.slsa\.attestation: build attestation verified with PyPI's policy for octo-org\/sampleproject \(release\.yml\)/,
  );
  for (const res of r.results) {
    assert.equal(res.status, 'uploaded');
    assert.match(r.stdout, new RegExp(`${res.filename.replace(/\./g, '\\.')}: provenance served by the index: publish ✓ build ✓`));
    assert.equal((res as { provenance_served?: string }).provenance_served, 'publish ✓ build ✓');
    const served = { project: 'both-kinds', version: '1.0.0', filename: res.filename };
    assert.deepEqual(await servedPredicateTypes(suite.world, ws, served, ['--dist', join(ws, 'dist', res.filename)]), TYPES);
  }
  assert.match(r.summary, /\[provenance\]\([^)]*\) \(served: publish ✓ build ✓\)/);
  assert.doesNotMatch(r.stdout, /::warning/);
});

test("a build attestation made in another workflow file stops the run before any token, with PyPI's reason", async () => {
  const other = await suite.world.scenario({ workflow_ref: 'octo-org/sampleproject/.github/workflows/build.yml@refs/tags/v1.0.0' });
  const { ws } = await built('other-workflow', '1.0.0', { ACTIONS_ID_TOKEN_REQUEST_TOKEN: other });
  const r = await assertStoppedBeforeAnyToken(
    ws,
    'other-workflow',
    /other_workflow-1\.0\.0-py3-none-any\.whl: PyPI would refuse its build attestation \(other_workflow-1\.0\.0-py3-none-any\.whl\.slsa\.attestation\): the certificate's Build Config URI is .*build\.yml.* but PyPI expects .*release\.yml/,
  );
  assert.match(r.stdout, /workflow build\.yml, while the trusted publisher is configured for release\.yml/);
});

test('a build attestation made in another repository stops the run before any token', async () => {
  const other = await suite.world.scenario({ repository: 'octo-org/fork' });
  const { ws } = await built('other-repo', '1.0.0', { ACTIONS_ID_TOKEN_REQUEST_TOKEN: other });
  await assertStoppedBeforeAnyToken(
    ws,
    'other-repo',
    /PyPI would refuse its build attestation .*Source Repository URI is https:\/\/github\.com\/octo-org\/fork but PyPI expects https:\/\/github\.com\/octo-org\/sampleproject/,
  );
});

test('a build attestation of another file, or altered, stops the run before any token', async () => {
  const { ws, wheel, sdist } = await built('swapped', '1.0.0');
  await copyFile(`${sdist}.slsa.attestation`, `${wheel}.slsa.attestation`);
  await copyFile(`${sdist}.slsa.sigstore.json`, `${wheel}.slsa.sigstore.json`);
  await assertStoppedBeforeAnyToken(
    ws,
    'swapped',
    /swapped-1\.0\.0-py3-none-any\.whl: PyPI would refuse its build attestation .*subject does not match distribution name/,
  );

  const fresh = await built('altered', '1.0.0');
  const path = `${fresh.wheel}.slsa.attestation`;
  const att = JSON.parse(await readFile(path, 'utf8'));
  const statement = JSON.parse(Buffer.from(att.envelope.statement, 'base64').toString());
  statement.predicate.buildDefinition.externalParameters.workflow.ref = 'refs/heads/evil';
  att.envelope.statement = Buffer.from(JSON.stringify(statement)).toString('base64');
  await writeFile(path, JSON.stringify(att));
  await assertStoppedBeforeAnyToken(fresh.ws, 'altered', /altered-1\.0\.0-py3-none-any\.whl: PyPI would refuse its build attestation .*(disagree|signature)/);
});

test('build-attestations: require without one stops the run before any token; ignore publishes without them', async () => {
  const ws = await scratchDir('ws-none-');
  await buildWheel(join(ws, 'dist'), { name: 'no-build', version: '1.0.0' });
  await assertStoppedBeforeAnyToken(
    ws,
    'no-build',
    /no_build-1\.0\.0-py3-none-any\.whl: build-attestations is "require", but there is no .*\.slsa\.attestation beside it/,
    { 'build-attestations': 'require' },
  );

  const { ws: attested } = await built('ignored', '1.0.0');
  await suite.pypi.trust({ project: 'ignored' });
  const r = await step('publish', attested, { 'build-attestations': 'ignore' });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /provenance served by the index: publish ✓\n/);
});

test("the read-back names an index that serves another file's provenance, or none; an index without the Integrity API is skipped quietly", async () => {
  // what the index serves for another file of this publisher: valid, but not this file's
  const donor = (await (await suite.pypi.provenance('both-kinds', '1.0.0', 'both_kinds-1.0.0.tar.gz')).json()) as object;
  const { ws } = await built('read-back', '1.0.0');
  await suite.pypi.trust({ project: 'read-back' });
  const wheel = 'read_back-1.0.0-py3-none-any.whl';
  const sdist = 'read_back-1.0.0.tar.gz';
  await suite.pypi.fault({ method: 'GET', path: `/integrity/read-back/1.0.0/${wheel}/provenance`, status: 200, body: donor });
  await suite.pypi.fault({
    method: 'GET',
    path: `/integrity/read-back/1.0.0/${sdist}/provenance`,
    status: 404,
    body: { message: `No provenance available for ${sdist}` },
  });
  const r = await step('publish', ws);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`${wheel}: provenance served by the index: publish ✗ build ✗`));
  assert.match(
    r.stdout,
    new RegExp(
      `::warning title=Provenance read back::The index serves provenance for ${wheel} that differs from what this run uploaded: the publish attestation served does not verify: subject does not match distribution name`,
    ),
  );
  assert.match(
    r.stdout,
    new RegExp(
      `::warning title=Provenance read back::The index serves provenance for ${sdist} that differs from what this run uploaded: the index serves no provenance for it`,
    ),
  );

  const { ws: quiet } = await built('no-integrity', '1.0.0');
  await suite.pypi.trust({ project: 'no-integrity' });
  await suite.pypi.fault({ method: 'GET', path: '/integrity/no-integrity/*', status: 404, count: 2 });
  const q = await step('publish', quiet);
  assert.equal(q.code, 0, q.stdout + q.stderr);
  assert.doesNotMatch(q.stdout, /provenance served by the index|Provenance read back/);
});
