// Unit tests: statement bytes, PEP 740 shape, DER helpers, statement checks, GitHub OIDC client, witnesses.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SigningError, VerificationFailure, IdentityError } from '../../src/sigstore/errors.ts';
import { createGitHubIdentityProvider, tokenRequestURL } from '../../src/sigstore/github-identity.ts';
import { createHttpClient } from '../../src/http/client.ts';
import { scriptedServer } from '../../test/helpers/scripted-server.ts';
import { bundleToPep740, parsePep740, pep740ToBundle, pep740ToJSON } from '../../src/sigstore/pep740.ts';
import { statementBytes } from '../../src/sigstore/statement.ts';
import { withPrefetchedToken } from '../../src/sigstore/prefetched-identity.ts';
import { challengeSubject, requestSigningCertificate } from '../../src/sigstore/fulcio-client.ts';
import { checkStatement, decodeDerUTF8String, derUTF8String } from '../../src/sigstore/verify.ts';
import { createRekorWitness } from '../../src/sigstore/rekor-witness.ts';
import { createTsaWitness } from '../../src/sigstore/tsa-witness.ts';
import type { HttpClient, HttpResponse } from '../../src/http/client.ts';
import { DEFAULT_RETRY } from '../../src/http/retry.ts';

const SHA = 'ab'.repeat(32);

describe('statement', () => {
  it('is the exact bytes sigstore-python / pypi-attestations sign', () => {
    assert.equal(
      statementBytes({ filename: 'sampleproject-1.0.0.tar.gz', sha256: SHA }).toString(),
      `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"sampleproject-1.0.0.tar.gz","digest":{"sha256":"${SHA}"}}],` +
        `"predicateType":"https://docs.pypi.org/attestations/publish/v1","predicate":null}`,
    );
  });
  it('refuses malformed digests and paths', () => {
    assert.throws(
      () => statementBytes({ filename: 'a-1.tar.gz', sha256: SHA.toUpperCase() }),
      (e: SigningError) => e.code === 'SIGN_INPUT',
    );
    assert.throws(
      () => statementBytes({ filename: 'dist/a-1.tar.gz', sha256: SHA }),
      (e: SigningError) => e.code === 'SIGN_INPUT',
    );
  });
});

// A bundle as bundleToJSON emits it: note protobuf-JSON dropped inclusionProof.logIndex ("0") and hashes ([]).
const bundleJSON = {
  mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
  verificationMaterial: {
    certificate: { rawBytes: 'Q0VSVA==' },
    tlogEntries: [
      {
        logIndex: '7',
        logId: { keyId: 'S0VZ' },
        kindVersion: { kind: 'dsse', version: '0.0.1' },
        integratedTime: '1700000000',
        inclusionPromise: { signedEntryTimestamp: 'U0VU' },
        inclusionProof: { rootHash: 'Uk9PVA==', treeSize: '1', checkpoint: { envelope: 'cp\n' } },
        canonicalizedBody: 'Qk9EWQ==',
      },
    ],
    timestampVerificationData: { rfc3161Timestamps: [{ signedTimestamp: 'VFNB' }] },
  },
  dsseEnvelope: { payload: 'UEFZTE9BRA==', payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: 'U0lH', keyid: '' }] },
};

