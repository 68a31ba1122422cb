// Hostile answers from the services the action reads: an index's simple API (JSON and HTML), its
// Integrity API, its mint-token endpoint, Rekor and Fulcio. Each parser gets mutants of a valid answer
// (test/fuzz/json-answers.ts, seeded) and must end in a value or in its own named error: never a
// TypeError, RangeError or anything else an answer's shape could throw. Bounded: a few hundred
// answers per service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpClient } from '../../src/http/client.ts';
import { answering as answer } from '../../test/helpers/fake-services.ts';
import { DEFAULT_RETRY, setTimeScale } from '../../src/http/retry.ts';
import { listProjectFiles } from '../../src/pypi/simple-index.ts';
import { indexMessage } from '../../src/pypi/upload.ts';
import { mintToken } from '../../src/pypi/trusted-publishing.ts';
import { TrustedPublishingError } from '../../src/pypi/errors.ts';
import { provenanceReader } from '../../src/provenance/read-back.ts';
import { createRekorWitness } from '../../src/sigstore/rekor-witness.ts';
import { requestSigningCertificate } from '../../src/sigstore/fulcio-client.ts';
import { SigningError } from '../../src/sigstore/errors.ts';
import { Rng } from '../../test/fuzz/rng.ts';
import { mutateJson } from '../../test/fuzz/json-answers.ts';

const PER_SERVICE = 300;
const SEED = Number(process.env['FUZZ_SEED'] ?? '21');

/** Every request answered with `status` and `body` (JSON unless a string). */
function answering(status: number, body: unknown, contentType = 'application/json'): HttpClient {
  return answer(status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': contentType });
}

/** Runs `parse` on PER_SERVICE mutants of `valid`; every error must be one `named` accepts. */
async function fuzz(name: string, valid: unknown, parse: (answer: unknown) => Promise<unknown>, named: (e: unknown) => boolean): Promise<void> {
  const rng = new Rng(SEED);
  for (let i = 0; i < PER_SERVICE; i++) {
    const answer = mutateJson(rng, valid);
    try {
      await parse(answer);
    } catch (e) {
      assert.ok(named(e), `${name}, answer ${i} (seed ${SEED}): ${(e as Error)?.stack}\n${JSON.stringify(answer)}`);
    }
  }
}

const SHA = 'ab'.repeat(32);
const jwt = `e30.${Buffer.from(JSON.stringify({ sub: 'repo:o/r:ref:refs/tags/v1' })).toString('base64url')}.sig`;
const plainError = (e: unknown) => e instanceof Error && e.constructor === Error;

test("an index's simple API: any JSON page ends in files or a plain error naming the page", async () => {
  const page = {
    meta: { 'api-version': '1.1' },
    name: 'a',
    files: [{ filename: 'a-1.0.tar.gz', url: '/f/a-1.0.tar.gz', hashes: { sha256: SHA }, provenance: '/p' }],
  };
  await fuzz(
    'simple JSON',
    page,
    (answer) => listProjectFiles(answering(200, answer, 'application/vnd.pypi.simple.v1+json'), 'http://127.0.0.1:9/simple/', 'a'),
    plainError,
  );
});

test("an index's simple API: any HTML page and any error page read without throwing", async () => {
  const rng = new Rng(SEED);
  const parts = [
    '<a href="',
    "<a href='",
    '<a href=',
    '">',
    "'>",
    '>',
    '</a>',
    '<a>',
    '&amp;',
    '&#039;',
    '&#x110000;',
    '#sha256=',
    SHA,
    '<style>',
    '</style>',
    '<!--',
    '-->',
    '<head>',
    '"',
    ' ',
  ];
  for (let i = 0; i < PER_SERVICE; i++) {
    const html = Array.from({ length: 1 + rng.int(40) }, () => rng.pick(parts)).join('');
    const files = await listProjectFiles(answering(200, html, 'text/html'), 'http://127.0.0.1:9/simple/', 'a');
    assert.ok(Array.isArray(files), html);
    assert.equal(typeof indexMessage(400, 'Bad Request', html), 'string');
  }
});

test("an index's Integrity API: any provenance answer is compared, never thrown", async () => {
  const att = { version: 1, verification_material: { certificate: '', transparency_entries: [] }, envelope: { statement: 'e30=', signature: 'c2ln' } };
  const served = { version: 1, attestation_bundles: [{ publisher: { kind: 'GitHub', repository: 'o/r', workflow: 'r.yml' }, attestations: [att] }] };
  const sent = { filename: 'a-1.0.tar.gz', sha256: SHA, provenanceUrl: 'http://127.0.0.1:9/p', sent: { publish: att } };
  const verifier = async () => ({ verify: async () => {} });
  await fuzz(
    'provenance',
    served,
    (answer) => provenanceReader({ http: answering(200, answer), verifier, identity: { repository: 'o/r', workflow: 'r.yml' } })(sent),
    () => false,
  );
});

test("an index's mint-token endpoint: any answer is a token or a Trusted Publishing error", async () => {
  setTimeScale(0.001);
  try {
    for (const status of [200, 422]) {
      const valid =
        status === 200
          ? { success: true, token: 'pypi-x' }
          : { message: 'Token request failed', errors: [{ code: 'invalid-publisher', description: 'no match' }] };
      await fuzz(
        `mint-token ${status}`,
        valid,
        (answer) =>
          mintToken(
            { http: answering(status, answer), identity: { getToken: async () => jwt }, mask() {}, log: { debug() {} }, github: {} },
            new URL('http://127.0.0.1:9/legacy/'),
          ),
        (e) => e instanceof TrustedPublishingError,
      );
    }
  } finally {
    setTimeScale(1);
  }
});

test('Rekor and Fulcio: any answer is a log entry, a certificate or a signing error', async () => {
  setTimeScale(0.001);
  try {
    const opts = (answer: unknown, status = 201) => ({ http: answering(status, answer), timeoutMs: 1000, retry: DEFAULT_RETRY });
    const entry = {
      body: Buffer.from(JSON.stringify({ kind: 'dsse', apiVersion: '0.0.1' })).toString('base64'),
      integratedTime: 1_700_000_000,
      logID: 'ab'.repeat(32),
      logIndex: 7,
      verification: { signedEntryTimestamp: 'c2V0', inclusionProof: { logIndex: 7, treeSize: 8, rootHash: 'ab', hashes: ['cd'], checkpoint: 'c' } },
    };
    const envelope = {
      $case: 'dsseEnvelope' as const,
      dsseEnvelope: { payload: Buffer.from('{}'), payloadType: 'application/vnd.in-toto+json', signatures: [{ keyid: '', sig: Buffer.from('s') }] },
    };
    const signingError = (e: unknown) => e instanceof SigningError;
    await fuzz('Rekor', { abc: entry }, (answer) => createRekorWitness('http://127.0.0.1:9', opts(answer)).testify(envelope, 'PEM'), signingError);
    const cert = { signedCertificateEmbeddedSct: { chain: { certificates: ['-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----'] } } };
    const request = { token: jwt, publicKeyPEM: 'PEM', proofOfPossession: Buffer.from('p') };
    await fuzz('Fulcio', cert, (answer) => requestSigningCertificate({ ...opts(answer, 200), fulcioURL: 'http://127.0.0.1:9' }, request), signingError);
  } finally {
    setTimeScale(1);
  }
});
