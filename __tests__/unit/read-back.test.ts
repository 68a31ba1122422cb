// The read-back's verdicts, in-process: a fake index answers the Integrity API, a fake verifier stands
// for PyPI's policy (the end-to-end suite reads back real provenance from the stand-in).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpClient, HttpRequest } from '../../src/http/client.ts';
import type { DistVerifier } from '../../src/sigstore/types.ts';
import { provenanceReader, servedLine, type UploadedFile } from '../../src/provenance/read-back.ts';
import { fakeResponse, withKeysReversed } from '../../test/helpers/fake-services.ts';

const PUBLISH = 'https://docs.pypi.org/attestations/publish/v1';
const SLSA = 'https://slsa.dev/provenance/v1';
const IDENTITY = { repository: 'octo-org/sampleproject', workflow: 'release.yml' };
const PUBLISHER = { kind: 'GitHub', repository: 'octo-org/sampleproject', workflow: 'release.yml', environment: null };

function att(type: string, signature: string) {
  const statement = Buffer.from(JSON.stringify({ predicateType: type })).toString('base64');
  return { version: 1, verification_material: { certificate: '', transparency_entries: [] }, envelope: { statement, signature } };
}

const SENT: UploadedFile = {
  filename: 'sampleproject-1.0-py3-none-any.whl',
  sha256: 'ab'.repeat(32),
  provenanceUrl: 'https://index.example/integrity/sampleproject/1.0/sampleproject-1.0-py3-none-any.whl/provenance',
  sent: { publish: att(PUBLISH, 'p-sig'), build: att(SLSA, 'b-sig') },
};