describe('PEP 740 conversion', () => {
  it('builds the object Attestation.from_bundle builds, in pydantic key order', () => {
    const att = bundleToPep740(bundleJSON as never);
    assert.equal(
      pep740ToJSON(att),
      '{"version":1,"verification_material":{"certificate":"Q0VSVA==","transparency_entries":[{"logIndex":"7","logId":{"keyId":"S0VZ"},' +
        '"kindVersion":{"kind":"dsse","version":"0.0.1"},"integratedTime":"1700000000","inclusionPromise":{"signedEntryTimestamp":"U0VU"},' +
        '"inclusionProof":{"logIndex":"0","rootHash":"Uk9PVA==","treeSize":"1","hashes":[],"checkpoint":{"envelope":"cp\\n"}},' +
        '"canonicalizedBody":"Qk9EWQ=="}]},"envelope":{"statement":"UEFZTE9BRA==","signature":"U0lH"}}',
    );
  });
  it('turns back into a v0.3 bundle like Attestation.to_bundle (no TSA timestamps)', () => {
    const b = pep740ToBundle(bundleToPep740(bundleJSON as never));
    assert.equal(b.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    assert.equal(b.dsseEnvelope?.payloadType, 'application/vnd.in-toto+json');
    assert.deepEqual(b.verificationMaterial.timestampVerificationData?.rfc3161Timestamps, []);
    assert.equal(b.verificationMaterial.certificate?.rawBytes, 'Q0VSVA==');
  });
  it('rejects bundles PyPI cannot use', () => {
    const noDsse = { ...bundleJSON, dsseEnvelope: undefined, messageSignature: {} };
    assert.throws(() => bundleToPep740(noDsse as never), /does not contain a DSSE envelope/);
    const twoSigs = { ...bundleJSON, dsseEnvelope: { ...bundleJSON.dsseEnvelope, signatures: [{ sig: 'QQ==' }, { sig: 'Qg==' }] } };
    assert.throws(() => bundleToPep740(twoSigs as never), /exactly one signature, got 2/);
    assert.throws(
      () => parsePep740({ version: 2 }),
      (e: VerificationFailure) => e.code === 'VERIFY_FORMAT',
    );
  });
});

describe('DER UTF8String', () => {
  it('encodes short and long forms and decodes them back', () => {
    assert.deepEqual(derUTF8String('ab'), Buffer.from([0x0c, 2, 0x61, 0x62]));
    const long = 'x'.repeat(200);
    assert.deepEqual(derUTF8String(long).subarray(0, 3), Buffer.from([0x0c, 0x81, 200]));
    assert.equal(decodeDerUTF8String(derUTF8String(long)), long);
    assert.equal(decodeDerUTF8String(Buffer.from('raw')), undefined);
  });
});

describe('statement checks (pypi-attestations Attestation.verify)', () => {
  const good = (over: Record<string, unknown> = {}) =>
    Buffer.from(JSON.stringify({ ...JSON.parse(statementBytes({ filename: 'a-1.0.tar.gz', sha256: SHA }).toString()), ...over }));
  it('accepts our statement', () => checkStatement(good(), 'a-1.0.tar.gz', SHA));
  it('rejects two subjects', () => {
    const two = good({
      subject: [
        { name: 'a-1.0.tar.gz', digest: { sha256: SHA } },
        { name: 'a-1.0-py3-none-any.whl', digest: { sha256: SHA } },
      ],
    });
    assert.throws(
      () => checkStatement(two, 'a-1.0.tar.gz', SHA),
      (e: VerificationFailure) => e.code === 'VERIFY_SUBJECT' && /2 subjects.*exactly one/.test(e.message),
    );
  });
  it('rejects another name, another digest, another predicate', () => {
    assert.throws(() => checkStatement(good(), 'a-2.0.tar.gz', SHA), /subject does not match distribution name/);
    assert.throws(() => checkStatement(good(), 'a-1.0.tar.gz', 'cd'.repeat(32)), /subject does not match distribution digest.*changed after it was signed/);
    assert.throws(() => checkStatement(good({ predicateType: 'https://slsa.dev/provenance/v0.2' }), 'a-1.0.tar.gz', SHA), /unknown attestation type/);
    assert.throws(() => checkStatement(good({ _type: 'https://in-toto.io/Statement/v0.1' }), 'a-1.0.tar.gz', SHA), /invalid statement/);
  });
});

describe('GitHub OIDC identity', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
  const ok = { status: 200, body: JSON.stringify({ value: jwt }) };
  // Quick retries: what is tested is the decision to retry, not the wait.
  const quick = { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 10_000 };
  const http = createHttpClient({ userAgent: 'identity-test' });
  after(() => http.close());
  const env = (base: string, bearer = 'BEARER-SECRET') => ({ ACTIONS_ID_TOKEN_REQUEST_URL: base, ACTIONS_ID_TOKEN_REQUEST_TOKEN: bearer });

  it('appends the audience to the runner URL with or without a query', () => {
    assert.equal(tokenRequestURL('https://h/token?api-version=2.0', 'sigstore'), 'https://h/token?api-version=2.0&audience=sigstore');
    assert.equal(tokenRequestURL('https://h/token?', 'pypi'), 'https://h/token?audience=pypi');
    assert.equal(tokenRequestURL('https://h/token', 'sigstore'), 'https://h/token?audience=sigstore');
  });

  it('says to add id-token: write when the runner gave no endpoint', async () => {
    const p = createGitHubIdentityProvider({ http, env: {} });
    await assert.rejects(p.getToken('sigstore'), (e: IdentityError) => e.code === 'OIDC_PERMISSION' && /permissions: id-token: write/.test(e.message));
  });

  it('sends the bearer, returns the JWT and hands it to onSecret', async () => {
    const server = await scriptedServer([ok]);
    try {
      const seen: string[] = [];
      const p = createGitHubIdentityProvider({ http, env: env(`${server.url}/t?x=1`), onSecret: (s) => seen.push(s) });
      assert.equal(await p.getToken('sigstore'), jwt);
      assert.equal(server.requests[0]?.headers.authorization, 'bearer BEARER-SECRET');
      assert.equal(server.requests[0]?.url, '/t?x=1&audience=sigstore');
      assert.deepEqual(seen, [jwt]);
    } finally {
      await server.close();
    }
  });

  it('reports HTTP failures with the status and never the bearer; retries 5xx', async () => {
    const server = await scriptedServer([
      { status: 503, body: 'busy' },
      { status: 503, body: 'busy' },
      { status: 403, body: 'BEARER-SECRET no' },
    ]);
    try {
      const p = createGitHubIdentityProvider({ http, env: env(`${server.url}/t?`), retry: quick });
      await assert.rejects(p.getToken('sigstore'), (e: IdentityError) => {
        assert.equal(e.code, 'OIDC_REQUEST');
        assert.equal(e.status, 403);
        assert.doesNotMatch(e.message, /BEARER-SECRET/);
        return true;
      });
      assert.equal(server.requests.length, 3);
    } finally {
      await server.close();
    }
  });

  it("times out by the client's own timeout", async () => {
    const server = await scriptedServer([{ status: 200, hang: true }]);
    try {
      const p = createGitHubIdentityProvider({ http, env: env(`${server.url}/t?`, 'b'), retry: false, timeoutMs: 50 });
      await assert.rejects(p.getToken('sigstore'), /timed out/);
    } finally {
      await server.close();
    }
  });

  it("retries a 200 without a JWT under the client's policy, then names it", async () => {
    const server = await scriptedServer([{ status: 200, body: '<html>proxy</html>' }, ok]);
    try {
      assert.equal(await createGitHubIdentityProvider({ http, env: env(`${server.url}/t?`), retry: quick }).getToken('pypi'), jwt);
      assert.equal(server.requests.length, 2);
    } finally {
      await server.close();
    }
    const never = await scriptedServer([{ status: 200, body: '{"value":null}' }]);
    try {
      await assert.rejects(
        createGitHubIdentityProvider({ http, env: env(`${never.url}/t?`), retry: quick }).getToken('sigstore'),
        (e: IdentityError) => e.code === 'OIDC_RESPONSE',
      );
      assert.equal(never.requests.length, quick.attempts);
    } finally {
      await never.close();
    }
  });

  it('does not follow a redirect with the bearer, and reads no more than a bound of an endless answer', async () => {
    const other = await scriptedServer([ok]);
    const server = await scriptedServer([{ status: 307, headers: { location: `${other.url}/stolen` } }]);
    try {
      await assert.rejects(createGitHubIdentityProvider({ http, env: env(`${server.url}/t?`), retry: false }).getToken('pypi'), /HTTP 307.*redirect/);
      assert.equal(other.requests.length, 0, 'the other origin was never asked');
    } finally {
      await Promise.all([server.close(), other.close()]);
    }
    const huge = await scriptedServer([{ status: 200, body: `{"value":"${'a'.repeat(4 << 20)}"}` }]);
    try {
      await assert.rejects(
        createGitHubIdentityProvider({ http, env: env(`${huge.url}/t?`), retry: false }).getToken('pypi'),
        (e: IdentityError) => e.code === 'OIDC_RESPONSE',
      );
    } finally {
      await huge.close();
    }
  });
});

