// Every bundle the action publishes is accepted by verifiers nobody here wrote (cosign 3, sigstore-go,
// sigstore-python, pypi-attestations at warehouse's pins and at their newest releases), each against
// the world's trusted root, and each of them refuses it for the wrong identity, the wrong repository
// and a tampered dist; the verifiers that check a predicate type (cosign's --type, PyPI's) refuse it
// for another one.
import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { pypiControl } from '../../test/helpers/pypi.ts';
import { runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { assertNoSecretLeaked } from '../../test/helpers/secrets.ts';
import { assertVerifiedByAll, bundlesOf, judgeBundles, VERIFIERS, type BundleOfDist, type VerifierName } from '../../test/helpers/verifiers.ts';
import { startWorld, type World } from '../../test/helpers/world.ts';

const PROJECT = 'sampleproject';
let world: World;
let run: ActionRun;
let bundles: BundleOfDist[];

before(async () => {
  world = await startWorld();
  const pypi = pypiControl(world);
  await pypi.trust({ project: PROJECT });
  const workspace = await scratchDir('verifiers-');
  await buildWheel(join(workspace, 'dist'), { name: PROJECT, version: '3.0.0' });
  await buildSdist(join(workspace, 'dist'), { name: PROJECT, version: '3.0.0' });
  run = await runAction({ cwd: workspace, inputs: { 'repository-url': pypi.uploadUrl }, env: world.env });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  bundles = bundlesOf(workspace, run.results);
  assert.equal(bundles.length, 2);
});

after(async () => {
  try {
    await assertNoSecretLeaked(world, [run]);
  } finally {
    await world.stop();
  }
});

/** Asserts that each named verifier refused every bundle. */
async function refusedBy(names: readonly VerifierName[], items: BundleOfDist[], expected: Parameters<typeof judgeBundles>[2]): Promise<void> {
  for (const [i, verdict] of (await judgeBundles(world, items, expected)).entries()) {
    for (const name of names) assert.notEqual(verdict[name], null, `${name} accepted ${items[i]!.bundle} for ${JSON.stringify(expected)}`);
  }
}

test('cosign, sigstore-go, sigstore-python and pypi-attestations accept every bundle', async () => {
  await assertVerifiedByAll(world, bundles);
});

test('each refuses the bundles for another workflow (the wrong identity)', async () => {
  await refusedBy(VERIFIERS, bundles, { workflow: 'other.yml' });
});

test('each refuses the bundles for another repository', async () => {
  await refusedBy(VERIFIERS, bundles, { repository: 'octo-org/impostor' });
});

test('cosign and pypi-attestations refuse them for another predicate type', async () => {
  await refusedBy(['cosign', 'pypi-attestations', 'pypi-attestations (newest)'], bundles, { predicateType: 'https://slsa.dev/provenance/v1' });
});

test('each refuses a bundle for a tampered dist', async () => {
  const dir = await scratchDir('tampered-');
  const [item] = bundles;
  const dist = join(dir, item!.dist.split('/').at(-1)!);
  const bytes = await readFile(item!.dist);
  bytes[bytes.length >> 1]! ^= 0x01;
  await writeFile(dist, bytes);
  await copyFile(item!.bundle, `${dist}.sigstore.json`);
  await refusedBy(VERIFIERS, [{ bundle: `${dist}.sigstore.json`, dist }], {});
});

// On a sharded log (the world's, as public-good's) an entry's global log index and its index in the
// shard's tree differ, so a bundle that mixed them up is caught: the SET covers the one, the inclusion
// proof the other.
test('each refuses a bundle whose log index and inclusion-proof index are swapped', async () => {
  const dir = await scratchDir('swapped-');
  const [item] = bundles;
  const dist = join(dir, item!.dist.split('/').at(-1)!);
  await copyFile(item!.dist, dist);
  const bundle = JSON.parse(await readFile(item!.bundle, 'utf8'));
  const entry = bundle.verificationMaterial.tlogEntries[0];
  assert.notEqual(entry.logIndex, entry.inclusionProof.logIndex, 'the world is sharded');
  [entry.logIndex, entry.inclusionProof.logIndex] = [entry.inclusionProof.logIndex, entry.logIndex];
  await writeFile(`${dist}.sigstore.json`, JSON.stringify(bundle));
  await refusedBy(VERIFIERS, [{ bundle: `${dist}.sigstore.json`, dist }], {});
});