function index(status: number, body: unknown, contentType = 'application/vnd.pypi.integrity.v1+json'): HttpClient & { asked: HttpRequest[] } {
  const asked: HttpRequest[] = [];
  const answer = fakeResponse(status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': contentType });
  return {
    asked,
    async send(req) {
      asked.push(req);
      return answer;
    },
    async close() {},
  };
}

const accepting: DistVerifier = { verify: async () => {} };
const read = (http: HttpClient, verifier: DistVerifier = accepting) => provenanceReader({ http, verifier: async () => verifier, identity: IDENTITY })(SENT);

/** A verifier that accepts everything and counts what it was asked to verify, by predicate type. */
function counting(): DistVerifier & { asked: string[] } {
  const asked: string[] = [];
  return { asked, verify: async (s) => void asked.push(s.predicateType ?? '?') };
}

test('both attestations served, verified and the ones sent: publish ✓ build ✓', async () => {
  const http = index(200, { version: 1, attestation_bundles: [{ publisher: PUBLISHER, attestations: [SENT.sent.publish, SENT.sent.build] }] });
  const p = await read(http);
  assert.deepEqual(p, { filename: SENT.filename, checked: true, kinds: { publish: true, build: true }, differences: [] });
  assert.equal(servedLine(p), 'provenance served by the index: publish ✓ build ✓');
  assert.equal(http.asked[0]?.url, SENT.provenanceUrl);
  assert.equal(http.asked[0]?.headers?.['accept'], 'application/vnd.pypi.integrity.v1+json');
});

test('the attestations sent, served back with their keys in another order, are not verified again; another one is', async () => {
  const verifier = counting();
  const same = index(200, {
    version: 1,
    attestation_bundles: [{ publisher: PUBLISHER, attestations: [withKeysReversed(SENT.sent.publish), withKeysReversed(SENT.sent.build)] }],
  });
  assert.deepEqual((await read(same, verifier)).kinds, { publish: true, build: true });
  assert.deepEqual(verifier.asked, [], 'no verification of what this run sent and verified before the upload');
  const other = { ...(SENT.sent.build as object), verification_material: { certificate: 'b3RoZXI=', transparency_entries: [] } };
  const differing = index(200, { version: 1, attestation_bundles: [{ publisher: PUBLISHER, attestations: [SENT.sent.publish, other] }] });
  assert.deepEqual((await read(differing, verifier)).differences, []);
  assert.deepEqual(verifier.asked, [SLSA], 'the build attestation differs in its certificate: verified');
});

test('an attestation served as sent under another publisher is still named', async () => {
  const verifier = counting();
  const pub = { ...PUBLISHER, repository: 'mallory/sampleproject' };
  const p = await read(index(200, { version: 1, attestation_bundles: [{ publisher: pub, attestations: [SENT.sent.publish, SENT.sent.build] }] }), verifier);
  assert.deepEqual(p.kinds, { publish: false, build: false });
  assert.match(p.differences[0]!, /served under the publisher GitHub mallory\/sampleproject/);
});

test('a GitLab publisher is served as pypi-attestations dumps it: its project path (any case) and pipeline file', async () => {
  const identity = { kind: 'gitlab' as const, repository: 'Octo-Group/sub/sampleproject', workflow: 'ci/release.yml' };
  const gitlab = { kind: 'GitLab', repository: 'octo-group/sub/sampleproject', workflow_filepath: 'ci/release.yml', environment: null };
  const readAs = (pub: object) =>
    provenanceReader({
      http: index(200, { version: 1, attestation_bundles: [{ publisher: pub, attestations: [SENT.sent.publish, SENT.sent.build] }] }),
      verifier: async () => accepting,
      identity,
    })(SENT);
  assert.deepEqual((await readAs(gitlab)).differences, []);
  for (const other of [
    { ...gitlab, workflow_filepath: '.gitlab-ci.yml' },
    { ...gitlab, workflow_filepath: 'CI/release.yml' },
    { ...gitlab, kind: 'GitHub', workflow: 'ci/release.yml' },
    { ...gitlab, repository: 'octo-group/sampleproject' },
  ]) {
    const p = await readAs(other);
    assert.deepEqual(p.kinds, { publish: false, build: false }, JSON.stringify(other));
    assert.match(p.differences[0]!, /served under the publisher/);
  }
  const github = await read(index(200, { version: 1, attestation_bundles: [{ publisher: gitlab, attestations: [SENT.sent.publish, SENT.sent.build] }] }));
  assert.match(
    github.differences[0]!,
    /^the publish attestation is served under the publisher GitLab octo-group\/sub\/sampleproject \(ci\/release\.yml\), not octo-org\/sampleproject \(release\.yml\)$/,
  );
});

test('read-backs that arrive together send at most 16 GETs at once', async () => {
  let open = 0;
  let peak = 0;
  const release: Array<() => void> = [];
  const body = JSON.stringify({ version: 1, attestation_bundles: [{ publisher: PUBLISHER, attestations: [SENT.sent.publish, SENT.sent.build] }] });
  const http: HttpClient = {
    async send() {
      peak = Math.max(peak, ++open);
      await new Promise<void>((r) => release.push(r));
      open--;
      return index(200, body).send({ method: 'GET', url: SENT.provenanceUrl });
    },
    async close() {},
  };
  const reader = provenanceReader({ http, verifier: async () => accepting, identity: IDENTITY });
  const all = Promise.all(Array.from({ length: 40 }, () => reader(SENT)));
  // Each GET answered lets the next waiting one go; none is answered before the first 16 are open.
  for (let answered = 0; answered < 40; answered++) {
    while (release.length === 0) await new Promise((r) => setImmediate(r));
    release.shift()!();
  }
  assert.equal((await all).filter((p) => p.kinds.publish && p.kinds.build).length, 40);
  assert.equal(peak, 16);
});

test('a missing build attestation is named', async () => {
  const p = await read(index(200, { version: 1, attestation_bundles: [{ publisher: PUBLISHER, attestations: [SENT.sent.publish] }] }));
  assert.deepEqual(p.kinds, { publish: true, build: false });
  assert.deepEqual(p.differences, [`the index serves no build attestation (${SLSA})`]);
  assert.equal(servedLine(p), 'provenance served by the index: publish ✓ build ✗');
});

test('bundles of another shape than PEP 740 gives are differences, never an error', async () => {
  const shapes = [
    null,
    7,
    'x',
    [],
    { publisher: 'GitHub', attestations: { 0: SENT.sent.publish } },
    { publisher: PUBLISHER, attestations: [null, 5, SENT.sent.build] },
  ];
  const p = await read(index(200, { version: 1, attestation_bundles: shapes }));
  assert.deepEqual(p.kinds, { publish: false, build: true });
  assert.deepEqual(p.differences, [
    `the index serves no publish attestation (${PUBLISH})`,
    'the index serves 2 attestation(s) this run did not upload (unreadable, unreadable)',
  ]);
});

// JSON's objects may name their own toString: one such value anywhere once threw a TypeError, which
// ended the run while other files were still being uploaded.
test('values whose toString is not a function are differences too, and a read-back that fails is one', async () => {
  const hostile = { toString: 1 };
  const statement = Buffer.from(JSON.stringify({ predicateType: hostile })).toString('base64');
  const bundles = [
    { publisher: { kind: hostile, repository: hostile, workflow: hostile }, attestations: [SENT.sent.publish] },
    { publisher: PUBLISHER, attestations: [{ envelope: { statement, signature: 'x' } }, SENT.sent.build] },
  ];
  const p = await read(index(200, { version: 1, attestation_bundles: bundles }));
  assert.deepEqual(p.kinds, { publish: false, build: true });
  assert.deepEqual(p.differences, [
    'the publish attestation is served under the publisher ? ? (?), not octo-org/sampleproject (release.yml)',
    'the index serves 1 attestation(s) this run did not upload (unreadable)',
  ]);
  const failing: HttpClient = {
    async send() {
      throw new TypeError('Cannot convert object to primitive value');
    },
    async close() {},
  };
  const failed = await read(failing);
  assert.equal(failed.checked, false, 'a request that fails is no answer: nothing compared');
  const broken = index(200, { version: 1, attestation_bundles: [{ publisher: PUBLISHER, attestations: [SENT.sent.publish, SENT.sent.build] }] });
  // A verifier that cannot be had (its trust root failed to load): the answer was read, and not checked.
  const asked = provenanceReader({ http: broken, verifier: () => Promise.reject(new Error('no verifier')), identity: IDENTITY });
  const differs = await asked({ ...SENT, sent: { publish: att(PUBLISH, 'mine') } });
  assert.deepEqual(differs.kinds, { publish: false });
  assert.match(differs.differences.join(), /could not be read \(no verifier\)/);
});

test('another valid attestation than the one sent, or one that does not verify, is named', async () => {
  const other = index(200, { version: 1, attestation_bundles: [{ publisher: PUBLISHER, attestations: [att(PUBLISH, 'other'), SENT.sent.build] }] });
  assert.deepEqual((await read(other)).differences, ['the publish attestation served verifies, but is not the one this run uploaded']);
  const refusing: DistVerifier = {
    verify: async (s) => {
      if (s.predicateType === SLSA) throw new Error('subject does not match distribution digest');
    },
  };
  // Its signature is the one sent, but the statement is another's: not the attestation sent, so verified.
  const statement = Buffer.from(JSON.stringify({ predicateType: SLSA, subject: [{ name: 'another.whl' }] })).toString('base64');
  const tampered = { ...(SENT.sent.build as object), envelope: { statement, signature: 'b-sig' } };
  const served = index(200, { version: 1, attestation_bundles: [{ publisher: PUBLISHER, attestations: [SENT.sent.publish, tampered] }] });
  assert.deepEqual((await read(served, refusing)).differences, ['the build attestation served does not verify: subject does not match distribution digest']);
});

test('another publisher, or warehouse\'s "No provenance available", is a difference', async () => {
  const pub = { ...PUBLISHER, workflow: 'other.yml' };
  const p = await read(index(200, { version: 1, attestation_bundles: [{ publisher: pub, attestations: [SENT.sent.publish, SENT.sent.build] }] }));
  assert.match(p.differences[0]!, /served under the publisher GitHub octo-org\/sampleproject \(other\.yml\), not octo-org\/sampleproject \(release\.yml\)/);
  const none = await read(index(404, { message: `No provenance available for ${SENT.filename}` }));
  assert.deepEqual(none, {
    filename: SENT.filename,
    checked: true,
    kinds: { publish: false, build: false },
    differences: ['the index serves no provenance for it'],
  });
});

test('an index without the Integrity API is skipped quietly', async () => {
  for (const http of [index(404, '<html>Not Found</html>', 'text/html'), index(404, { detail: 'Not Found' }), index(500, 'oops', 'text/plain')]) {
    assert.deepEqual(await read(http), { filename: SENT.filename, checked: false, kinds: {}, differences: [] });
  }
});