// The witnesses' own decisions, on a scripted HttpClient (the world drives the real protocol in
// sign-verify.test.ts): where a 409 may lead, and when an answer is asked for again.
describe('Rekor and TSA witnesses', () => {
  const envelope = {
    $case: 'dsseEnvelope' as const,
    dsseEnvelope: { payload: Buffer.from('{}'), payloadType: 'application/vnd.in-toto+json', signatures: [{ keyid: '', sig: Buffer.from('sig') }] },
  };
  const logged = {
    body: Buffer.from(JSON.stringify({ kind: 'dsse', apiVersion: '0.0.1' })).toString('base64'),
    integratedTime: 1_700_000_000,
    logID: 'ab'.repeat(32),
    logIndex: 7,
    verification: { signedEntryTimestamp: Buffer.from('set').toString('base64') },
  };
  function scripted(answers: Array<{ status: number; body?: string | Buffer; location?: string }>) {
    const sent: string[] = [];
    const http: HttpClient = {
      async send(req) {
        sent.push(`${req.method} ${req.url}`);
        const a = answers.shift()!;
        const body = Buffer.isBuffer(a.body) ? a.body : Buffer.from(a.body ?? '');
        return {
          status: a.status,
          statusText: '',
          headers: {},
          body,
          truncated: false,
          attempts: 1,
          header: (n) => (n === 'location' ? a.location : undefined),
          text: () => body.toString(),
        } satisfies HttpResponse;
      },
      close: async () => {},
    };
    return { opts: { http, timeoutMs: 1000, retry: DEFAULT_RETRY }, sent };
  }

  it('fetches the existing entry a 409 names on the same host, and nowhere else', async () => {
    const same = scripted([
      { status: 409, location: '/api/v1/log/entries/abc' },
      { status: 200, body: JSON.stringify({ abc: logged }) },
    ]);
    const material = await createRekorWitness('http://127.0.0.1:9/', same.opts).testify(envelope, 'PEM');
    assert.deepEqual(same.sent, ['POST http://127.0.0.1:9/api/v1/log/entries', 'GET http://127.0.0.1:9/api/v1/log/entries/abc']);
    assert.equal(material.tlogEntries?.[0]?.logIndex, '7');
    assert.equal(material.tlogEntries?.[0]?.kindVersion?.kind, 'dsse');

    const other = scripted([{ status: 409, location: 'https://elsewhere.example/api/v1/log/entries/abc' }]);
    await assert.rejects(
      createRekorWitness('http://127.0.0.1:9', other.opts).testify(envelope, 'PEM'),
      (e: SigningError) => e.code === 'SIGN_TLOG' && /another host/.test(e.message),
    );
    assert.equal(other.sent.length, 1, 'the foreign Location was not requested');
  });

  it('asks once more when a 2xx cannot be read, then gives up with the reason', async () => {
    const once = scripted([
      { status: 201, body: '{"abc": {' },
      { status: 201, body: JSON.stringify({ abc: logged }) },
    ]);
    await createRekorWitness('http://127.0.0.1:9', once.opts).testify(envelope, 'PEM');
    assert.equal(once.sent.length, 2);

    const tsa = scripted([
      { status: 200, body: '<html>proxy</html>' },
      { status: 200, body: '<html>proxy</html>' },
    ]);
    await assert.rejects(
      createTsaWitness('http://127.0.0.1:9', tsa.opts).testify(envelope, 'PEM'),
      (e: SigningError) => e.code === 'SIGN_TSA' && /not a DER timestamp/.test(e.message),
    );
    assert.deepEqual(tsa.sent, ['POST http://127.0.0.1:9/api/v1/timestamp', 'POST http://127.0.0.1:9/api/v1/timestamp']);
  });

  it('a Rekor answer whose proof, timestamp or body has another shape is named as such, never a TypeError', async () => {
    const proof = { logIndex: 7, treeSize: 8, rootHash: 'ab', hashes: ['cd'], checkpoint: 'c' };
    const shapes = [
      { ...logged, verification: 'x' },
      { ...logged, verification: { signedEntryTimestamp: 5 } },
      { ...logged, verification: { inclusionProof: { ...proof, hashes: 'cd' } } },
      { ...logged, verification: { inclusionProof: { ...proof, logIndex: '7' } } },
      { ...logged, verification: { inclusionProof: null } },
    ];
    for (const entry of shapes) {
      const answers = scripted([
        { status: 201, body: JSON.stringify({ abc: entry }) },
        { status: 201, body: JSON.stringify({ abc: entry }) },
      ]);
      await assert.rejects(
        createRekorWitness('http://127.0.0.1:9', answers.opts).testify(envelope, 'PEM'),
        (e: SigningError) => e.code === 'SIGN_TLOG' && /signed entry timestamp or inclusion proof is malformed/.test(e.message),
        JSON.stringify(entry.verification),
      );
    }
    const nullBody = scripted([{ status: 201, body: JSON.stringify({ abc: { ...logged, body: Buffer.from('null').toString('base64') } }) }]);
    await assert.rejects(
      createRekorWitness('http://127.0.0.1:9', nullBody.opts).testify(envelope, 'PEM'),
      (e: SigningError) => e.code === 'SIGN_TLOG' && /not a JSON object/.test(e.message),
    );
    // A kind whose toString is no function: named, not a TypeError.
    const odd = Buffer.from(JSON.stringify({ kind: { toString: 1 }, apiVersion: '0.0.1' })).toString('base64');
    const oddKind = scripted([{ status: 201, body: JSON.stringify({ abc: { ...logged, body: odd } }) }]);
    await assert.rejects(
      createRekorWitness('http://127.0.0.1:9', oddKind.opts).testify(envelope, 'PEM'),
      (e: SigningError) => e.code === 'SIGN_TLOG' && /names no kind and apiVersion/.test(e.message),
    );
    const withProof = scripted([{ status: 201, body: JSON.stringify({ abc: { ...logged, verification: { inclusionProof: proof } } }) }]);
    const material = await createRekorWitness('http://127.0.0.1:9', withProof.opts).testify(envelope, 'PEM');
    assert.equal(material.tlogEntries?.[0]?.inclusionProof?.treeSize, '8');
  });

  it('keeps the full endpoint a signing config names for the TSA', async () => {
    const full = scripted([{ status: 200, body: Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]) }]);
    const material = await createTsaWitness('https://tsa.example/api/v1/timestamp', full.opts).testify(envelope, 'PEM');
    assert.deepEqual(full.sent, ['POST https://tsa.example/api/v1/timestamp']);
    assert.equal(material.rfc3161Timestamps?.length, 1);
  });
});

