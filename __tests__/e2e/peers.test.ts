// The attestation files this action writes are the incumbent's artefacts: twine 7 and uv, given
// them next to the dists, upload them and PyPI's verifier (in the stand-in) accepts them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startWorld, type World } from '../../test/helpers/world.ts';
import { assertVerifiedByAll, bundlesOf, type BundleOfDist, twineUploadWithAttestations } from '../../test/helpers/verifiers.ts';
import { pypiControl } from '../../test/helpers/pypi.ts';
import { runAction } from '../../test/helpers/run-action.ts';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

const exec = promisify(execFile);
const VENV = resolve(import.meta.dirname, '../../.venv/bin');
const PROJECT = 'peer-project';

let world: World;
let pypi: ReturnType<typeof pypiControl>;
let dist: string;
let bundles: BundleOfDist[];

before(async () => {
  world = await startWorld();
  pypi = pypiControl(world);
  await pypi.trust({ project: PROJECT });
  const ws = await scratchDir('peers-');
  dist = join(ws, 'dist');
  await buildWheel(dist, { name: PROJECT, version: '2.0.0' });
  await buildSdist(dist, { name: PROJECT, version: '2.0.0' });
  const r = await runAction({ cwd: ws, inputs: { 'repository-url': pypi.uploadUrl }, env: world.env });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  bundles = bundlesOf(ws, r.results);
});

after(() => world.stop());

/** A fresh index holding the same publisher, and a Trusted Publishing token minted the manual way. */
async function freshIndexToken(): Promise<string> {
  await pypi.reset();
  await pypi.trust({ project: PROJECT });
  return pypi.mintToken();
}

async function dists(): Promise<string[]> {
  return (await readdir(dist)).filter((f) => f.endsWith('.whl') || f.endsWith('.tar.gz')).map((f) => join(dist, f));
}

async function attestationFiles(): Promise<string[]> {
  return (await readdir(dist)).filter((f) => f.endsWith('.publish.attestation')).map((f) => join(dist, f));
}

async function assertProvenance() {
  const files = await pypi.files(PROJECT);
  assert.equal(files.length, 2);
  for (const f of files) assert.equal(f.has_provenance, true, `${f.filename} has its attestation`);
}

test('cosign, sigstore-go, sigstore-python and pypi-attestations accept every bundle', async () => {
  await assertVerifiedByAll(world, bundles);
});

test('twine upload --attestations accepts our .publish.attestation files', async () => {
  const token = await freshIndexToken();
  const attestations = await attestationFiles();
  assert.equal(attestations.length, 2);
  await twineUploadWithAttestations(pypi.uploadUrl, token, [...(await dists()), ...attestations]);
  await assertProvenance();
});

test('uv publish groups our .publish.attestation files with their dists and uploads them', async () => {
  const token = await freshIndexToken();
  // uv groups `<dist>.*.attestation` files given among its paths with their dist (uv PR #16731).
  await exec(join(VENV, 'uv'), ['publish', '--publish-url', pypi.uploadUrl, '--token', token, ...(await dists()), ...(await attestationFiles())], {
    env: { ...process.env, UV_NO_CONFIG: '1' },
  });
  await assertProvenance();
});
