// The companion action (build-provenance/action.yml → dist/build-provenance.js), run as the runner runs
// it in a build job, against the local Sigstore: one SLSA statement per dist with GitHub's workflow
// buildType, judged by pypi-attestations with PyPI's GitHub publisher policy and by sigstore-python;
// twine 7 then uploads a dist with both of its attestations and the stand-in (warehouse's rules) takes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertPyPIAccepts,
  assertVerifiedByAll,
  bundlesOf,
  PUBLISH_PREDICATE_TYPE,
  pypiAttestationVerdict,
  sigstoreVerifyIdentity,
  SLSA_PREDICATE_TYPE,
  twineUploadWithAttestations,
} from '../../test/helpers/verifiers.ts';
import { BUILD_PROVENANCE_ACTION, runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { pypiWorldForSuite } from '../../test/helpers/suite-world.ts';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

const PROJECT = 'buildprov';

const runs: ActionRun[] = [];
const suite = pypiWorldForSuite(runs, attestFirst);
let workspace: string;
let first: ActionRun;

async function attestBuild(cwd: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionRun> {
  const r = await runAction({ entry: BUILD_PROVENANCE_ACTION, cwd, inputs: { 'subject-path': 'dist', ...inputs }, env: { ...suite.world.env, ...env } });
  runs.push(r);
  return r;
}

/** The run most tests look at: the build of an sdist and a wheel of buildprov 1.0.0 attested in the fresh world. */
async function attestFirst(): Promise<void> {
  workspace = await scratchDir('ws-build-');
  const dist = join(workspace, 'dist');
  await buildSdist(dist, { name: PROJECT, version: '1.0.0' });
  await buildWheel(dist, { name: PROJECT, version: '1.0.0' });
  await suite.world.resetStats('fulcio');
  first = await attestBuild(workspace);
}

test('one .slsa.sigstore.json and one .slsa.attestation per dist, listed in the outputs, with one certificate', async () => {
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const bundles = first.outputs['bundle-paths']!.split('\n');
  const attestations = first.outputs['attestation-paths']!.split('\n');
  assert.deepEqual(
    bundles.map((p) => p.replace(/^.*\//, '')),
    [`${PROJECT}-1.0.0-py3-none-any.whl.slsa.sigstore.json`, `${PROJECT}-1.0.0.tar.gz.slsa.sigstore.json`],
  );
  assert.deepEqual(
    attestations,
    bundles.map((b) => b.replace(/\.sigstore\.json$/, '.attestation')),
  );
  for (const p of [...bundles, ...attestations]) assert.ok((await lstat(p)).isFile(), p);
  const results = JSON.parse(first.outputs['results']!) as Array<{ filename: string; sha256: string }>;
  assert.equal(results.length, 2);
  assert.equal((await suite.world.stats('fulcio')).requests['POST /api/v2/signingCert'], 1);
  assert.match(first.stdout, /✓ buildprov-1\.0\.0\.tar\.gz: build provenance \(SLSA v1\) signed and verified/);
});

test('cosign, sigstore-go, sigstore-python and pypi-attestations accept every .slsa.sigstore.json, predicate type SLSA', async () => {
  await assertVerifiedByAll(suite.world, bundlesOf(workspace, JSON.parse(first.outputs['results']!)), { predicateType: SLSA_PREDICATE_TYPE });
});

test("pypi-attestations verifies every .slsa.attestation (and bundle) with PyPI's GitHub publisher policy, predicate type SLSA", async () => {
  for (const r of JSON.parse(first.outputs['results']!) as Array<{ filename: string; attestation: string; bundle: string }>) {
    const dist = join(workspace, 'dist', r.filename);
    for (const source of [
      ['--attestation', r.attestation],
      ['--bundle', r.bundle],
    ]) {
      const verdict = await pypiAttestationVerdict(suite.world, [...source, '--dist', dist]);
      assert.equal(typeof verdict, 'object', `${r.filename}: ${String(verdict)}`);
      assert.equal((verdict as { predicate_type: string }).predicate_type, SLSA_PREDICATE_TYPE);
    }
    // the judge can refuse: another workflow file is another publisher
    assert.match(
      String(await pypiAttestationVerdict(suite.world, ['--attestation', r.attestation, '--dist', dist], { workflow: 'other.yml' })),
      /^FAIL .*Build Config URI/,
    );
  }
});

test("the predicate is GitHub's build provenance of this run (workflow buildType, the claims of its token)", async () => {
  const r = (JSON.parse(first.outputs['results']!) as Array<{ filename: string; attestation: string }>)[0]!;
  const verdict = await assertPyPIAccepts(suite.world, ['--attestation', r.attestation, '--dist', join(workspace, 'dist', r.filename)]);
  const claims = JSON.parse(Buffer.from((await suite.world.idToken('sigstore')).split('.')[1]!, 'base64url').toString());
  assert.deepEqual(verdict.predicate, {
    buildDefinition: {
      buildType: 'https://actions.github.io/buildtypes/workflow/v1',
      externalParameters: {
        workflow: { ref: 'refs/tags/v1.0.0', repository: 'https://github.com/octo-org/sampleproject', path: '.github/workflows/release.yml' },
      },
      internalParameters: {
        github: {
          event_name: claims.event_name,
          repository_id: claims.repository_id,
          repository_owner_id: claims.repository_owner_id,
          runner_environment: claims.runner_environment,
        },
      },
      resolvedDependencies: [{ uri: 'git+https://github.com/octo-org/sampleproject@refs/tags/v1.0.0', digest: { gitCommit: claims.sha } }],
    },
    runDetails: {
      builder: { id: `https://github.com/${claims.job_workflow_ref}` },
      metadata: { invocationId: `https://github.com/octo-org/sampleproject/actions/runs/${claims.run_id}/attempts/${claims.run_attempt}` },
    },
  });
});

test('every .slsa.sigstore.json verifies with sigstore-python (identity and issuer of the workflow)', async () => {
  for (const bundle of first.outputs['bundle-paths']!.split('\n')) {
    const { stdout, stderr } = await sigstoreVerifyIdentity(suite.world, bundle, bundle.replace(/\.slsa\.sigstore\.json$/, ''));
    assert.match(stdout + stderr, /OK/);
  }
});

test('twine 7 uploads a dist with its publish and build attestations; the stand-in keeps both types', async () => {
  await suite.pypi.trust({ project: PROJECT });
  const published = await runAction({ cwd: workspace, inputs: { 'repository-url': suite.pypi.uploadUrl, 'packages-dir': 'dist' }, env: suite.world.env });
  runs.push(published);
  assert.equal(published.code, 0, published.stdout + published.stderr);
  // The same dists on a fresh index, uploaded by twine with both <dist>.*.attestation files.
  await suite.pypi.reset();
  await suite.pypi.trust({ project: PROJECT });
  const token = await suite.pypi.mintToken();
  const dir = join(workspace, 'dist');
  const names = await readdir(dir);
  const files = names.filter((f) => f.endsWith('.whl') || f.endsWith('.tar.gz') || f.endsWith('.attestation')).map((f) => join(dir, f));
  assert.equal(files.filter((f) => f.endsWith('.attestation')).length, 4);
  await twineUploadWithAttestations(suite.pypi.uploadUrl, token, files);
  for (const name of names.filter((f) => f.endsWith('.whl') || f.endsWith('.tar.gz'))) {
    const res = await suite.pypi.provenance(PROJECT, '1.0.0', name);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { attestation_bundles: Array<{ attestations: Array<{ envelope: { statement: string } }> }> };
    const types = body.attestation_bundles[0]!.attestations.map((a) => JSON.parse(Buffer.from(a.envelope.statement, 'base64').toString()).predicateType).sort();
    assert.deepEqual(types, [PUBLISH_PREDICATE_TYPE, SLSA_PREDICATE_TYPE], name);
  }
});

test('a link planted at an output name is replaced, never written through', async () => {
  const ws = await scratchDir('ws-build-link-');
  const wheel = await buildWheel(join(ws, 'dist'), { name: PROJECT, version: '3.0.0' });
  const victim = join(ws, 'victim.txt');
  await writeFile(victim, 'untouched');
  await symlink(victim, `${wheel}.slsa.attestation`);
  await symlink(victim, join(ws, 'dist', `.${wheel.replace(/^.*\//, '')}.slsa.sigstore.json.partial`));
  const r = await attestBuild(ws);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(await readFile(victim, 'utf8'), 'untouched');
  assert.ok((await lstat(`${wheel}.slsa.attestation`)).isFile());
});

test('a dist whose output names do not fit in a file name fails the step, naming the file, and writes nothing', async () => {
  // The files are all this step makes: the publish step would find no build attestation beside the dist.
  const ws = await scratchDir('ws-build-long-');
  const wheel = await buildWheel(join(ws, 'dist'), { name: 'v_long', version: `1${'.1'.repeat(110)}` });
  const name = wheel.replace(/^.*\//, '');
  assert.ok(Buffer.byteLength(`${name}.slsa.attestation`) > 255 && Buffer.byteLength(name) <= 246);
  const r = await attestBuild(ws);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /The build provenance files could not be written/);
  assert.ok(r.stdout.includes(`${name}.slsa.sigstore.json and ${name}.slsa.attestation not written: longer than the 255 bytes a file name may have`), r.stdout);
  assert.deepEqual(
    (await readdir(join(ws, 'dist'))).filter((f) => f.includes('.slsa.')),
    [],
  );
});

test('without id-token: write, or with no dist, the step fails and writes nothing', async () => {
  const ws = await scratchDir('ws-build-none-');
  await buildWheel(join(ws, 'dist'), { name: PROJECT, version: '4.0.0' });
  const r = await attestBuild(ws, {}, { ACTIONS_ID_TOKEN_REQUEST_TOKEN: '', ACTIONS_ID_TOKEN_REQUEST_URL: '' });
  assert.notEqual(r.code, 0);
  assert.match(r.stdout, /id-token: write/);
  assert.deepEqual(
    (await readdir(join(ws, 'dist'))).filter((f) => f.includes('.slsa.')),
    [],
  );
  const empty = await attestBuild(ws, { 'subject-path': 'nothing-here' });
  assert.notEqual(empty.code, 0);
  assert.match(empty.stdout, /nothing-here/);
});
