// The engine's build-provenance stages, in-process with fake services (test/helpers/fake-services.ts):
// a build attestation beside a dist is verified before any token and one that fails stops the run with
// nothing asked for; `require` wants one per dist; in a reusable workflow none is sent; the read-back
// names what the index serves differently. End to end with real bundles: __tests__/e2e/build-attestations.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { CLAIMS, fakeAttestation, runEngine, type EngineRun, type EngineSetup, withKeysReversed } from '../../test/helpers/fake-services.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

const WORKFLOW_REF = 'octo-org/sampleproject/.github/workflows/release.yml@refs/tags/v1.0.0';
const WHEEL = 'sample-1.0.0-py3-none-any.whl';
const SDIST = 'sample-1.0.0.tar.gz';

/** The engine over the dists in `dir`, in the default workflow unless `setup` names another (or none). */
const run = (dir: string, setup: EngineSetup = {}) => runEngine(dir, { workflowRef: WORKFLOW_REF, ...setup });

/** A wheel and an sdist of sample 1.0.0; `attested` of them have a build attestation beside them. */
async function release(attested: string[] = [WHEEL, SDIST]): Promise<string> {
  const dir = await scratchDir('engine-build-');
  await buildWheel(dir, { name: 'sample', version: '1.0.0' });
  await buildSdist(dir, { name: 'sample', version: '1.0.0' });
  for (const f of attested) await writeFile(join(dir, `${f}.slsa.attestation`), JSON.stringify({ version: 1, build: f }));
  return dir;
}

/** Nothing was asked of the identity or the index beyond the public audience, and nothing was sent. */
function assertNothingAsked(r: EngineRun): void {
  assert.deepEqual(r.identity.audiences, [], 'no OIDC token was requested');
  assert.deepEqual(r.index.tokens, []);
  assert.deepEqual(r.index.uploads, []);
  assert.equal(r.sigstore.certificates, 0);
}

describe('build attestations before any token', () => {
  it('each is verified as the SLSA type for its dist; the upload then carries both attestations', async () => {
    const r = await run(await release());
    assert.equal(r.result.failure, undefined);
    // checked before the token (as build attestations), then the publish ones were signed and verified
    assert.deepEqual(r.sigstore.verified.filter((f) => f === WHEEL).length, 2);
    assert.ok(r.identity.audiences.length > 0);
    assert.ok(r.index.uploads.every((u) => u.attestations));
    assert.ok(
      r.runtime.lines.some((l) =>
        l.includes(`${WHEEL}.slsa.attestation: build attestation verified with PyPI's policy for octo-org/sampleproject (release.yml)`),
      ),
    );
  });

  it('one PyPI would refuse stops the run before any token, naming the file and the reason', async () => {
    const r = await run(await release(), {
      sigstore: { verifyError: (f) => (f === SDIST ? new Error('subject does not match distribution digest') : undefined) },
    });
    assert.match(r.result.failure?.message ?? '', /1 build attestation\(s\) would be refused by PyPI; nothing was sent and no token was requested/);
    assert.match(
      r.reason[SDIST] ?? '',
      /PyPI would refuse its build attestation \(sample-1\.0\.0\.tar\.gz\.slsa\.attestation\): subject does not match distribution digest/,
    );
    assertNothingAsked(r);
  });

  it('require: a dist without one stops the run before any token; ignore: none is read', async () => {
    const r = await run(await release([WHEEL]), { config: { buildAttestations: 'require' } });
    assert.match(r.reason[SDIST] ?? '', /"require", but there is no sample-1\.0\.0\.tar\.gz\.slsa\.attestation beside it/);
    assertNothingAsked(r);
    const ignored = await run(await release(), { config: { buildAttestations: 'ignore' }, sigstore: { verifyError: () => undefined } });
    assert.equal(ignored.result.failure, undefined);
    assert.equal(ignored.sigstore.verified.filter((f) => f === WHEEL).length, 1, 'only the publish attestation was verified');
  });

  it('without the workflow the runner names, nothing to check against: the run stops before any token', async () => {
    const r = await run(await release(), { workflowRef: undefined });
    assert.match(r.result.failure?.message ?? '', /GITHUB_WORKFLOW_REF/);
    assertNothingAsked(r);
  });

  it("in a GitLab job each is verified against the job's GitLab publisher, and without one GitLab's variable is named", async () => {
    const publisher = { kind: 'gitlab' as const, repository: 'octo-group/sampleproject', workflow: 'ci/release.yml' };
    const r = await run(await release(), { gitlab: { publisher } });
    assert.equal(r.result.failure, undefined);
    assert.ok(
      r.runtime.lines.some((l) =>
        l.includes(`${WHEEL}.slsa.attestation: build attestation verified with PyPI's policy for octo-group/sampleproject (ci/release.yml)`),
      ),
    );
    const none = await run(await release(), { gitlab: {} });
    assert.match(
      none.result.failure?.message ?? '',
      /CI_PROJECT_PATH \(which GitLab sets in every job\) names no project to check the build attestation against/,
    );
    assertNothingAsked(none);
  });

  it('in a reusable workflow PyPI refuses every attestation: none is sent, with a warning', async () => {
    const claims = { ...CLAIMS, job_workflow_ref: 'octo-org/shared/.github/workflows/publish.yml@refs/heads/main' };
    const r = await run(await release(), { claims });
    assert.equal(r.result.failure, undefined);
    assert.ok(r.runtime.lines.some((l) => l.startsWith('warning: Build attestations skipped')));
    assert.ok(r.index.uploads.every((u) => !u.attestations));
  });
});