describe('the signing token asked for ahead', () => {
  it('is requested at once, handed out once, and later tokens are requested when asked', async () => {
    const asked: string[] = [];
    let n = 0;
    const identity = withPrefetchedToken({ getToken: async (aud) => (asked.push(aud), `${aud}-${++n}`) }, 'sigstore');
    assert.deepEqual(asked, ['sigstore'], 'requested before anyone asked');
    assert.equal(await identity.getToken('pypi'), 'pypi-2', 'another audience is not served from it');
    assert.equal(await identity.getToken('sigstore'), 'sigstore-1');
    assert.equal(await identity.getToken('sigstore'), 'sigstore-3', 'a refresh gets a fresh token');
    assert.deepEqual(asked, ['sigstore', 'pypi', 'sigstore']);
  });

  it('asks again when the request made ahead failed, and reports what the second says; never an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let n = 0;
      // The request made ahead timed out while the thread was busy: the one made when asked succeeds.
      const identity = withPrefetchedToken({ getToken: async () => (++n === 1 ? Promise.reject(new Error('timed out')) : `fresh-${n}`) }, 'sigstore');
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(await identity.getToken('sigstore'), 'fresh-2');
      assert.equal(n, 2);
      const refused = withPrefetchedToken({ getToken: async () => Promise.reject(new Error('no id-token permission')) }, 'sigstore');
      await new Promise((resolve) => setImmediate(resolve));
      await assert.rejects(refused.getToken('sigstore'), /no id-token permission/);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('the Fulcio request', () => {
  const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  const answering = (status: number, body: string) => {
    const sent: Array<{ url: string; body: unknown }> = [];
    const http: HttpClient = {
      async send(req) {
        sent.push({ url: req.url, body: JSON.parse(String(req.body?.())) });
        return {
          status,
          statusText: '',
          headers: {},
          body: Buffer.from(body),
          truncated: false,
          attempts: 1,
          header: () => undefined,
          text: () => body,
        } satisfies HttpResponse;
      },
      close: async () => {},
    };
    return { sent, opts: { http, timeoutMs: 1000, retry: { ...DEFAULT_RETRY, attempts: 1 }, fulcioURL: 'https://fulcio.example/' } };
  };
  const request = {
    token: 'the.oidc.token',
    publicKeyPEM: '-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n',
    proofOfPossession: Buffer.from('proof'),
  };

  it("challenges with sub, or with a verified email for Google's issuer, and needs one of them", () => {
    assert.equal(challengeSubject(jwt({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:o/r:ref:refs/tags/v1' })), 'repo:o/r:ref:refs/tags/v1');
    assert.equal(challengeSubject(jwt({ iss: 'https://accounts.google.com', sub: '123', email: 'a@b.c', email_verified: true })), 'a@b.c');
    assert.equal(challengeSubject(jwt({ iss: 'https://accounts.google.com', sub: '123', email: 'a@b.c' })), '123');
    assert.throws(() => challengeSubject(jwt({ iss: 'x' })), /no subject claim/);
  });

  it('sends the token, the key and the proof, and returns the leaf of either chain form', async () => {
    for (const form of ['signedCertificateEmbeddedSct', 'signedCertificateDetachedSct']) {
      const { sent, opts } = answering(
        201,
        JSON.stringify({ [form]: { chain: { certificates: ['-----BEGIN CERTIFICATE-----\nleaf', '-----BEGIN CERTIFICATE-----\nroot'] } } }),
      );
      assert.equal(await requestSigningCertificate(opts, request), '-----BEGIN CERTIFICATE-----\nleaf');
      assert.equal(sent[0]!.url, 'https://fulcio.example/api/v2/signingCert');
      assert.deepEqual(sent[0]!.body, {
        credentials: { oidcIdentityToken: 'the.oidc.token' },
        publicKeyRequest: { publicKey: { algorithm: 'ECDSA', content: request.publicKeyPEM }, proofOfPossession: Buffer.from('proof').toString('base64') },
      });
    }
  });

  it('a refusal, an answer without a chain and a body that is not JSON are SIGN_CERTIFICATE errors', async () => {
    const code = (e: unknown) => (e as { code?: string }).code;
    await assert.rejects(
      requestSigningCertificate(answering(401, '{"code":16,"message":"There was an error processing the identity token"}').opts, request),
      (e) => code(e) === 'SIGN_CERTIFICATE' && /HTTP 401: There was an error processing the identity token/.test((e as Error).message),
    );
    await assert.rejects(
      requestSigningCertificate(answering(201, '{"signedCertificateEmbeddedSct":{}}').opts, request),
      (e) => code(e) === 'SIGN_CERTIFICATE' && /no certificate chain/.test((e as Error).message),
    );
    const cut = answering(201, '{"signedCert');
    await assert.rejects(requestSigningCertificate(cut.opts, request), (e) => code(e) === 'SIGN_CERTIFICATE' && /not JSON/.test((e as Error).message));
    assert.equal(cut.sent.length, 2, 'an unreadable answer is asked for once more');
  });
});
