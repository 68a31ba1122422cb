// The world's Fulcio takes and refuses what sigstore/fulcio does (pkg/server, pkg/challenges,
// sigstore/sigstore's cryptoutils and verifiers), in its words: the request as protojson reads it,
// the key and its proof, the CSR, and the certificate it issues. __tests__/world/real-servers.test.ts
// compares the same requests with the real Fulcio where that one is built.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { circleCIIdTokens } from '../../test/helpers/gitlab.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { startWorld, type World } from '../../test/helpers/world.ts';

const exec = promisify(execFile);

let world: World;
let token: string;
let subject: string;
before(async () => {
  world = await startWorld({ pypi: false });
  token = await world.idToken('sigstore');
  subject = String(decodeJwt(token).sub);
});
after(() => world?.stop());

const p256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
const proof = (key: KeyObject, text = subject, dsaEncoding: 'der' | 'ieee-p1363' = 'der') =>
  sign('sha256', Buffer.from(text), { key, dsaEncoding }).toString('base64');

async function v2(body: object | string, headers: Record<string, string> = {}) {
  const res = await fetch(`${world.urls.fulcio}/api/v2/signingCert`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const refusal = (message: string) => ({ status: 400, body: { code: 3, message, details: [] } });

/** A PEM CSR of a fresh key, as openssl makes one; `reqArgs` choose its digest and padding. */
async function makeCSR(keyArgs = ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], reqArgs: string[] = []): Promise<string> {
  const key = join(await scratchDir('fulcio-csr-'), 'key.pem');
  await exec('openssl', ['genpkey', ...keyArgs, '-out', key]);
  return (await exec('openssl', ['req', '-new', '-key', key, '-subj', '/O=client', ...reqArgs])).stdout;
}

describe('the request, as protojson reads it', () => {
  test('takes the proto (snake_case) names of nested fields as well as the JSON names', async () => {
    const { publicKey, privateKey } = p256();
    const snake = {
      credentials: { oidc_identity_token: token },
      public_key_request: { public_key: { content: pem(publicKey) }, proof_of_possession: proof(privateKey) },
    };
    const res = await v2(snake);
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

  test('refuses a field named twice, in either spelling', async () => {
    const text = `{"publicKeyRequest": {"publicKey": {"content": "x"}, "public_key": null}}`;
    assert.deepEqual(await v2(text), refusal('proto: (line 1:54): duplicate field "public_key"'));
  });

  test('names a nested field by its JSON name when refusing its value', async () => {
    const text = `{"credentials": {"oidc_identity_token": 7}}`;
    assert.deepEqual(await v2(text), refusal('proto: (line 1:41): invalid value for string field oidcIdentityToken: 7'));
  });
});

describe('the key and its proof of possession', () => {
  const keyRequest = (publicKey: KeyObject, pop: string, content = pem(publicKey)) => ({
    credentials: { oidcIdentityToken: token },
    publicKeyRequest: { publicKey: { content }, proofOfPossession: pop },
  });

  test("takes an ECDSA proof in IEEE P1363 as well as ASN.1 DER, as sigstore/sigstore's verifier does", async () => {
    for (const curve of ['P-256', 'P-384'] as const) {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const hash = curve === 'P-256' ? 'sha256' : 'sha384';
      const p1363 = sign(hash, Buffer.from(subject), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64');
      const res = await v2(keyRequest(publicKey, p1363));
      assert.equal(res.status, 200, `${curve}: ${JSON.stringify(res.body)}`);
    }
  });

  test('parses the key as challenges.ParsePublicKey does: a PUBLIC KEY or RSA PUBLIC KEY block, else DER', async () => {
    const ec = p256();
    assert.equal((await v2(keyRequest(ec.publicKey, proof(ec.privateKey), `garbage before\n${pem(ec.publicKey)}`))).status, 200);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs1 = rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    assert.equal((await v2(keyRequest(rsa.publicKey, proof(rsa.privateKey), pkcs1))).status, 200);
    const der = ec.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const v1 = await fetch(`${world.urls.fulcio}/api/v1/signingCert`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ publicKey: { content: der }, signedEmailAddress: proof(ec.privateKey) }),
    });
    assert.equal(v1.status, 201);
  });

  test('refuses a private key, a certificate, a key of a curve Go does not know, as a key it could not parse', async () => {
    const { publicKey, privateKey } = p256();
    const leaf = ((await v2(keyRequest(publicKey, proof(privateKey)))).body as { signedCertificateEmbeddedSct: { chain: { certificates: string[] } } })
      .signedCertificateEmbeddedSct.chain.certificates[0]!;
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const contents = [
      privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      leaf,
      pem(k1.publicKey),
      pem(publicKey).replace(/PUBLIC KEY/g, 'EC PUBLIC KEY'),
    ];
    for (const content of contents) {
      assert.deepEqual(await v2(keyRequest(publicKey, proof(privateKey), content)), refusal('The public key supplied in the request could not be parsed'));
    }
  });

  test('refuses a P1363 proof over another text, and one of no possible length', async () => {
    const { publicKey, privateKey } = p256();
    for (const pop of [proof(privateKey, 'another subject', 'ieee-p1363'), Buffer.alloc(63, 1).toString('base64')]) {
      assert.deepEqual(await v2(keyRequest(publicKey, pop)), refusal('The signature supplied in the request could not be verified'));
    }
  });
});

describe('the certificate signing request', () => {
  const csrRequest = (csr: string | Buffer) =>
    [{ certificateSigningRequest: Buffer.from(csr).toString('base64') }, { authorization: `Bearer ${token}` }] as const;
  const der = (csr: string) => Buffer.from(csr.replace(/-----[A-Z ]+-----/g, ''), 'base64');

  test('is read as cryptoutils.ParseCSR reads it: the first PEM block, a CERTIFICATE REQUEST or a NEW one', async () => {
    const csr = await makeCSR();
    assert.equal((await v2(...csrRequest(`some words first\n${csr}`))).status, 200);
    assert.equal((await v2(...csrRequest(csr.replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST')))).status, 200);
  });

  test("names a signature algorithm it verified but issues for none of, in Go's words", async () => {
    const ec = ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    const rsa = ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
    const pss = (digest: string, salt: string) => ['-sha' + digest, '-sigopt', 'rsa_padding_mode:pss', '-sigopt', `rsa_pss_saltlen:${salt}`];
    const cases: Array<[string[], string[], string]> = [
      [ec, ['-sha1'], 'unrecognized signature algorithm: ECDSA-SHA1'],
      [rsa, ['-sha1'], 'unrecognized signature algorithm: SHA1-RSA'],
      [rsa, pss('256', 'digest'), 'unrecognized signature algorithm: SHA256-RSAPSS'],
      [rsa, pss('384', 'digest'), 'unrecognized signature algorithm: SHA384-RSAPSS'],
      // Go knows RSA-PSS only with the salt as long as the hash, and ECDSA with no SHA-224.
      [rsa, pss('256', '20'), 'The signature supplied in the request could not be verified'],
      [ec, ['-sha224'], 'The signature supplied in the request could not be verified'],
      [rsa, ['-md5'], 'The signature supplied in the request could not be verified'],
    ];
    for (const [key, req, message] of cases) assert.deepEqual(await v2(...csrRequest(await makeCSR(key, req))), refusal(message), req.join(' '));
  });

  test('is no CSR when it is empty: the key request it stands for is missing', async () => {
    assert.deepEqual(await v2(...csrRequest('')), refusal('The public key supplied in the request could not be parsed'));
  });

  test('is refused in another armor, in none, or with bytes after it', async () => {
    const csr = await makeCSR();
    const trailing = `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.concat([der(csr), Buffer.from([0])]).toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    for (const body of [csr.replace(/CERTIFICATE REQUEST/g, 'PUBLIC KEY'), der(csr), der(csr).toString('base64'), trailing]) {
      assert.deepEqual(await v2(...csrRequest(body)), refusal('The certificate signing request could not be parsed'));
    }
  });
});

describe("the certificate's SAN", () => {
  // A GitHub job's certificate for a token whose job_workflow_ref is `ref`.
  async function certify(ref: string) {
    const jwt = await world.idToken('sigstore', await world.scenario({ job_workflow_ref: ref }));
    const { publicKey, privateKey } = p256();
    const sub = String(decodeJwt(jwt).sub);
    return v2({
      credentials: { oidcIdentityToken: jwt },
      publicKeyRequest: { publicKey: { content: pem(publicKey) }, proofOfPossession: proof(privateKey, sub) },
    });
  }
  const sanOf = (res: { body: Record<string, unknown> }) =>
    new X509Certificate(
      (res.body as { signedCertificateEmbeddedSct: { chain: { certificates: string[] } } }).signedCertificateEmbeddedSct.chain.certificates[0]!,
    ).subjectAltName;

  test("is the URL Go's url.Parse reads in the rendered template, as URL.String writes it", async () => {
    const res = await certify('octo-org/sample project/.github/workflows/ré lease.yml@refs/heads/é');
    assert.equal(sanOf(res), 'URI:https://github.com/octo-org/sample%20project/.github/workflows/r%C3%A9%20lease.yml@refs/heads/%C3%A9');
    const kept = await certify('octo-org/x%41y/.github/workflows/a.yml@refs/heads/main');
    assert.equal(sanOf(kept), 'URI:https://github.com/octo-org/x%41y/.github/workflows/a.yml@refs/heads/main', 'a valid escaping is kept as written');
  });

  test("is refused in url.Parse's words when it does not parse, and in x509's when it is no IA5String", async () => {
    assert.deepEqual(
      await certify('octo-org/x%zz/.github/workflows/a.yml@refs/heads/main'),
      refusal('parse "https://github.com/octo-org/x%zz/.github/workflows/a.yml@refs/heads/main": invalid URL escape "%zz"'),
    );
    assert.deepEqual(
      await certify('octo-org/x/.github/workflows/a.yml@refs/heads/a?é'),
      refusal('x509: "https://github.com/octo-org/x/.github/workflows/a.yml@refs/heads/a?é" cannot be encoded as an IA5String'),
    );
  });
});

describe('the issuers', () => {
  test("takes a CircleCI token of its organization's issuer, as public-good's meta-issuer https://oidc.circleci.com/org/* does", async () => {
    const org = 'https://oidc.circleci.com/org/3c7e5d1a-7b4f-4f0e-9a51-2f1c9e0b6d42';
    const jwt = (await circleCIIdTokens(world, ['sigstore'], { iss: org }))['sigstore']!;
    assert.equal(decodeJwt(jwt).iss, org);
    const { publicKey, privateKey } = p256();
    const res = await v2({
      credentials: { oidcIdentityToken: jwt },
      publicKeyRequest: { publicKey: { content: pem(publicKey) }, proofOfPossession: proof(privateKey, String(decodeJwt(jwt).sub)) },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const leaf = new X509Certificate(
      (res.body as { signedCertificateEmbeddedSct: { chain: { certificates: string[] } } }).signedCertificateEmbeddedSct.chain.certificates[0]!,
    );
    assert.ok(leaf.raw.includes(Buffer.from(org)), 'the issuer extensions name the organization issuer');
    assert.match(leaf.subjectAltName!, /^URI:https:\/\/circleci\.com\/api\/v2\/projects\//, "rendered from CircleCI's templates");
  });
});

describe('the legacy v1 API, which cosign 2 and older use', () => {
  const v1 = (body: object | string, headers: Record<string, string> = {}) =>
    fetch(`${world.urls.fulcio}/api/v1/signingCert`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const certificates = (text: string) => text.split(/\n(?=-----BEGIN)/).map((pem) => new X509Certificate(pem));

  test('answers a key and its signed subject with 201 and the chain as PEM, as cosign 2 sends them', async () => {
    const { publicKey, privateKey } = p256();
    const body = {
      publicKey: { content: Buffer.from(pem(publicKey)).toString('base64') },
      signedEmailAddress: proof(privateKey),
      certificateSigningRequest: null,
    };
    const res = await v1(body, { authorization: `Bearer ${token}` });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('content-type'), 'application/pem-certificate-chain');
    assert.equal(res.headers.get('sct'), null, 'the SCT is embedded');
    const text = await res.text();
    assert.doesNotMatch(text, /\n\n|\n$/, "each PEM trimmed, one newline between them, as Fulcio's CertPEM and ChainPEM write them");
    const [leaf, intermediate, root] = certificates(text);
    assert.ok(leaf!.publicKey.equals(publicKey));
    assert.ok(leaf!.verify(intermediate!.publicKey) && intermediate!.verify(root!.publicKey));
    const bundle = (await (await fetch(`${world.urls.fulcio}/api/v1/rootCert`)).text()).split(/\n\n(?=-----BEGIN)/);
    assert.deepEqual(
      bundle.map((p) => new X509Certificate(p).fingerprint256),
      [intermediate!.fingerprint256, root!.fingerprint256],
    );
  });

  test('takes a CSR, and the token only from the Authorization header', async () => {
    const csr = await makeCSR();
    const ok = await v1({ certificateSigningRequest: Buffer.from(csr).toString('base64') }, { authorization: `Bearer ${token}` });
    assert.equal(ok.status, 201);
    const inBody = await v1({ credentials: { oidcIdentityToken: token }, certificateSigningRequest: Buffer.from(csr).toString('base64') });
    assert.deepEqual({ status: inBody.status, body: await inBody.json() }, refusal('There was an error processing the identity token'));
  });

  test('refuses a request with neither key nor CSR before it looks at the token', async () => {
    for (const body of ['', '{}', '{"certificateSigningRequest": ""}']) {
      const res = await v1(body);
      assert.deepEqual({ status: res.status, body: await res.json() }, refusal('The public key supplied in the request could not be parsed'), body);
    }
  });

  test("reads its fields as the v1beta message names them, the key's content as bytes", async () => {
    const res = await v1({ publicKey: { content: 'not base64!' } }, { authorization: `Bearer ${token}` });
    assert.deepEqual({ status: res.status, body: await res.json() }, refusal('proto: (line 1:25): invalid value for bytes field content: "not base64!"'));
  });
});
