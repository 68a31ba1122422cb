// The companion action's pure parts: GitHub's SLSA predicate from the token's claims, the identity PyPI
// will check the build attestation against, the inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { githubBuildPredicate, ProvenanceClaimsError } from '../../src/provenance/predicate.ts';
import { parseWorkflowRef } from '../../src/pypi/workflow-ref.ts';
import { workflowIdentity } from '../../src/provenance/attest-build.ts';
import { readBuildProvenanceConfig } from '../../src/provenance/config.ts';

const CLAIMS = {
  repository: 'octo-org/sampleproject',
  workflow_ref: 'octo-org/sampleproject/.github/workflows/release.yml@refs/tags/pkg@1.0.0',
  job_workflow_ref: 'octo-org/shared/.github/workflows/build.yml@refs/heads/main',
  ref: 'refs/tags/pkg@1.0.0',
  sha: 'a'.repeat(40),
  event_name: 'release',
  repository_id: '2002',
  repository_owner_id: '1001',
  runner_environment: 'github-hosted',
  run_id: '77',
  run_attempt: '2',
};

test('a tag holding "@" stays whole in the workflow ref', () => {
  const { file, ref } = parseWorkflowRef(CLAIMS.workflow_ref);
  assert.deepEqual([file, ref], ['.github/workflows/release.yml', 'refs/tags/pkg@1.0.0']);
});

test('the predicate names the top-level workflow as parameters and the called one as builder', () => {
  const p = githubBuildPredicate(CLAIMS, 'https://github.example.com');
  const body = p.body as {
    buildDefinition: { externalParameters: { workflow: unknown }; resolvedDependencies: unknown };
    runDetails: { builder: { id: string }; metadata: { invocationId: string } };
  };
  assert.equal(p.type, 'https://slsa.dev/provenance/v1');
  assert.deepEqual(body.buildDefinition.externalParameters.workflow, {
    ref: 'refs/tags/pkg@1.0.0',
    repository: 'https://github.example.com/octo-org/sampleproject',
    path: '.github/workflows/release.yml',
  });
  assert.equal(body.runDetails.builder.id, 'https://github.example.com/octo-org/shared/.github/workflows/build.yml@refs/heads/main');
  assert.equal(body.runDetails.metadata.invocationId, 'https://github.example.com/octo-org/sampleproject/actions/runs/77/attempts/2');
  assert.deepEqual(body.buildDefinition.resolvedDependencies, [
    { uri: 'git+https://github.example.com/octo-org/sampleproject@refs/tags/pkg@1.0.0', digest: { gitCommit: 'a'.repeat(40) } },
  ]);
});

test('a token without the run claims makes no predicate (and says which are missing)', () => {
  const { run_attempt: _, sha: __, ...partial } = CLAIMS;
  assert.throws(
    () => githubBuildPredicate(partial, 'https://github.com'),
    (e: ProvenanceClaimsError) => e instanceof ProvenanceClaimsError && /sha, .*run_attempt/.test(e.message),
  );
});

test('PyPI holds the build attestation to the top-level workflow file, also from a reusable workflow', () => {
  assert.deepEqual(workflowIdentity(CLAIMS), { repository: 'octo-org/sampleproject', workflow: 'release.yml', ref: CLAIMS.ref, sha: CLAIMS.sha });
});

test('subject-path: one pattern per line; empty is an input error', () => {
  assert.deepEqual(readBuildProvenanceConfig({ 'INPUT_SUBJECT-PATH': 'dist/*.whl\n\n  dist/*.tar.gz ' }).config, {
    subjectPath: ['dist/*.whl', 'dist/*.tar.gz'],
  });
  assert.match(readBuildProvenanceConfig({}).errors[0]!, /subject-path is required/);
});