describe('read-back', () => {
  it("names a file the index serves no provenance for (warehouse's 404), and is quiet without an Integrity API", async () => {
    const provenance = (f: string) =>
      f === SDIST ? { status: 404, body: JSON.stringify({ message: `No provenance available for ${f}` }) } : { status: 404, body: '<html>' };
    const r = await run(await release([]), { index: { provenance } });
    assert.equal(r.result.failure, undefined);
    assert.ok(r.runtime.lines.includes(`${SDIST}: provenance served by the index: publish ✗`));
    assert.ok(
      r.runtime.lines.some(
        (l) =>
          l ===
          `warning: Provenance read back: The index serves provenance for ${SDIST} that differs from what this run uploaded: the index serves no provenance for it`,
      ),
    );
    assert.ok(!r.runtime.lines.some((l) => l.includes(`${WHEEL}: provenance served`)), 'no Integrity API answer for the wheel: nothing said');
    assert.equal(r.result.files.find((f) => f.filename === SDIST)?.servedProvenance, 'publish ✗');
  });

  it('reads back each file as soon as its own upload succeeded, while the others are still uploading', async () => {
    const dir = await release([]);
    let firstReadBack!: () => void;
    const readBackStarted = new Promise<void>((r) => (firstReadBack = r));
    const r = await run(dir, {
      index: {
        // The last upload is held until a read-back has been asked for (bounded: the old engine asked only after it).
        onUpload: async (_f, n) => {
          if (n === 1) await Promise.race([readBackStarted, turns(500)]);
          return undefined;
        },
        provenance: (f) => {
          firstReadBack();
          return served(f);
        },
      },
    });
    assert.equal(r.result.failure, undefined);
    const [first, last] = r.index.events.filter((e) => e.startsWith('start ')).map((e) => e.slice('start '.length));
    const events = r.index.events;
    assert.ok(
      events.indexOf(`read-back ${first}`) < events.indexOf(`end ${last}`),
      `the first file was read back before the last upload ended: ${events.join(', ')}`,
    );
    // The log stays in its order: the upload lines, then one read-back line per file in the dists' order.
    const lines = r.runtime.lines.filter((l) => /: (uploaded|provenance served)/.test(l));
    const dists = r.result.files.map((f) => f.filename);
    assert.deepEqual(
      lines.slice(2),
      dists.map((f) => `${f}: provenance served by the index: publish ✓`),
    );
    assert.deepEqual(lines.slice(0, 2).sort(), [`${SDIST}: uploaded`, `${WHEEL}: uploaded`].sort());
  });

  it('does not read back a file whose upload failed', async () => {
    const r = await run(await release([]), {
      index: { onUpload: (_f, n) => (n === 1 ? { status: 400, message: 'Invalid distribution file.' } : undefined), provenance: (f) => served(f) },
    });
    const [first, last] = r.index.events.filter((e) => e.startsWith('start ')).map((e) => e.slice('start '.length));
    assert.equal(r.result.files.find((f) => f.filename === last)?.status, 'failed');
    assert.deepEqual(
      r.index.events.filter((e) => e.startsWith('read-back ')),
      [`read-back ${first}`],
    );
    assert.ok(!r.runtime.lines.some((l) => l.includes(`${last}: provenance served`)));
  });

  it('does not verify again an attestation served as it was sent; one that differs is verified and named', async () => {
    const r = await run(await release([]), {
      index: { provenance: (f) => served(f, f === SDIST ? fakeAttestation(f, 'another signature') : undefined) },
    });
    assert.equal(r.result.failure, undefined);
    assert.deepEqual(r.sigstore.verified.filter((f) => f === WHEEL).length, 1, 'the wheel: verified once, before the upload');
    assert.deepEqual(r.sigstore.verified.filter((f) => f === SDIST).length, 2, 'the sdist: verified again, its attestation differs');
    assert.ok(r.runtime.lines.includes(`${WHEEL}: provenance served by the index: publish ✓`));
    assert.ok(
      r.runtime.lines.includes(
        `warning: Provenance read back: The index serves provenance for ${SDIST} that differs from what this run uploaded: the publish attestation served verifies, but is not the one this run uploaded`,
      ),
    );
  });
});

/** Several turns of the event loop: a bound on a wait for something that should have happened by then. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

const PUBLISHER = { kind: 'GitHub', repository: 'octo-org/sampleproject', workflow: 'release.yml', environment: null };

/** The Integrity API's answer for a file: the attestation the fake signer made for it (or `attestation`), its keys in another order as an index may re-serialize them. */
function served(filename: string, attestation: object = fakeAttestation(filename)) {
  return { status: 200, body: JSON.stringify({ version: 1, attestation_bundles: [{ publisher: PUBLISHER, attestations: [withKeysReversed(attestation)] }] }) };
}