test('build-attestations: auto by default; require only with Trusted Publishing; an unknown value is an error', async () => {
  const { readConfig } = await import('../../src/config/inputs.ts');
  assert.equal(readConfig({}).config?.buildAttestations, 'auto');
  assert.equal(readConfig({ 'INPUT_BUILD-ATTESTATIONS': 'Require' }).config?.buildAttestations, 'require');
  assert.match(readConfig({ 'INPUT_BUILD-ATTESTATIONS': 'always' }).errors.join('\n'), /must be one of auto, require, ignore/);
  const token = { INPUT_PASSWORD: 'pypi-abc' };
  assert.equal(readConfig(token).config?.buildAttestations, 'ignore');
  assert.match(readConfig({ ...token, 'INPUT_BUILD-ATTESTATIONS': 'require' }).errors.join('\n'), /only with Trusted Publishing/);
});

test('finding build attestations: beside each dist, never through a link, bounded, required when asked', async () => {
  const { symlink, writeFile } = await import('node:fs/promises');
  const { execFileSync } = await import('node:child_process');
  const { join } = await import('node:path');
  const { scratchDir } = await import('../../test/helpers/scratch.ts');
  const { findBuildAttestations, runPublisher } = await import('../../src/provenance/build-attestations.ts');
  const dir = await scratchDir('build-att-');
  const d = (name: string) => ({ path: join(dir, name), filename: name });
  const [a, b, c, e, f] = [d('a-1.0.tar.gz'), d('b-1.0.tar.gz'), d('c-1.0.tar.gz'), d('e-1.0.tar.gz'), d('f-1.0.tar.gz')];
  await writeFile(`${a.path}.slsa.attestation`, '{"version":1}');
  await writeFile(`${a.path}.slsa.sigstore.json`, '{"mediaType":"x"}');
  await writeFile(join(dir, 'elsewhere'), '{}');
  await symlink(join(dir, 'elsewhere'), `${c.path}.slsa.attestation`);
  await writeFile(`${e.path}.slsa.attestation`, Buffer.alloc((1 << 20) + 1, 32));
  // A named pipe from another job's artifact: opening it to read would wait for a writer forever.
  execFileSync('mkfifo', [`${f.path}.slsa.attestation`]);
  const auto = await findBuildAttestations([a, b], 'auto');
  assert.deepEqual(auto.failures, []);
  assert.deepEqual(auto.found.get(a.path), {
    distPath: a.path,
    attestationPath: `${a.path}.slsa.attestation`,
    attestation: { version: 1 },
    bundle: { mediaType: 'x' },
  });
  assert.equal(auto.found.has(b.path), false);
  const required = await findBuildAttestations([a, b, c, e, f], 'require');
  const reasons = Object.fromEntries(required.failures.map((f) => [f.filename, f.reason]));
  assert.match(reasons['b-1.0.tar.gz']!, /"require", but there is no b-1\.0\.tar\.gz\.slsa\.attestation beside it/);
  assert.match(reasons['c-1.0.tar.gz']!, /symbolic link/);
  assert.match(reasons['e-1.0.tar.gz']!, /not an attestation/);
  assert.match(reasons['f-1.0.tar.gz']!, /f-1\.0\.tar\.gz\.slsa\.attestation is not a regular file/);
  assert.equal((await findBuildAttestations([a], 'ignore')).found.size, 0);
  // a 246-byte wheel name: `<dist>.slsa.attestation` cannot exist (over 255 bytes), so none is there
  const long = d(`v_long-1${'.1'.repeat(110)}-py3-none-any.whl`);
  assert.deepEqual(await findBuildAttestations([long], 'auto'), { found: new Map(), failures: [] });
  assert.deepEqual(runPublisher({ repository: 'o/r', workflowRef: 'o/r/.github/workflows/release.yml@refs/tags/v@1' }), {
    repository: 'o/r',
    workflow: 'release.yml',
    ref: 'refs/tags/v@1',
  });
  assert.equal(runPublisher({ repository: 'o/r' }), undefined);
});
