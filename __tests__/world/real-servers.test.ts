// Real Sigstore servers as judges (test/helpers/real-sigstore.ts, real-rekor.ts): sigstore/timestamp-
// authority, sigstore/fulcio and sigstore/rekor v1 (on google/trillian and PostgreSQL), built from
// their Go modules and run on loopback beside the world.
//  - The world's TSA, Fulcio and Rekor answer every request here as the real ones do: the same status,
//    the same refusal in the same words, a timestamp, certificate or log entry of the same shape (the
//    same canonical body, byte for byte).
//  - The action signs with the real Fulcio, TSA and Rekor (the world's CT log beside them), the PyPI
//    stand-in accepts the upload, and every verifier accepts each bundle against a trusted root that
//    holds only the real servers' keys and chains.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { constants, createHash, createPrivateKey, generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { ASN1Obj, dsse } from '@sigstore/core';
import type { Overrides } from '../../test/world/oidc/claims.ts';
import { circleCIIdTokens, gitLabIdTokens, gitLabJobEnv, runCli, type CliRun } from '../../test/helpers/gitlab.ts';
import { consistent } from '../../test/helpers/merkle-verify.ts';
import { pypiControl } from '../../test/helpers/pypi.ts';
import {
  ed25519Fingerprint,
  envelopeText,
  IN_TOTO,
  intotoV001,
  intotoV002,
  paeSign,
  rekordV001,
  statement,
  type Signer,
} from '../../test/helpers/legacy-rekor-entries.ts';
import { startRealRekor, type RealRekor } from '../../test/helpers/real-rekor.ts';
import { startRealFulcio, startRealTSA, trustRealServers, type RealServer } from '../../test/helpers/real-sigstore.ts';
import { runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { assertNoSecretLeaked } from '../../test/helpers/secrets.ts';
import { assertRunVerified, assertVerifiedByAll, GITLAB_EXPECTED } from '../../test/helpers/verifiers.ts';
import { startWorld, type World } from '../../test/helpers/world.ts';
import { implicitConstructed, int, octets, oid, seq, tlv } from '../../test/world/sigstore/der.ts';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';

const exec = promisify(execFile);
const PROJECT = 'real-servers-project';
let world: World;
let tsa: RealServer;
let fulcio: RealServer;
let rekor: RealRekor;
const runs: Array<{ everything: string }> = [];

before(async () => {
  world = await startWorld();
  // The TSA first: it needs the metrics port (:2112) that Rekor also binds, but Rekor carries on without it.
  tsa = await startRealTSA();
  // Both settle before any failure is thrown, so that `after` stops what did start: a server left
  // running keeps this file's process, and the whole run, from ending.
  const [f, r] = await Promise.allSettled([startRealFulcio(world), startRealRekor()]);
  if (f.status === 'fulfilled') fulcio = f.value;
  if (r.status === 'fulfilled') rekor = r.value;
  for (const s of [f, r]) if (s.status === 'rejected') throw s.reason;
});
after(async () => {
  try {
    await assertNoSecretLeaked(world, runs);
  } finally {
    await Promise.all([tsa?.stop(), fulcio?.stop(), rekor?.stop()]);
    await world?.stop();
  }
});

interface Answer {
  status: number;
  type: string;
  body: Buffer;
}

async function send(url: string, init?: RequestInit): Promise<Answer> {
  const res = await fetch(url, init);
  return { status: res.status, type: (res.headers.get('content-type') ?? '').split(';')[0]!, body: Buffer.from(await res.arrayBuffer()) };
}

const post = (url: string, contentType: string | undefined, body: string | Buffer, headers: Record<string, string> = {}) =>
  send(url, { method: 'POST', headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers }, body });

const digest = (algorithm: string, text = 'signature') => createHash(algorithm).update(text).digest('base64');
const MiB = 1 << 20;
/** `text` after as many spaces as make `size` bytes. */
const padded = (text: string, size: number) => Buffer.from(' '.repeat(size - Buffer.byteLength(text)) + text);

/** What a client can see of a TimeStampResp apart from its times, serials, keys and signatures. */
function timestampShape(der: Buffer) {
  const [status, token] = ASN1Obj.parseBuffer(Buffer.from(der)).subs;
  const signedData = token!.subs[1]!.subs[0]!;
  const [, digestAlgorithms, encap, ...rest] = signedData.subs;
  const tst = ASN1Obj.parseBuffer(Buffer.from(encap!.subs[1]!.subs[0]!.value));
  const [version, policy, imprint, , genTime, ...optional] = tst.subs;
  const tagged = (n: number) => optional.find((o) => o.tag.isContextSpecific(n));
  const certificates = rest.find((o) => o.tag.isContextSpecific(0));
  const signerInfo = rest[rest.length - 1]!.subs[0]!;
  const signedAttributes = signerInfo.subs.find((o) => o.tag.isContextSpecific(0))!.subs.map((a) => a.subs[0]!.toOID());
  const hex = (o: ASN1Obj) => o.toDER().toString('hex');
  return {
    status: status!.subs[0]!.toInteger(),
    // Each AlgorithmIdentifier whole, parameters and all, as a DER-comparing client sees it.
    digestAlgorithms: digestAlgorithms!.subs.map(hex),
    // The SignedData's fields by tag: which optional ones are written, even empty.
    signedDataFields: signedData.subs.map((o) => o.tag.toDER().toString(16)),
    signerDigestAlgorithm: hex(signerInfo.subs[2]!),
    version: version!.toInteger(),
    policy: policy!.toOID(),
    imprintAlgorithm: hex(imprint!.subs[0]!),
    imprint: Buffer.from(imprint!.subs[1]!.value).toString('hex'),
    genTimeFraction: /\.(\d+)Z$/.exec(genTime!.value.toString('ascii'))?.[1]?.length ?? 0,
    accuracy:
      optional
        .find((o) => o.tag.isUniversal() && o.tag.number === 0x10)
        ?.toDER()
        .toString('hex') ?? null,
    ordering: optional.find((o) => o.tag.isBoolean())?.toBoolean() ?? null,
    nonce:
      optional
        .find((o) => o.tag.isInteger())
        ?.toInteger()
        .toString() ?? null,
    tsaName: tagged(0) !== undefined,
    extensions: tagged(1) !== undefined,
    // How many certificates, or the empty field's bytes.
    certificates: certificates?.subs.length || (certificates && hex(certificates)),
    signedAttributes: signedAttributes.sort(),
  };
}

/**
 * An answer as the two servers are compared: a refusal whole, a timestamp by its shape. go-openapi
 * lists the media types it takes in Go's map order, which changes from one server process to the next.
 */
function tsaView(answer: Answer) {
  const body = answer.body
    .toString('utf8')
    .trim()
    .replace(/only \[([^\]]*)\]/, (_, list: string) => `only [${list.split(' ').sort().join(' ')}]`);
  if (answer.status >= 300 || answer.body[0] !== 0x30) return { status: answer.status, type: answer.type, body };
  return { status: answer.status, type: answer.type, timestamp: timestampShape(answer.body) };
}

/** An RFC 3161 TimeStampReq made by openssl's client, as the incumbent's tooling would send it. */
async function derQuery(dir: string, options: string[]): Promise<Buffer> {
  const data = join(dir, 'data');
  await exec('sh', ['-c', `printf signature > ${data}`]);
  const { stdout } = await exec('openssl', ['ts', '-query', '-data', data, ...options], { encoding: 'buffer' });
  return stdout as unknown as Buffer;
}

/** A TimeStampReq built by hand (RFC 3161 §2.4.1), for the shapes openssl's client does not make. */
function tsq(o: { version?: number; nonce?: Buffer; certReq?: Buffer; extensions?: boolean; digest?: Buffer; noNullParams?: boolean }): Buffer {
  const algorithm = o.noNullParams ? seq(oid('2.16.840.1.101.3.4.2.1')) : seq(oid('2.16.840.1.101.3.4.2.1'), Buffer.from([0x05, 0x00]));
  const imprint = seq(algorithm, octets(o.digest ?? createHash('sha256').update('signature').digest()));
  const extension = seq(oid('1.2.3.4'), octets(Buffer.from([0x05, 0x00])));
  return seq(
    int(o.version ?? 1),
    imprint,
    o.nonce ?? int(5),
    o.certReq ?? tlv(0x01, Buffer.from([0xff])),
    ...(o.extensions ? [implicitConstructed(0, seq(extension))] : []),
  );
}

describe("the world's TSA answers as sigstore/timestamp-authority does", () => {
  const json = (fields: object) => JSON.stringify(fields);
  const sha256 = digest('sha256');
  const cases: Array<[string, string | undefined, string | (() => Promise<Buffer>)]> = [
    ['JSON, SHA-256', 'application/json', json({ artifactHash: sha256, hashAlgorithm: 'sha256' })],
    ['JSON, SHA-384', 'application/json', json({ artifactHash: digest('sha384'), hashAlgorithm: 'sha384' })],
    ['JSON, SHA-512 in capitals', 'application/json', json({ artifactHash: digest('sha512'), hashAlgorithm: 'SHA512' })],
    [
      'JSON, a nonce and the certificate asked for',
      'application/json',
      json({ artifactHash: sha256, hashAlgorithm: 'sha256', nonce: 123456789, certificates: true }),
    ],
    ['JSON, the default policy asked for', 'application/json', json({ artifactHash: sha256, hashAlgorithm: 'sha256', tsaPolicyOID: '1.3.6.1.4.1.57264.2' })],
    ['JSON, another policy', 'application/json', json({ artifactHash: sha256, hashAlgorithm: 'sha256', tsaPolicyOID: '1.2.3.4' })],
    ['JSON, a policy that is no OID', 'application/json', json({ artifactHash: sha256, hashAlgorithm: 'sha256', tsaPolicyOID: 'policy' })],
    ['JSON, SHA-1', 'application/json', json({ artifactHash: digest('sha1'), hashAlgorithm: 'sha1' })],
    ['JSON, MD5', 'application/json', json({ artifactHash: digest('md5'), hashAlgorithm: 'md5' })],
    ['JSON, no hash algorithm', 'application/json', json({ artifactHash: sha256 })],
    ['JSON, no hash', 'application/json', json({ hashAlgorithm: 'sha256' })],
    ['JSON, a hash of the wrong length', 'application/json', json({ artifactHash: digest('sha256').slice(0, 20), hashAlgorithm: 'sha256' })],
    ['JSON, a hash that is not base64', 'application/json', json({ artifactHash: '!!!!', hashAlgorithm: 'sha256' })],
    ['JSON, over 1 KiB', 'application/json', json({ artifactHash: sha256, hashAlgorithm: 'sha256', padding: 'x'.repeat(1100) })],
    ['not JSON', 'application/json', 'timestamp this'],
    ['JSON, a nonce that is a string', 'application/json', json({ artifactHash: sha256, hashAlgorithm: 'sha256', nonce: '5' })],
    ['JSON, a nonce past 64 bits', 'application/json', '{"artifactHash":"' + sha256 + '","hashAlgorithm":"sha256","nonce":18446744073709551617}'],
    ['JSON, a negative nonce', 'application/json', json({ artifactHash: sha256, hashAlgorithm: 'sha256', nonce: -1 })],
    ['JSON, a nonce of 128', 'application/json', json({ artifactHash: sha256, hashAlgorithm: 'sha256', nonce: 128 })],
    ['JSON, a nonce of -129', 'application/json', json({ artifactHash: sha256, hashAlgorithm: 'sha256', nonce: -129 })],
    ['JSON, a nonce of 0', 'application/json', json({ artifactHash: sha256, hashAlgorithm: 'sha256', nonce: 0 })],
    ['JSON, a nonce with a fraction', 'application/json', json({ artifactHash: sha256, hashAlgorithm: 'sha256', nonce: 1.5 })],
    ['JSON, certificates that is a string', 'application/json', json({ artifactHash: sha256, hashAlgorithm: 'sha256', certificates: 'yes' })],
    ['JSON, a hash algorithm that is a number', 'application/json', json({ artifactHash: sha256, hashAlgorithm: 256 })],
    ['JSON, its keys in capitals', 'application/json', json({ ARTIFACTHASH: sha256, HashAlgorithm: 'sha256' })],
    ['JSON, an array', 'application/json', '[]'],
    ['JSON, null', 'application/json', 'null'],
    ['JSON, a hash in unpadded base64', 'application/json', json({ artifactHash: sha256.replace(/=+$/, ''), hashAlgorithm: 'sha256' })],
    [
      'JSON, a hash in URL-safe base64',
      'application/json',
      json({ artifactHash: Buffer.from(sha256, 'base64').toString('base64url'), hashAlgorithm: 'sha256' }),
    ],
    ['JSON, a hash with a line break', 'application/json', json({ artifactHash: `${sha256.slice(0, 20)}\n${sha256.slice(20)}`, hashAlgorithm: 'sha256' })],
    ['JSON, extensions', 'application/json', json({ artifactHash: sha256, hashAlgorithm: 'sha256', extensions: [] })],
    ['JSON, two values', 'application/json', `${json({ artifactHash: sha256, hashAlgorithm: 'sha256' })} {}`],
    ['JSON with a charset', 'application/json; charset=utf-8', json({ artifactHash: sha256, hashAlgorithm: 'sha256' })],
    ['JSON with a quoted charset, twice', 'application/json; charset="utf-8"; CHARSET=utf-8', json({ artifactHash: sha256, hashAlgorithm: 'sha256' })],
    ['JSON with two charsets', 'application/json; charset=utf-8; charset=latin1', json({ artifactHash: sha256, hashAlgorithm: 'sha256' })],
    ['JSON with a trailing semicolon', 'application/json;', json({ artifactHash: sha256, hashAlgorithm: 'sha256' })],
    ['JSON with a parameter without a value', 'application/json; charset', json({ artifactHash: sha256, hashAlgorithm: 'sha256' })],
    ['JSON with an unterminated quoted parameter', 'application/json; charset="utf-8', json({ artifactHash: sha256, hashAlgorithm: 'sha256' })],
    ['JSON in capitals', 'APPLICATION/JSON', json({ artifactHash: sha256, hashAlgorithm: 'sha256' })],
    ['no body', 'application/json', ''],
    ['text/plain', 'text/plain', json({ artifactHash: sha256, hashAlgorithm: 'sha256' })],
    ['no content type', undefined, json({ artifactHash: sha256, hashAlgorithm: 'sha256' })],
    ['RFC 3161, SHA-256, nonce, certificate', 'application/timestamp-query', () => derQuery(work, ['-sha256', '-cert'])],
    ['RFC 3161, no nonce, no certificate', 'application/timestamp-query', () => derQuery(work, ['-sha512', '-no_nonce'])],
    ['RFC 3161, SHA-1', 'application/timestamp-query', () => derQuery(work, ['-sha1'])],
    ['RFC 3161, another policy', 'application/timestamp-query', () => derQuery(work, ['-sha256', '-tspolicy', '1.2.3.4'])],
    ['RFC 3161, not DER', 'application/timestamp-query', 'not a request'],
    ['RFC 3161 built here: a nonce and the certificate asked for', 'application/timestamp-query', async () => tsq({})],
    ['RFC 3161, version 2', 'application/timestamp-query', async () => tsq({ version: 2 })],
    ['RFC 3161, a negative nonce', 'application/timestamp-query', async () => tsq({ nonce: tlv(0x02, Buffer.from([0xff])) })],
    ['RFC 3161, certReq written out as FALSE', 'application/timestamp-query', async () => tsq({ certReq: tlv(0x01, Buffer.from([0])) })],
    ['RFC 3161, an extension', 'application/timestamp-query', async () => tsq({ extensions: true })],
    ['RFC 3161, bytes after the request', 'application/timestamp-query', async () => Buffer.concat([tsq({}), Buffer.from([0, 0])])],
    ['RFC 3161, SHA-256 named over 20 bytes', 'application/timestamp-query', async () => tsq({ digest: Buffer.alloc(20, 1) })],
    ['RFC 3161, SHA-256 without parameters', 'application/timestamp-query', async () => tsq({ noNullParams: true })],
    // --max-request-body-size (1 MiB by default) bounds every body; past it the handler's io.ReadAll fails.
    ['JSON, 1 MiB exactly', 'application/json', async () => padded(json({ artifactHash: sha256, hashAlgorithm: 'sha256' }), MiB)],
    ['JSON, a byte past 1 MiB', 'application/json', async () => padded(json({ artifactHash: sha256, hashAlgorithm: 'sha256' }), MiB + 1)],
    ['JSON, 17 MiB', 'application/json', async () => padded(json({ artifactHash: sha256, hashAlgorithm: 'sha256' }), 17 * MiB)],
    ['RFC 3161, past 1 MiB', 'application/timestamp-query', async () => Buffer.concat([tsq({}), Buffer.alloc(MiB)])],
    ['text/plain, past 1 MiB', 'text/plain', async () => padded('x', 2 * MiB)],
  ];
  let work: string;
  before(async () => {
    work = await scratchDir('tsa-differential-');
  });

  for (const [name, type, body] of cases) {
    test(name, async () => {
      const bytes = typeof body === 'string' ? Buffer.from(body) : await body();
      const [real, ours] = await Promise.all([post(`${tsa.url}/api/v1/timestamp`, type, bytes), post(`${world.urls.tsa!}/api/v1/timestamp`, type, bytes)]);
      assert.deepEqual(tsaView(ours), tsaView(real));
    });
  }
});

describe("the world's TSA negotiates its answer's media type as go-openapi does", () => {
  const stamp = JSON.stringify({ artifactHash: digest('sha256'), hashAlgorithm: 'sha256' });
  // [name, path, Accept, body]: a POST of JSON when there is a body, else a GET or an empty POST.
  const cases: Array<[string, string, string | undefined, string | undefined]> = [
    ['a timestamp, Accept application/json', '/api/v1/timestamp', 'application/json', stamp],
    ['a timestamp, Accept text/html', '/api/v1/timestamp', 'text/html', stamp],
    ['a timestamp, Accept */*', '/api/v1/timestamp', '*/*', stamp],
    ['a timestamp, Accept application/*', '/api/v1/timestamp', 'application/*', stamp],
    ['a timestamp, Accept empty', '/api/v1/timestamp', '', stamp],
    ['a timestamp, Accept its own type refused, anything else taken', '/api/v1/timestamp', 'application/timestamp-reply;q=0, */*', stamp],
    ['a timestamp, Accept JSON preferred to anything', '/api/v1/timestamp', '*/*;q=0.5, application/json', stamp],
    ['a timestamp, Accept JSON in capitals', '/api/v1/timestamp', 'APPLICATION/JSON', stamp],
    ['a timestamp, Accept JSON with a q that is no number', '/api/v1/timestamp', 'application/json;q=x', stamp],
    ['a timestamp, Accept JSON or its own type, equally', '/api/v1/timestamp', 'application/json;q=0.5, application/timestamp-reply;q=0.5', stamp],
    ['a timestamp, Accept its own type with a charset', '/api/v1/timestamp', 'application/timestamp-reply; charset=utf-8', stamp],
    ['a timestamp, Accept text/html, then its own type', '/api/v1/timestamp', 'text/html, application/timestamp-reply', stamp],
    ['a refused timestamp request, Accept application/json', '/api/v1/timestamp', 'application/json', 'not JSON'],
    ['no body, Accept text/html', '/api/v1/timestamp', 'text/html', ''],
    ['no body, Accept application/json', '/api/v1/timestamp', 'application/json', ''],
    ['the chain, Accept text/html', '/api/v1/timestamp/certchain', 'text/html', undefined],
    ['the chain, Accept application/json', '/api/v1/timestamp/certchain', 'application/json', undefined],
    ['the chain, Accept its own type', '/api/v1/timestamp/certchain', 'application/pem-certificate-chain', undefined],
    ['the chain, Accept text/*', '/api/v1/timestamp/certchain', 'text/*', undefined],
    ['the chain, Accept empty', '/api/v1/timestamp/certchain', '', undefined],
  ];
  for (const [name, path, accept, body] of cases) {
    test(name, async () => {
      const headers: Record<string, string> = accept === undefined ? {} : { accept };
      const init: RequestInit = body === undefined ? { headers } : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body };
      const [real, ours] = await Promise.all([send(`${tsa.url}${path}`, init), send(`${world.urls.tsa!}${path}`, init)]);
      const view = (a: Answer) => (a.type === 'application/pem-certificate-chain' ? { status: a.status, type: a.type } : tsaView(a));
      assert.deepEqual(view(ours), view(real));
    });
  }
  test('no body, sent as text/plain: go-openapi asks no Content-Type of a request without a body', async () => {
    const [real, ours] = await Promise.all([
      post(`${tsa.url}/api/v1/timestamp`, 'text/plain', ''),
      post(`${world.urls.tsa!}/api/v1/timestamp`, 'text/plain', ''),
    ]);
    assert.deepEqual(tsaView(ours), tsaView(real));
  });
});

/** What a client can see of a Fulcio leaf apart from its key, serial, times and signatures. */
function leafShape(pem: string) {
  const leaf = new X509Certificate(pem);
  const tbs = ASN1Obj.parseBuffer(Buffer.from(leaf.raw)).subs[0]!;
  const extensions = tbs.subs
    .find((s) => s.tag.isContextSpecific(3))!
    .subs[0]!.subs.map((e) => {
      const [id, second, third] = e.subs;
      const value = Buffer.from((third ?? second)!.value);
      return [id!.toOID(), { critical: third ? second!.toBoolean() : false, value: value.toString('hex') }] as const;
    });
  const keyAndIssuerBound = new Set(['2.5.29.14', '2.5.29.35', '1.3.6.1.4.1.11129.2.4.2']);
  return {
    subject: leaf.subject,
    subjectAltName: leaf.subjectAltName,
    keyType: leaf.publicKey.asymmetricKeyType,
    lifetimeSeconds: (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 1000,
    // Key ids and the SCT list differ with every key: their presence is compared, not their bytes.
    extensions: Object.fromEntries(extensions.map(([id, e]) => [id, keyAndIssuerBound.has(id) ? { critical: e.critical } : e])),
  };
}

/**
 * A Fulcio answer as the two servers are compared. protobuf-go writes "proto:" then a space or a
 * no-break space, chosen by a hash of the binary (internal/detrand) so that no client relies on its
 * messages: the two are one here.
 */
function fulcioView(answer: Answer) {
  const text = answer.body.toString('utf8');
  if (answer.status !== 200) {
    const body = JSON.parse(text) as { message?: string };
    // grpc-go names the first bad metadata pair in Go's map order, drawn afresh for each request.
    const message = body.message?.replace(/^proto:\u00a0/, 'proto: ').replace(/^header key "(authorization|oidcidentitytoken)"/, 'header key "<either>"');
    return { status: answer.status, type: answer.type, body: { ...body, message } };
  }
  const certificates = JSON.parse(text).signedCertificateEmbeddedSct.chain.certificates as string[];
  // How each PEM ends: a client that splits or compares them sees it.
  const pem = [...new Set(certificates.map((c) => (c.endsWith('\n') ? 'ends with a newline' : 'trimmed')))];
  return { status: answer.status, type: answer.type, leaf: leafShape(certificates[0]!), pem };
}

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64');

describe("the world's Fulcio answers as sigstore/fulcio does", () => {
  let token: string;
  let subject: string;
  let gitLabToken: string;
  let gitLabEnvToken: string;
  let gitLabSubject: string;
  let circleCI: Record<string, string>;
  let github: Record<string, string>;
  let oddClaims: Record<string, string>;
  let noSub: string;
  let gitLab: Record<string, string>;
  let work: string;
  const subjectOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')).sub as string;
  const key = (type: 'ec' | 'rsa' | 'ed25519', options: object = {}) => generateKeyPairSync(type as 'ec', options as { namedCurve: string });
  const pemOf = (k: ReturnType<typeof key>) => k.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  // The hash Fulcio's default verifier uses for the key (sigstore/sigstore LoadDefaultVerifier).
  const hashFor = (k: ReturnType<typeof key>) =>
    k.privateKey.asymmetricKeyType === 'ed25519'
      ? null
      : ({ secp384r1: 'sha384', secp521r1: 'sha512' }[String(k.privateKey.asymmetricKeyDetails?.namedCurve)] ?? 'sha256');
  const proof = (k: ReturnType<typeof key>, text: string, hash = hashFor(k)) => b64(sign(hash, Buffer.from(text), k.privateKey));
  const keyRequestFor = (jwt: string, sub: string, k: ReturnType<typeof key>, pop = proof(k, sub)) => ({
    credentials: { oidcIdentityToken: jwt },
    publicKeyRequest: { publicKey: { content: pemOf(k) }, proofOfPossession: pop },
  });
  const keyRequest = (k: ReturnType<typeof key>, pop?: string) => keyRequestFor(token, subject, k, pop);
  async function csr(name: string, keyArgs: string[], reqArgs: string[] = []): Promise<string> {
    const path = join(work, `${name}.key`);
    await exec('openssl', ['genpkey', ...keyArgs, '-out', path]);
    return (await exec('openssl', ['req', '-new', '-key', path, '-subj', '/O=client', ...reqArgs])).stdout;
  }

  before(async () => {
    work = await scratchDir('fulcio-differential-');
    token = await world.idToken('sigstore');
    subject = subjectOf(token);
    gitLabToken = (await gitLabIdTokens(world, ['sigstore']))['sigstore']!;
    gitLabEnvToken = (await gitLabIdTokens(world, ['sigstore'], { environment: 'production' }))['sigstore']!;
    gitLabSubject = subjectOf(gitLabToken);
    const circleCIToken = async (claims: Overrides) => (await circleCIIdTokens(world, ['sigstore'], claims))['sigstore']!;
    github = {
      environment: await world.idToken('sigstore', await world.scenario({}, 'environment')),
      reusable: await world.idToken('sigstore', await world.scenario({}, 'reusable-workflow')),
      selfHosted: await world.idToken('sigstore', await world.scenario({ runner_environment: 'self-hosted' })),
      noVisibility: await world.idToken('sigstore', await world.scenario({ repository_visibility: null })),
      noJobWorkflowRef: await world.idToken('sigstore', await world.scenario({ job_workflow_ref: null })),
      pullRequest: await world.idToken('sigstore', await world.scenario({}, 'fork-pull-request')),
      spacedRef: await world.idToken(
        'sigstore',
        await world.scenario({ job_workflow_ref: 'octo-org/sample project/.github/workflows/ré lease.yml@refs/heads/é' }),
      ),
      badEscape: await world.idToken('sigstore', await world.scenario({ job_workflow_ref: 'octo-org/x%zz/.github/workflows/a.yml@refs/heads/main' })),
      rawQuery: await world.idToken('sigstore', await world.scenario({ job_workflow_ref: 'octo-org/x/.github/workflows/a.yml@refs/heads/a?é' })),
      nbfSoon: await world.idToken('sigstore', await world.scenario({ nbf: Math.floor(Date.now() / 1000) + 240 })),
      nbfLate: await world.idToken('sigstore', await world.scenario({ nbf: Math.floor(Date.now() / 1000) + 400 })),
      noExp: await world.idToken('sigstore', await world.scenario({ exp: null })),
    };
    const gitLabJob = async (claims: Overrides) => (await gitLabIdTokens(world, ['sigstore'], claims))['sigstore']!;
    // Claims go-oidc's idToken reads, of the wrong type or with a source that is not there (arrays and
    // objects pass through the scenario as JSON).
    const claimed = async (claims: object) => world.idToken('sigstore', await world.scenario(claims as Overrides));
    oddClaims = {
      subNumber: await claimed({ sub: 12345 }),
      subArray: await claimed({ sub: ['a'] }),
      subInCapitals: await claimed({ SUB: 5 }),
      issInCapitals: await claimed({ ISS: 'https://issuer.example' }),
      nonceNumber: await claimed({ nonce: 5 }),
      atHashNumber: await claimed({ at_hash: 5 }),
      claimNameWithoutSource: await claimed({ _claim_names: { a: 'src1' } }),
      claimNameWithSource: await claimed({ _claim_names: { a: 'src1' }, _claim_sources: { src1: { endpoint: 'https://x.example' } } }),
      claimSourceNumber: await claimed({ _claim_sources: { src1: 5 } }),
      audienceList: await claimed({ aud: ['other', 'sigstore'] }),
    };
    noSub = await claimed({ sub: null });
    gitLab = {
      branch: await gitLabJob({ ref_type: 'branch', ref: 'main' }),
      noConfigSha: await gitLabJob({ ci_config_sha: null }),
      noProjectPath: await gitLabJob({ project_path: null }),
      selfHosted: await gitLabJob({ runner_environment: 'self-hosted' }),
    };
    circleCI = {
      job: await circleCIToken({}),
      sshRerun: await circleCIToken({ 'oidc.circleci.com/ssh-rerun': true }),
      webhook: await circleCIToken({ 'oidc.circleci.com/vcs-origin': null, 'oidc.circleci.com/vcs-ref': null }),
      noProject: await circleCIToken({ 'oidc.circleci.com/project-id': null }),
      apiUrlClaim: await circleCIToken({ api_url: 'https://circleci.example/api/v2' }),
      orgIssuer: await circleCIToken({ iss: 'https://oidc.circleci.com/org/3c7e5d1a-7b4f-4f0e-9a51-2f1c9e0b6d42' }),
    };
  });

  const cases: Array<[string, () => Promise<[object | string, Record<string, string>?]>]> = [
    ['a P-256 key with its proof, the token in the body', async () => [keyRequest(key('ec', { namedCurve: 'P-256' }))]],
    ['a P-384 key', async () => [keyRequest(key('ec', { namedCurve: 'P-384' }))]],
    ['a P-521 key', async () => [keyRequest(key('ec', { namedCurve: 'P-521' }))]],
    [
      'a P-384 key with a proof hashed with SHA-256',
      async () => {
        const k = key('ec', { namedCurve: 'P-384' });
        return [keyRequest(k, proof(k, subject, 'sha256'))];
      },
    ],
    ['an RSA 4096 key', async () => [keyRequest(key('rsa', { modulusLength: 4096 }))]],
    ['an RSA 2048 key', async () => [keyRequest(key('rsa', { modulusLength: 2048 }))]],
    ['an Ed25519 key', async () => [keyRequest(key('ed25519'))]],
    ['an RSA 1024 key', async () => [keyRequest(key('rsa', { modulusLength: 1024 }))]],
    ['an RSA 3072 key', async () => [keyRequest(key('rsa', { modulusLength: 3072 }))]],
    ['an RSA 2056 key', async () => [keyRequest(key('rsa', { modulusLength: 2056 }))]],
    [
      'a CSR of an RSA key signed with SHA-384',
      async () => [
        { certificateSigningRequest: b64(await csr('rsa384', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], ['-sha384'])) },
        { authorization: `Bearer ${token}` },
      ],
    ],
    [
      'a CSR of a P-521 key signed with SHA-512',
      async () => [
        { certificateSigningRequest: b64(await csr('p521', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'], ['-sha512'])) },
        { authorization: `Bearer ${token}` },
      ],
    ],
    ['a P-224 key', async () => [keyRequest(key('ec', { namedCurve: 'P-224' }))]],
    ['a proof over another text', async () => [keyRequest(key('ec', { namedCurve: 'P-256' }), b64('nope'))]],
    ['a proof that is not base64', async () => [keyRequest(key('ec', { namedCurve: 'P-256' }), '%%%')]],
    [
      'a proof in unpadded URL-safe base64',
      async () => {
        const k = key('ec', { namedCurve: 'P-256' });
        return [keyRequest(k, Buffer.from(proof(k, subject), 'base64').toString('base64url'))];
      },
    ],
    ['no proof', async () => [keyRequest(key('ec', { namedCurve: 'P-256' }), '')]],
    [
      'a proof in IEEE P1363, as WebCrypto signs',
      async () => {
        const k = key('ec', { namedCurve: 'P-384' });
        return [keyRequest(k, b64(sign('sha384', Buffer.from(subject), { key: k.privateKey, dsaEncoding: 'ieee-p1363' })))];
      },
    ],
    [
      'a public key that is not PEM',
      async () => [{ credentials: { oidcIdentityToken: token }, publicKeyRequest: { publicKey: { content: 'nope' }, proofOfPossession: '' } }],
    ],
    [
      'a private key in PKCS #8 PEM',
      async () => {
        const k = key('ec', { namedCurve: 'P-256' });
        const request = keyRequest(k);
        return [
          { ...request, publicKeyRequest: { ...request.publicKeyRequest, publicKey: { content: k.privateKey.export({ type: 'pkcs8', format: 'pem' }) } } },
        ];
      },
    ],
    [
      'an RSA PUBLIC KEY (PKCS #1) PEM',
      async () => {
        const k = key('rsa', { modulusLength: 2048 });
        const request = keyRequest(k);
        return [
          { ...request, publicKeyRequest: { ...request.publicKeyRequest, publicKey: { content: k.publicKey.export({ type: 'pkcs1', format: 'pem' }) } } },
        ];
      },
    ],
    ['a secp256k1 key, which Go does not parse', async () => [keyRequest(key('ec', { namedCurve: 'secp256k1' }), b64('x'))]],
    ['no key and no CSR', async () => [{ credentials: { oidcIdentityToken: token } }]],
    ['no token', async () => [{ publicKeyRequest: keyRequest(key('ec', { namedCurve: 'P-256' })).publicKeyRequest }]],
    ['a token that is no JWT', async () => [{ ...keyRequest(key('ec', { namedCurve: 'P-256' })), credentials: { oidcIdentityToken: 'not.a.jwt' } }]],
    [
      'a token for another audience',
      async () => [{ ...keyRequest(key('ec', { namedCurve: 'P-256' })), credentials: { oidcIdentityToken: await world.idToken('pypi') } }],
    ],
    [
      'a CSR, the token in the Authorization header',
      async () => [
        { certificateSigningRequest: b64(await csr('p256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'])) },
        { authorization: `Bearer ${token}` },
      ],
    ],
    ['a CSR that is not one', async () => [{ certificateSigningRequest: b64('not a CSR') }, { authorization: `Bearer ${token}` }]],
    ['an empty CSR', async () => [{ certificateSigningRequest: '' }, { authorization: `Bearer ${token}` }]],
    [
      'a CSR signed with SHA-1',
      async () => [
        { certificateSigningRequest: b64(await csr('sha1', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], ['-sha1'])) },
        { authorization: `Bearer ${token}` },
      ],
    ],
    [
      'a CSR signed with RSA-PSS',
      async () => {
        const pss = ['-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'];
        return [
          { certificateSigningRequest: b64(await csr('pss', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], pss)) },
          { authorization: `Bearer ${token}` },
        ];
      },
    ],
    [
      'a CSR in a PEM block of another type',
      async () => [
        {
          certificateSigningRequest: b64(
            (await csr('p256e', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'])).replace(/CERTIFICATE REQUEST/g, 'PUBLIC KEY'),
          ),
        },
        { authorization: `Bearer ${token}` },
      ],
    ],
    [
      'a CSR in DER, without armor',
      async () => {
        const pem = await csr('p256f', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
        return [
          { certificateSigningRequest: Buffer.from(pem.replace(/-----[A-Z ]+-----/g, ''), 'base64').toString('base64') },
          { authorization: `Bearer ${token}` },
        ];
      },
    ],
    [
      'a CSR of a weak key',
      async () => [
        { certificateSigningRequest: b64(await csr('rsa1024', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'])) },
        { authorization: `Bearer ${token}` },
      ],
    ],
    ["a GitLab job's token", async () => [{ ...keyRequestFor(gitLabToken, gitLabSubject, key('ec', { namedCurve: 'P-256' })) }]],
    [
      "a GitLab job's token with an environment",
      async () => [{ ...keyRequestFor(gitLabEnvToken, subjectOf(gitLabEnvToken), key('ec', { namedCurve: 'P-256' })) }],
    ],
    ...(
      [
        'environment',
        'reusable',
        'selfHosted',
        'noVisibility',
        'noJobWorkflowRef',
        'pullRequest',
        'spacedRef',
        'badEscape',
        'rawQuery',
        'nbfSoon',
        'nbfLate',
        'noExp',
      ] as const
    ).map((name): [string, () => Promise<[object | string, Record<string, string>?]>] => [
      `a GitHub job's token (${name})`,
      async () => [keyRequestFor(github[name]!, subjectOf(github[name]!), key('ec', { namedCurve: 'P-256' }))],
    ]),
    ...(['branch', 'noConfigSha', 'noProjectPath', 'selfHosted'] as const).map((name): [string, () => Promise<[object | string, Record<string, string>?]>] => [
      `a GitLab job's token (${name})`,
      async () => [keyRequestFor(gitLab[name]!, subjectOf(gitLab[name]!), key('ec', { namedCurve: 'P-256' }))],
    ]),
    ...Object.keys({
      subNumber: 0,
      subArray: 0,
      subInCapitals: 0,
      issInCapitals: 0,
      nonceNumber: 0,
      atHashNumber: 0,
      claimNameWithoutSource: 0,
      claimNameWithSource: 0,
      claimSourceNumber: 0,
      audienceList: 0,
    }).map((name): [string, () => Promise<[object | string, Record<string, string>?]>] => [
      `a token whose claims go-oidc reads (${name})`,
      async () => {
        const sub = subjectOf(oddClaims[name]!);
        return [keyRequestFor(oddClaims[name]!, typeof sub === 'string' ? sub : '', key('ec', { namedCurve: 'P-256' }))];
      },
    ]),
    ['a token without sub, the proof over ""', async () => [keyRequestFor(noSub, '', key('ec', { namedCurve: 'P-256' }))]],
    ['a token without sub, the proof over "undefined"', async () => [keyRequestFor(noSub, 'undefined', key('ec', { namedCurve: 'P-256' }))]],
    // go-jose drops every unicode.IsSpace rune before it parses; Fulcio's own look at the issuer
    // decodes the middle part with RawURLEncoding, which skips only CR and LF.
    ...(
      [
        ['a space before it', (t: string[]) => ` ${t.join('.')}`],
        ['a newline after it', (t: string[]) => `${t.join('.')}\n`],
        ['a newline in its payload', (t: string[]) => `${t[0]}.${t[1]!.slice(0, 9)}\n${t[1]!.slice(9)}.${t[2]}`],
        ['a CRLF in its payload', (t: string[]) => `${t[0]}.${t[1]!.slice(0, 9)}\r\n${t[1]!.slice(9)}.${t[2]}`],
        ['a space in its payload', (t: string[]) => `${t[0]}.${t[1]!.slice(0, 9)} ${t[1]!.slice(9)}.${t[2]}`],
        ['a tab in its payload', (t: string[]) => `${t[0]}.${t[1]!.slice(0, 9)}\t${t[1]!.slice(9)}.${t[2]}`],
        ['a space in its header', (t: string[]) => `${t[0]!.slice(0, 9)} ${t[0]!.slice(9)}.${t[1]}.${t[2]}`],
        ['a no-break space in its header', (t: string[]) => `${t[0]!.slice(0, 9)}\u00a0${t[0]!.slice(9)}.${t[1]}.${t[2]}`],
        ['a line separator in its header', (t: string[]) => `${t[0]!.slice(0, 9)}\u2028${t[0]!.slice(9)}.${t[1]}.${t[2]}`],
        ['a byte-order mark in its header', (t: string[]) => `${t[0]!.slice(0, 9)}\ufeff${t[0]!.slice(9)}.${t[1]}.${t[2]}`],
        ['a newline in its signature', (t: string[]) => `${t[0]}.${t[1]}.${t[2]!.slice(0, 9)}\n${t[2]!.slice(9)}`],
      ] as const
    ).map(([name, spaced]): [string, () => Promise<[object | string, Record<string, string>?]>] => [
      `a token with ${name}`,
      async () => [keyRequestFor(spaced(token.split('.')), subject, key('ec', { namedCurve: 'P-256' }))],
    ]),
    [
      'a CSR of a P-384 key',
      async () => [
        { certificateSigningRequest: b64(await csr('p384', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'])) },
        { authorization: `Bearer ${token}` },
      ],
    ],
    [
      'a CSR of an Ed25519 key',
      async () => [{ certificateSigningRequest: b64(await csr('ed', ['-algorithm', 'ED25519'])) }, { authorization: `Bearer ${token}` }],
    ],
    [
      'a key request that names another algorithm',
      async () => {
        const request = keyRequest(key('ec', { namedCurve: 'P-256' }));
        return [{ ...request, publicKeyRequest: { ...request.publicKeyRequest, publicKey: { ...request.publicKeyRequest.publicKey, algorithm: 'RSA_PSS' } } }];
      },
    ],
    ...(['job', 'sshRerun', 'webhook', 'noProject', 'apiUrlClaim', 'orgIssuer'] as const).map(
      (name): [string, () => Promise<[object | string, Record<string, string>?]>] => [
        `a CircleCI job's token (${name})`,
        async () => [keyRequestFor(circleCI[name]!, subjectOf(circleCI[name]!), key('ec', { namedCurve: 'P-256' }))],
      ],
    ),
    // grpc-go refuses the metadata made of an Authorization header with a byte outside %x20-%x7E, even
    // when the token is in the body.
    [
      'a tab in the Authorization header, the token in the body',
      async () => [keyRequest(key('ec', { namedCurve: 'P-256' })), { authorization: 'Bearer \tjunk' }],
    ],
    ['a non-ASCII Authorization header, the token in the body', async () => [keyRequest(key('ec', { namedCurve: 'P-256' })), { authorization: 'Bearer café' }]],
    ['a non-ASCII Authorization header and a body that is not JSON', async () => ['nope', { authorization: 'Bearer café' }]],
    // WithMaxBytes bounds a body at 4 MiB: json.Decoder fails when it needs a byte past it.
    ['a request 4 MiB long', async () => [padded(JSON.stringify(keyRequest(key('ec', { namedCurve: 'P-256' }))), 4 * MiB).toString()]],
    ['a request a byte past 4 MiB', async () => [padded(JSON.stringify(keyRequest(key('ec', { namedCurve: 'P-256' }))), 4 * MiB + 1).toString()]],
    ['a request, then spaces past 4 MiB', async () => [`${JSON.stringify(keyRequest(key('ec', { namedCurve: 'P-256' })))}${' '.repeat(5 * MiB)}`]],
    ['a field past 4 MiB', async () => [{ ...keyRequest(key('ec', { namedCurve: 'P-256' })), padding: 'x'.repeat(4 * MiB) }]],
    ['17 MiB of spaces', async () => [' '.repeat(17 * MiB)]],
    ['a body cut short', async () => ['{"credentials":', {}]],
    ['a body that is not JSON', async () => ['certificate please', {}]],
    ['an empty body', async () => ['', {}]],
    ['a JSON array', async () => ['[]', {}]],
    ['an unknown field', async () => [{ ...keyRequest(key('ec', { namedCurve: 'P-256' })), extra: true }]],
    ['a CSR that is not base64', async () => [{ certificateSigningRequest: 'not base64!' }, { authorization: `Bearer ${token}` }]],
    [
      'a token with a space before it',
      async () => [
        { certificateSigningRequest: b64(await csr('p256b', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'])) },
        { authorization: `Bearer  ${token}` },
      ],
    ],
    [
      'a token in lower-case bearer',
      async () => [
        { certificateSigningRequest: b64(await csr('p256c', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'])) },
        { authorization: `bearer ${token}` },
      ],
    ],
    [
      'a CSR and a public key both',
      async () => [
        {
          ...keyRequest(key('ec', { namedCurve: 'P-256' })),
          certificateSigningRequest: b64(await csr('p256d', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'])),
        },
      ],
    ],
  ];

  for (const [name, request] of cases) {
    test(name, async () => {
      const [body, headers = {}] = await request();
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const [real, ours] = await Promise.all([
        post(`${fulcio.url}/api/v2/signingCert`, 'application/json', text, headers),
        post(`${world.urls.fulcio!}/api/v2/signingCert`, 'application/json', text, headers),
      ]);
      assert.deepEqual(fulcioView(ours), fulcioView(real));
    });
  }
});

/** A legacy v1 answer: a refusal whole, a chain by its leaf (the real ephemeral CA has no intermediate). */
function legacyView(answer: Answer) {
  if (answer.status !== 201) return fulcioView(answer);
  const text = answer.body.toString('utf8');
  return { status: answer.status, type: answer.type, trimmed: text === text.trim(), leaf: leafShape(text.split(/\n(?=-----BEGIN)/)[0]!) };
}

describe("the world's Fulcio answers its legacy v1 API (cosign 2 and older) as sigstore/fulcio does", () => {
  let token: string;
  let subject: string;
  let csr: string;
  before(async () => {
    token = await world.idToken('sigstore');
    subject = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).sub as string;
    const key = join(await scratchDir('fulcio-legacy-'), 'key.pem');
    await exec('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
    csr = (await exec('openssl', ['req', '-new', '-key', key, '-subj', '/O=client'])).stdout;
  });
  const keyBody = () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const content = b64(publicKey.export({ type: 'spki', format: 'pem' }));
    return { publicKey: { content }, signedEmailAddress: b64(sign('sha256', Buffer.from(subject), privateKey)), certificateSigningRequest: null };
  };
  const bearer = () => ({ authorization: `Bearer ${token}` });
  const cases: Array<[string, () => [object | string, Record<string, string>]]> = [
    ['a key and its signed subject, as cosign 2 sends them', () => [keyBody(), bearer()]],
    ['a CSR', () => [{ certificateSigningRequest: b64(csr) }, bearer()]],
    ['a CSR, the token in the body', () => [{ credentials: { oidcIdentityToken: token }, certificateSigningRequest: b64(csr) }, {}]],
    ['neither key nor CSR, and no token', () => ['{}', {}]],
    ['an empty CSR', () => [{ certificateSigningRequest: '' }, bearer()]],
    ['an empty body', () => ['', bearer()]],
    ['a key whose content is not base64', () => [{ publicKey: { content: 'not base64!' } }, bearer()]],
    ['a key of snake_case names, which v1beta does not have', () => [{ public_key: keyBody().publicKey }, bearer()]],
    ['a CSR after spaces past 4 MiB', () => [`${' '.repeat(5 * MiB)}${JSON.stringify({ certificateSigningRequest: b64(csr) })}`, bearer()]],
    ['a CSR, a tab in the Authorization header', () => [{ certificateSigningRequest: b64(csr) }, { authorization: `Bearer \t${token}` }]],
    ['neither key nor CSR, a non-ASCII Authorization header', () => ['{}', { authorization: 'Bearer café' }]],
  ];
  for (const [name, request] of cases) {
    test(name, async () => {
      const [body, headers] = request();
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const [real, ours] = await Promise.all([
        post(`${fulcio.url}/api/v1/signingCert`, 'application/json', text, headers),
        post(`${world.urls.fulcio!}/api/v1/signingCert`, 'application/json', text, headers),
      ]);
      assert.deepEqual(legacyView(ours), legacyView(real));
    });
  }

  test('the routes that read no body, with a non-ASCII Authorization header', async () => {
    for (const path of ['/api/v1/rootCert', '/api/v2/trustBundle', '/api/v2/nothing']) {
      const init = { headers: { authorization: 'Bearer café' } };
      const [real, ours] = await Promise.all([send(`${fulcio.url}${path}`, init), send(`${world.urls.fulcio!}${path}`, init)]);
      assert.deepEqual(fulcioView(ours), fulcioView(real), path);
    }
  });

  test('the root certificate, and the routes that are not there', async () => {
    const view = (a: Answer) => ({ status: a.status, type: a.type, body: a.type === 'application/json' ? a.body.toString('utf8').replace(/\s/g, '') : 'PEM' });
    for (const [path, method] of [
      ['/api/v1/rootCert', 'GET'],
      ['/api/v1/signingCert', 'GET'],
      ['/api/v1/signingCert/', 'POST'],
      ['/api/v2/trustBundle/', 'GET'],
    ]) {
      const [real, ours] = await Promise.all([send(`${fulcio.url}${path}`, { method }), send(`${world.urls.fulcio!}${path}`, { method })]);
      assert.deepEqual(view(ours), view(real), `${method} ${path}`);
    }
  });
});

/** A Rekor answer (an entry made or read) as the two logs are compared: ids (which name each log's tree) and times left out. */
function rekorView(answer: Answer) {
  const ids = (text: string) => text.replace(/[0-9a-f]{80}/g, '<entry id>').replace(/[0-9a-f]{64}/g, '<uuid>');
  const text = answer.body.toString('utf8');
  if (answer.status !== 200 && answer.status !== 201) return { status: answer.status, type: answer.type, body: ids(text.trim()) };
  const [id, entry] = Object.entries(JSON.parse(text) as Record<string, any>)[0]!;
  return {
    status: answer.status,
    type: answer.type,
    entryId: /^[0-9a-f]{80}$/.test(id!),
    body: JSON.parse(Buffer.from(entry.body, 'base64').toString('utf8')),
    fields: Object.keys(entry).sort(),
    verification: Object.keys(entry.verification).sort(),
    inclusionProof: Object.keys(entry.verification.inclusionProof).sort(),
  };
}

/** Proposed entries, [name, body]: what PEP 740 clients send (dsse), what cosign sign-blob sends (hashedrekord), and their mistakes. */
async function rekorCases(dir: string): Promise<Array<[string, object | string]>> {
  await exec('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    join(dir, 'k.pem'),
    '-out',
    join(dir, 'c.pem'),
    '-subj',
    '/CN=signer',
    '-days',
    '1',
  ]);
  const [keyPem, certPem] = await Promise.all([readFile(join(dir, 'k.pem'), 'utf8'), readFile(join(dir, 'c.pem'), 'utf8')]);
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const otherPem = other.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const ed = generateKeyPairSync('ed25519');
  const edPem = ed.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const p384Pem = p384.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const payload = Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'a.whl', digest: { sha256: 'ab'.repeat(32) } }],
      predicateType: 'x',
      predicate: {},
    }),
  );
  const type = 'application/vnd.in-toto+json';
  const sig = (key: Parameters<typeof sign>[2]) => sign('sha256', dsse.preAuthEncoding(type, payload), key).toString('base64');
  const envelope = (sigs: string[]) => JSON.stringify({ payload: b64(payload), payloadType: type, signatures: sigs.map((s) => ({ sig: s, keyid: '' })) });
  const dsseEntry = (env: string, verifiers: string[]) => ({ apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: { envelope: env, verifiers } } });
  const data = Buffer.from('artifact');
  const digest = createHash('sha256').update(data).digest('hex');
  const hashed = (signature: string, key: string, value = digest, algorithm = 'sha256') => ({
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: { signature: { content: signature, publicKey: { content: b64(key) } }, data: { hash: { algorithm, value } } },
  });
  const good = sign('sha256', data, keyPem).toString('base64');
  const valid = dsseEntry(envelope([sig(keyPem)]), [b64(certPem)]);
  // What WebCrypto signs: r then s, each 32 bytes, no ASN.1.
  const p1363 = (message: Buffer) => sign('sha256', message, { key: keyPem, dsaEncoding: 'ieee-p1363' }).toString('base64');
  return [
    ['dsse, a certificate verifier', valid],
    ['dsse, the same entry again', valid],
    ['dsse, a public key verifier', dsseEntry(envelope([sig(other.privateKey)]), [b64(otherPem)])],
    ['dsse, two signatures and their two verifiers', dsseEntry(envelope([sig(other.privateKey), sig(keyPem)]), [b64(certPem), b64(otherPem)])],
    ['dsse, a signature no verifier verifies', dsseEntry(envelope([sig(other.privateKey)]), [b64(certPem)])],
    ['dsse, two signatures, one verifier', dsseEntry(envelope([sig(keyPem), sig(other.privateKey)]), [b64(certPem)])],
    ['dsse, a verifier that verifies nothing, then the right one', dsseEntry(envelope([sig(keyPem)]), [b64(otherPem), b64(certPem)])],
    ['dsse, an IEEE P1363 signature', dsseEntry(envelope([p1363(dsse.preAuthEncoding(type, payload))]), [b64(certPem)])],
    ['dsse, no verifiers', dsseEntry(envelope([sig(keyPem)]), [])],
    ['dsse, a verifier that is not base64', dsseEntry(envelope([sig(keyPem)]), ['%%%'])],
    ['dsse, a verifier that is not PEM', dsseEntry(envelope([sig(keyPem)]), [b64('not a key')])],
    ['dsse, an envelope that is not JSON', dsseEntry('not json', [b64(certPem)])],
    ['dsse, an envelope without signatures', dsseEntry(envelope([]), [b64(certPem)])],
    ['dsse, no envelope', { apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: { verifiers: [b64(certPem)] } } }],
    ['dsse, no proposed content', { apiVersion: '0.0.1', kind: 'dsse', spec: {} }],
    ['dsse, apiVersion 9.9.9', { ...valid, apiVersion: '9.9.9' }],
    ['dsse, proposed content and an envelope hash', { ...valid, spec: { ...valid.spec, envelopeHash: { algorithm: 'sha256', value: 'ab'.repeat(32) } } }],
    ['dsse, proposed content and signatures', { ...valid, spec: { ...valid.spec, signatures: [{ signature: sig(keyPem), verifier: b64(certPem) }] } }],
    [
      'dsse, as logged: hashes and signatures, no proposed content',
      {
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: {
          envelopeHash: { algorithm: 'sha256', value: 'ab'.repeat(32) },
          payloadHash: { algorithm: 'sha256', value: 'cd'.repeat(32) },
          signatures: [{ signature: sig(keyPem), verifier: b64(certPem) }],
        },
      },
    ],
    [
      'dsse, as logged, a signature that is not base64',
      {
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: { envelopeHash: { algorithm: 'sha256', value: 'x' }, signatures: [{ signature: 'no base64', verifier: b64(certPem) }] },
      },
    ],
    [
      'dsse, no envelope or verifiers, and an MD5 envelope hash',
      { apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: {}, envelopeHash: { algorithm: 'md5' } } },
    ],
    ['hashedrekord, a certificate', hashed(good, certPem)],
    ['hashedrekord, a public key', hashed(sign('sha256', data, other.privateKey).toString('base64'), otherPem)],
    ['hashedrekord, an IEEE P1363 signature', hashed(p1363(data), certPem)],
    ['hashedrekord, a P1363-long signature that is not one', hashed(b64('x'.repeat(64)), certPem)],
    ['hashedrekord, a signature of an odd length that is no ASN.1', hashed(b64('x'.repeat(63)), certPem)],
    ['hashedrekord, an ASN.1 signature with a byte after it', hashed(b64(Buffer.concat([Buffer.from(good, 'base64'), Buffer.of(0)])), certPem)],
    ['hashedrekord, a signature over something else', hashed(sign('sha256', Buffer.from('other'), keyPem).toString('base64'), certPem)],
    ['hashedrekord, a digest that is not hex', hashed(good, certPem, 'zz'.repeat(32))],
    ['hashedrekord, a SHA-512 digest', hashed(good, certPem, createHash('sha512').update(data).digest('hex'), 'sha512')],
    ['hashedrekord, no signature', { apiVersion: '0.0.1', kind: 'hashedrekord', spec: { data: { hash: { algorithm: 'sha256', value: digest } } } }],
    ['dsse, an envelope that is a number', { apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: { envelope: 5, verifiers: [b64(certPem)] } } }],
    [
      'dsse, verifiers that are a string',
      { apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: { envelope: envelope([sig(keyPem)]), verifiers: 'x' } } },
    ],
    [
      'dsse, a second verifier that is a number',
      { apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: { envelope: envelope([sig(keyPem)]), verifiers: [b64(certPem), 5] } } },
    ],
    [
      'hashedrekord, a signature that is a number',
      {
        apiVersion: '0.0.1',
        kind: 'hashedrekord',
        spec: { signature: { content: 5, publicKey: { content: b64(certPem) } }, data: { hash: { algorithm: 'sha256', value: digest } } },
      },
    ],
    ['a kind that is a number', { apiVersion: '0.0.1', kind: 5, spec: {} }],
    ['a kind that is a number after an apiVersion that is one', { apiVersion: 1, kind: 5, spec: {} }],
    [
      'hashedrekord, an empty signature',
      {
        apiVersion: '0.0.1',
        kind: 'hashedrekord',
        spec: { signature: { content: '', publicKey: { content: b64(certPem) } }, data: { hash: { algorithm: 'sha256', value: digest } } },
      },
    ],
    ['dsse, its keys in capitals', { APIVERSION: '0.0.1', Kind: 'dsse', SPEC: (valid as { spec: object }).spec }],
    ['an apiVersion that is a number', { apiVersion: 1, kind: 'dsse', spec: {} }],
    [
      'dsse, a signature with a keyid',
      dsseEntry(JSON.stringify({ payload: b64(payload), payloadType: type, signatures: [{ sig: sig(keyPem), keyid: 'k1' }] }), [b64(certPem)]),
    ],
    [
      'dsse, a signature in URL-safe base64',
      dsseEntry(JSON.stringify({ payload: b64(payload), payloadType: type, signatures: [{ sig: Buffer.from(sig(keyPem), 'base64').toString('base64url') }] }), [
        b64(certPem),
      ]),
    ],
    [
      'dsse, a payload in URL-safe base64',
      dsseEntry(JSON.stringify({ payload: payload.toString('base64url'), payloadType: type, signatures: [{ sig: sig(keyPem) }] }), [b64(certPem)]),
    ],
    ['dsse, an empty payload type', dsseEntry(JSON.stringify({ payload: b64(payload), payloadType: '', signatures: [{ sig: sig(keyPem) }] }), [b64(certPem)])],
    [
      'dsse, a signature over another payload type',
      dsseEntry(JSON.stringify({ payload: b64(payload), payloadType: 'text/plain', signatures: [{ sig: sig(keyPem) }] }), [b64(certPem)]),
    ],
    ['dsse, a signature that is empty', dsseEntry(JSON.stringify({ payload: b64(payload), payloadType: type, signatures: [{ sig: '' }] }), [b64(certPem)])],
    ['dsse, the same verifier twice', dsseEntry(envelope([sig(keyPem)]), [b64(certPem), b64(certPem)])],
    ['dsse, the same signature twice', dsseEntry(envelope([sig(keyPem), sig(keyPem)]), [b64(certPem)])],
    ['dsse, a verifier PEM with text after it', dsseEntry(envelope([sig(keyPem)]), [b64(`${certPem}trailing words\n`)])],
    [
      'dsse, an envelope with an unknown field',
      dsseEntry(JSON.stringify({ payload: b64(payload), payloadType: type, signatures: [{ sig: sig(keyPem) }], extra: 1 }), [b64(certPem)]),
    ],
    [
      'dsse, a payload that is not JSON',
      (() => {
        const text = Buffer.from('not a statement');
        const s = sign('sha256', dsse.preAuthEncoding(type, text), keyPem).toString('base64');
        return dsseEntry(JSON.stringify({ payload: b64(text), payloadType: type, signatures: [{ sig: s }] }), [b64(certPem)]);
      })(),
    ],
    ['hashedrekord, a SHA-384 digest', hashed(good, certPem, createHash('sha384').update(data).digest('hex'), 'sha384')],
    ['hashedrekord, a digest in capitals', hashed(good, certPem, digest.toUpperCase())],
    ['hashedrekord, an RSA key', hashed(sign('sha256', data, rsa.privateKey).toString('base64'), rsaPem)],
    [
      'hashedrekord, an RSA key with a PSS signature',
      hashed(sign('sha256', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING }).toString('base64'), rsaPem),
    ],
    ['hashedrekord, an Ed25519 key', hashed(sign(null, data, ed.privateKey).toString('base64'), edPem)],
    ['hashedrekord, a P-384 key over a SHA-256 digest', hashed(sign('sha256', data, p384.privateKey).toString('base64'), p384Pem)],
    [
      'hashedrekord, a P-256 signature over a SHA-384 digest',
      hashed(sign('sha384', data, keyPem).toString('base64'), certPem, createHash('sha384').update(data).digest('hex'), 'sha384'),
    ],
    ['dsse, an RSA verifier', dsseEntry(envelope([sig(rsa.privateKey)]), [b64(rsaPem)])],
    ['dsse, an Ed25519 verifier', dsseEntry(envelope([b64(sign(null, dsse.preAuthEncoding(type, payload), ed.privateKey))]), [b64(edPem)])],
    ['dsse, a P-384 verifier', dsseEntry(envelope([sig(p384.privateKey)]), [b64(p384Pem)])],
    ['hashedrekord, a public key that is two PEM blocks', hashed(good, `${certPem}${otherPem}`)],
    ['an unknown kind', { apiVersion: '0.0.1', kind: 'nope', spec: {} }],
    ['no apiVersion', { kind: 'hashedrekord', spec: hashed(good, certPem).spec }],
    ['an apiVersion that is null, and no spec', { kind: 'hashedrekord', apiVersion: null }],
    ['an apiVersion that is no version', { kind: 'hashedrekord', apiVersion: 'x', spec: hashed(good, certPem).spec }],
    ['no spec', { kind: 'hashedrekord', apiVersion: '0.0.1' }],
    ['a spec that is null', { kind: 'dsse', apiVersion: '0.0.1', spec: null }],
    ['a kind that is empty', { kind: '', apiVersion: '0.0.1', spec: {} }],
    ["the API's base kind, ProposedEntry", { kind: 'ProposedEntry' }],
    ['a spec of a kind the world does not log, without apiVersion', { kind: 'rpm', spec: {} }],
    ['hashedrekord, a spec that is a string', { kind: 'hashedrekord', apiVersion: '0.0.1', spec: 'x' }],
    ['hashedrekord, a spec that is an array', { kind: 'hashedrekord', apiVersion: '0.0.1', spec: [] }],
    ['hashedrekord, a spec that is a number', { kind: 'hashedrekord', apiVersion: '0.0.1', spec: 1.5 }],
    ['hashedrekord, an empty spec', { kind: 'hashedrekord', apiVersion: '0.0.1', spec: {} }],
    ['hashedrekord, empty data', { ...hashed(good, certPem), spec: { ...hashed(good, certPem).spec, data: {} } }],
    ['hashedrekord, a hash that is null', { ...hashed(good, certPem), spec: { ...hashed(good, certPem).spec, data: { hash: null } } }],
    ['hashedrekord, an empty signature and empty data', { kind: 'hashedrekord', apiVersion: '0.0.1', spec: { signature: {}, data: {} } }],
    ['hashedrekord, no hash algorithm', { ...hashed(good, certPem), spec: { ...hashed(good, certPem).spec, data: { hash: { value: digest } } } }],
    ['hashedrekord, an MD5 hash', hashed(good, certPem, digest, 'md5')],
    [
      'hashedrekord, a hash algorithm that is a number',
      { ...hashed(good, certPem), spec: { ...hashed(good, certPem).spec, data: { hash: { algorithm: 5, value: digest } } } },
    ],
    ['hashedrekord, no hash value', { ...hashed(good, certPem), spec: { ...hashed(good, certPem).spec, data: { hash: { algorithm: 'sha256' } } } }],
    ['hashedrekord, an empty hash, and no signature', { kind: 'hashedrekord', apiVersion: '0.0.1', spec: { data: { hash: {} } } }],
    ['hashedrekord, a signature without a key', { ...hashed(good, certPem), spec: { ...hashed(good, certPem).spec, signature: { content: good } } }],
    ['hashedrekord, an empty hash value', hashed(good, certPem, '')],
    ['no kind', { apiVersion: '0.0.1', spec: {} }],
    ['a JSON array', '[]'],
    ['not JSON', 'entry please'],
    ['a body cut short', '{"kind":'],
    ['an empty body', ''],
  ];
}

describe("the world's Rekor answers as sigstore/rekor v1 does", async () => {
  const cases = await rekorCases(await scratchDir('rekor-differential-'));
  const create = async (body: object | string, contentType: string | undefined = 'application/json') => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const [real, ours] = await Promise.all([
      post(`${rekor.url}/api/v1/log/entries`, contentType, text),
      post(`${world.urls.rekor!}/api/v1/log/entries`, contentType, text),
    ]);
    assert.deepEqual(rekorView(ours), rekorView(real));
  };
  for (const [name, body] of cases) test(name, () => create(body));
  // Ed25519ph, which rekor-server permits for hashedrekord; node:crypto cannot sign it, so Go's
  // crypto/ed25519 did (priv.Sign(nil, digest, &ed25519.Options{Hash: crypto.SHA512})).
  const ph = {
    key: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAbfZUhNZ2z7sNOapsQ7yeGvWQb7TBdHEvaaqO17o+wnA=\n-----END PUBLIC KEY-----\n',
    digest: createHash('sha512').update('an artifact signed with Ed25519ph').digest('hex'),
    signature: '60bcad0fd25694866d2f1ec82609dcdb2f20b7f5890a890eb6ac5dae68ffa024cab419305c6703be19f2374c3bd2fff9c4e45ebdf7460bd51066b708d7885a05',
    withContext: 'f72c22450817c3fa469b141c510a77cb5c33b47c4b5805d88c0be3f4463d0c2454c2a27fef7fb47e5659b601472c0a6f9d972a9198b5fef938d378858a592c06',
  };
  const prehashed = (signature: string, digest = ph.digest) => ({
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      signature: { content: Buffer.from(signature, 'hex').toString('base64'), publicKey: { content: b64(ph.key) } },
      data: { hash: { algorithm: 'sha512', value: digest } },
    },
  });
  test('hashedrekord, an Ed25519ph signature (Go) over a SHA-512 digest, which both log', async () => {
    const text = JSON.stringify(prehashed(ph.signature));
    const [real, ours] = await Promise.all([
      post(`${rekor.url}/api/v1/log/entries`, 'application/json', text),
      post(`${world.urls.rekor!}/api/v1/log/entries`, 'application/json', text),
    ]);
    assert.equal(real.status, 201, real.body.toString('utf8'));
    assert.deepEqual(rekorView(ours), rekorView(real));
  });
  test('hashedrekord, an Ed25519ph signature with a context', () => create(prehashed(ph.withContext)));
  test('hashedrekord, an Ed25519ph signature over another digest', () => create(prehashed(ph.signature, createHash('sha512').update('other').digest('hex'))));
  // The first case again (an entry both logs hold by then), under other Content-Types.
  for (const contentType of [
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'text/plain',
    undefined,
    'application/json; charset',
    'application/x-www-form-urlencoded',
  ]) {
    test(`an entry sent as ${contentType ?? 'no Content-Type'}`, () => create(cases[0]![1], contentType));
  }
});

/** A valid hashedrekord entry over `text`, signed with a key of its own. */
function hashedrekord(text: string): string {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.from(text);
  return JSON.stringify({
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      signature: {
        content: sign('sha256', data, key.privateKey).toString('base64'),
        publicKey: { content: b64(key.publicKey.export({ type: 'spki', format: 'pem' }).toString()) },
      },
      data: { hash: { algorithm: 'sha256', value: createHash('sha256').update(data).digest('hex') } },
    },
  });
}

describe("the world's Rekor serves entries and its log as sigstore/rekor v1 does", () => {
  const logged: Record<'real' | 'ours', { id: string; index: number }> = { real: { id: '', index: 0 }, ours: { id: '', index: 0 } };
  const urls = () => ({ real: rekor.url, ours: world.urls.rekor! });

  before(async () => {
    const entry = hashedrekord('read me back');
    for (const [side, url] of Object.entries(urls()) as Array<['real' | 'ours', string]>) {
      const created = JSON.parse((await post(`${url}/api/v1/log/entries`, 'application/json', entry)).body.toString('utf8')) as Record<
        string,
        { logIndex: number }
      >;
      const [id, { logIndex }] = Object.entries(created)[0]!;
      logged[side] = { id, index: logIndex };
    }
  });

  const reads: Array<[string, (side: 'real' | 'ours') => string]> = [
    ['an entry by its entry id', (side) => `/api/v1/log/entries/${logged[side].id}`],
    ['an entry by its UUID', (side) => `/api/v1/log/entries/${logged[side].id.slice(-64)}`],
    ['an entry by its UUID in capitals', (side) => `/api/v1/log/entries/${logged[side].id.slice(-64).toUpperCase()}`],
    ['an entry by its index', (side) => `/api/v1/log/entries?logIndex=${logged[side].index}`],
    ['a UUID the log does not hold', () => `/api/v1/log/entries/${'0'.repeat(64)}`],
    ['an entry id naming a tree of no shard', (side) => `/api/v1/log/entries/0000000000000042${logged[side].id.slice(-64)}`],
    ['an entry id naming tree 0', (side) => `/api/v1/log/entries/0000000000000000${logged[side].id.slice(-64)}`],
    ['an entry id whose tree ID is past int64', (side) => `/api/v1/log/entries/ffffffffffffffff${logged[side].id.slice(-64)}`],
    ['a UUID that is none', () => '/api/v1/log/entries/xyz'],
    ['an index past the end', () => '/api/v1/log/entries?logIndex=99999'],
    ['a negative index', () => '/api/v1/log/entries?logIndex=-1'],
    ['an index that is no number', () => '/api/v1/log/entries?logIndex=abc'],
    ['an index given twice (the last counts)', () => '/api/v1/log/entries?logIndex=abc&logIndex=-1'],
    ['an index past int64', () => '/api/v1/log/entries?logIndex=9999999999999999999'],
    ['no index', () => '/api/v1/log/entries'],
  ];
  for (const [name, path] of reads) {
    test(name, async () => {
      const [real, ours] = await Promise.all([send(`${rekor.url}${path('real')}`), send(`${world.urls.rekor!}${path('ours')}`)]);
      assert.deepEqual(rekorView(ours), rekorView(real));
    });
  }

  test('the log info and the public key', async () => {
    for (const path of ['/api/v1/log', '/api/v1/log/publicKey']) {
      const [real, ours] = await Promise.all([send(`${rekor.url}${path}`), send(`${world.urls.rekor!}${path}`)]);
      assert.deepEqual([ours.status, ours.type], [real.status, real.type], path);
    }
    const [real, ours] = await Promise.all([send(`${rekor.url}/api/v1/log`), send(`${world.urls.rekor!}/api/v1/log`)]);
    const keys = (a: Answer) => Object.keys(JSON.parse(a.body.toString('utf8'))).sort();
    assert.deepEqual(keys(ours), keys(real));
    // Each log's own tree ID names its active shard; one it has no shard for, or no int64, is refused.
    const treeID = (a: Answer) => (JSON.parse(a.body.toString('utf8')) as { treeID: string }).treeID;
    for (const [realID, ourID] of [
      [treeID(real), treeID(ours)],
      ['1', '1'],
      ['99999999999999999999', '99999999999999999999'],
      ['x', 'x'],
    ]) {
      const [r, o] = await Promise.all([
        send(`${rekor.url}/api/v1/log/publicKey?treeID=${realID}`),
        send(`${world.urls.rekor!}/api/v1/log/publicKey?treeID=${ourID}`),
      ]);
      const view = (a: Answer) => ({ status: a.status, type: a.type, body: a.status === 200 ? 'PEM' : a.body.toString('utf8').trim() });
      assert.deepEqual(view(o), view(r), `treeID ${realID}`);
    }
  });
});

/** A search's answer as the two logs are compared: each entry found as rekorView sees it, a refusal with its ids named. */
function searchView(answer: Answer) {
  if (answer.status !== 200) return rekorView(answer);
  const found = JSON.parse(answer.body.toString('utf8')) as Array<Record<string, unknown>>;
  return { status: 200, type: answer.type, found: found.map((entry) => rekorView({ ...answer, body: Buffer.from(JSON.stringify(entry)) })) };
}

describe("the world's Rekor answers searches (searchLogQuery) as sigstore/rekor v1 does", () => {
  type Side = 'real' | 'ours';
  const logged: Record<Side, { id: string; index: number }> = { real: { id: '', index: 0 }, ours: { id: '', index: 0 } };
  const entry = JSON.parse(hashedrekord('search for me')) as { apiVersion: string; kind: string; spec: { signature: { content: string } } };
  const unlogged = JSON.parse(hashedrekord('never logged'));
  const forged = { ...entry, spec: { ...entry.spec, signature: { ...entry.spec.signature, content: b64('x'.repeat(70)) } } };

  before(async () => {
    for (const [side, url] of [
      ['real', rekor.url],
      ['ours', world.urls.rekor!],
    ] as Array<[Side, string]>) {
      const created = JSON.parse((await post(`${url}/api/v1/log/entries`, 'application/json', JSON.stringify(entry))).body.toString('utf8'));
      const [id, { logIndex }] = Object.entries(created as Record<string, { logIndex: number }>)[0]!;
      logged[side] = { id, index: logIndex };
    }
  });

  const uuid = (side: Side) => logged[side].id.slice(-64);
  const tree = (prefix: string) => (side: Side) => JSON.stringify({ entryUUIDs: [`${prefix}${uuid(side)}`] });
  const cases: Array<[string, (side: Side) => string]> = [
    ['by entry ID', (side) => JSON.stringify({ entryUUIDs: [logged[side].id] })],
    ['by UUID', (side) => JSON.stringify({ entryUUIDs: [uuid(side)] })],
    ['by UUID in capitals, twice', (side) => JSON.stringify({ entryUUIDs: [uuid(side).toUpperCase(), uuid(side)] })],
    ['by log index', (side) => JSON.stringify({ logIndexes: [logged[side].index] })],
    ['by the proposed entry (what cosign verify-blob sends)', () => JSON.stringify({ entries: [entry] })],
    ['all three ways at once', (side) => JSON.stringify({ logIndexes: [logged[side].index], entries: [entry], entryUUIDs: [uuid(side), logged[side].id] })],
    [
      'keys in capitals (Go matches them)',
      (side) => JSON.stringify({ ENTRYUUIDS: [logged[side].id], entries: [{ KIND: entry.kind, ApiVersion: entry.apiVersion, spec: entry.spec }] }),
    ],
    ['nothing asked', () => '{}'],
    ['null', () => 'null'],
    ['an unknown field and what follows the value', () => '{"foo":1} trailing'],
    ['a UUID, an index and an entry the log does not hold', () => JSON.stringify({ entryUUIDs: ['0'.repeat(64)], logIndexes: [99999], entries: [unlogged] })],
    ['an entry ID naming a tree of no shard', tree('0000000000000042')],
    ['an entry ID naming tree 0', tree('0000000000000000')],
    ['an entry ID whose tree ID is past int64', tree('ffffffffffffffff')],
    ['a UUID that is none, second', (side) => JSON.stringify({ entryUUIDs: [logged[side].id, 'xyz'] })],
    ['a null UUID', () => '{"entryUUIDs":[null]}'],
    ['no UUIDs', () => '{"entryUUIDs":[]}'],
    ['no entries', () => '{"entries":[],"logIndexes":null}'],
    ['eleven UUIDs', (side) => JSON.stringify({ entryUUIDs: Array(11).fill(logged[side].id) })],
    ['eleven in all', (side) => JSON.stringify({ logIndexes: Array(6).fill(logged[side].index), entryUUIDs: Array(5).fill(logged[side].id) })],
    ['a negative index', () => '{"logIndexes":[-1]}'],
    ['an index of 1.0', () => '{"logIndexes":[1.0]}'],
    ['an index past int64', () => '{"logIndexes":[9223372036854775808]}'],
    ['an index that is a string', () => '{"logIndexes":["1"]}'],
    ['a string as the second index', () => '{"logIndexes":[0,"1"]}'],
    ['indexes that are a string', () => '{"logIndexes":"1"}'],
    ['a key in capitals, its second index a bool', () => '{"LOGINDEXES":[0,true]}'],
    ['an entry whose kind, in capitals, is a number', () => '{"entries":[{"KIND":5}]}'],
    ['UUIDs that are a string', () => '{"entryUUIDs":"abc"}'],
    ['the first of two type errors in the body (a number for a UUID)', () => '{"entryUUIDs":[5],"logIndexes":["1"]}'],
    ['the first of two type errors in the body (a string for an index)', () => '{"logIndexes":["1"],"entryUUIDs":[5]}'],
    ['a bad UUID and a negative index', () => '{"logIndexes":[-1],"entryUUIDs":["x"]}'],
    ['entries that are an object, and a number for a UUID', () => '{"entries":{},"entryUUIDs":[5]}'],
    ['an entry that is a string', () => '{"entries":["x"]}'],
    ['an entry that is null', () => '{"entries":[null]}'],
    ['an entry whose kind is a number', () => '{"entries":[{"kind":5}]}'],
    ['an entry whose apiVersion is a number', () => '{"entries":[{"kind":"dsse","apiVersion":1,"spec":{}}]}'],
    ['an entry whose keys are in capitals', () => JSON.stringify({ entries: [{ KIND: entry.kind, ApiVersion: entry.apiVersion, Spec: entry.spec }] })],
    ['an entry of an unknown kind', () => '{"entries":[{"kind":"nope","apiVersion":"0.0.1","spec":{}}]}'],
    ['an entry without apiVersion', () => JSON.stringify({ entries: [{ kind: entry.kind, spec: entry.spec }] })],
    ['an entry whose apiVersion is no version', () => JSON.stringify({ entries: [{ ...entry, apiVersion: 'x' }] })],
    ['an entry of version 9.9.9', () => JSON.stringify({ entries: [{ ...entry, apiVersion: '9.9.9' }] })],
    ['an entry without spec', () => JSON.stringify({ entries: [{ kind: entry.kind, apiVersion: entry.apiVersion }] })],
    ['an entry whose signature does not verify, after one the log does not hold', () => JSON.stringify({ entries: [unlogged, forged] })],
    ['a bad entry ID before a bad entry', (side) => JSON.stringify({ entries: [forged], entryUUIDs: [`0000000000000000${uuid(side)}`] })],
    ['not JSON', () => 'please'],
    ['a body cut short', () => '{"entryUUIDs":['],
    ['an array', () => '[]'],
    ['an empty body', () => ''],
    ['only spaces', () => '  '],
  ];
  const search = async (body: (side: Side) => string, contentType: string | undefined = 'application/json') => {
    const [real, ours] = await Promise.all([
      post(`${rekor.url}/api/v1/log/entries/retrieve`, contentType, body('real')),
      post(`${world.urls.rekor!}/api/v1/log/entries/retrieve`, contentType, body('ours')),
    ]);
    assert.deepEqual(searchView(ours), searchView(real));
  };
  for (const [name, body] of cases) test(name, () => search(body));
  for (const contentType of ['application/json; charset=utf-8', 'text/plain', undefined, 'application/json; a=1; a=2']) {
    test(`a search sent as ${contentType ?? 'no Content-Type'}`, () => search(cases[0]![1], contentType));
  }
});

/** An entry made or found, byte for byte: its UUID (the leaf hash) and body as logged, or a refusal whole. */
function loggedView(answer: Answer) {
  const text = answer.body.toString('utf8');
  if (answer.status !== 200 && answer.status !== 201)
    return { status: answer.status, type: answer.type, body: text.trim().replace(/[0-9a-f]{80}/g, '<entry id>') };
  const entries = (answer.status === 200 ? JSON.parse(text) : [JSON.parse(text)]) as Array<Record<string, { body: string }>>;
  const logged = entries.map((e) => Object.entries(e).map(([id, entry]) => ({ uuid: id.slice(-64), body: entry.body }))[0]);
  return { status: answer.status, type: answer.type, logged };
}

/** Signers as older clients hold them: a certificate's key (cosign, Fulcio's leaf), an ECDSA key, Ed25519 and RSA keys. */
async function legacySigners(dir: string): Promise<Record<'cert' | 'ec' | 'ed' | 'rsa', Signer> & { dir: string }> {
  await exec(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k.pem')].concat([
      '-out',
      join(dir, 'c.pem'),
      '-subj',
      '/CN=legacy',
      '-days',
      '1',
    ]),
  );
  const [keyPem, certPem] = await Promise.all([readFile(join(dir, 'k.pem'), 'utf8'), readFile(join(dir, 'c.pem'), 'utf8')]);
  const pair = (type: 'ec' | 'ed25519' | 'rsa'): Signer => {
    const { privateKey, publicKey } =
      type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : type === 'rsa'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : generateKeyPairSync('ed25519');
    return { key: privateKey, pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  };
  return { dir, cert: { key: createPrivateKey(keyPem), pem: certPem }, ec: pair('ec'), ed: pair('ed25519'), rsa: pair('rsa') };
}

describe("the world's Rekor finds a dsse entry by its logged form as sigstore/rekor v1 does", () => {
  const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const payload = statement('dsse-search.whl');
  const envelope = JSON.stringify({
    payload: b64(payload),
    payloadType: IN_TOTO,
    signatures: [{ sig: b64(paeSign({ key: signer.privateKey, pem: '' }, payload)) }],
  });
  const verifier = b64(signer.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const proposed = { apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: { envelope, verifiers: [verifier] } } };
  let logged: { apiVersion: string; kind: string; spec: Record<string, unknown> };

  before(async () => {
    const made = await Promise.all(
      [rekor.url, world.urls.rekor!].map((url) => post(`${url}/api/v1/log/entries`, 'application/json', JSON.stringify(proposed))),
    );
    // Both log the same body; the real one's is the entry as logged.
    const [entry] = Object.values(JSON.parse(made[0]!.body.toString('utf8')) as Record<string, { body: string }>);
    logged = JSON.parse(Buffer.from(entry!.body, 'base64').toString('utf8'));
  });

  const searches: Array<[string, () => object]> = [
    ['as proposed', () => proposed],
    ['as logged (hashes and signatures)', () => logged],
    ['as logged, without its payload hash', () => ({ ...logged, spec: { ...logged.spec, payloadHash: undefined } })],
    ['as logged, its keys in capitals', () => ({ ...logged, spec: Object.fromEntries(Object.entries(logged.spec).map(([k, v]) => [k.toUpperCase(), v])) })],
    ['as logged and as proposed at once', () => ({ ...logged, spec: { ...logged.spec, ...proposed.spec } })],
  ];
  for (const [name, entry] of searches) {
    test(name, async () => {
      const text = JSON.stringify({ entries: [entry()] });
      const [real, ours] = await Promise.all([
        post(`${rekor.url}/api/v1/log/entries/retrieve`, 'application/json', text),
        post(`${world.urls.rekor!}/api/v1/log/entries/retrieve`, 'application/json', text),
      ]);
      assert.deepEqual(loggedView(ours), loggedView(real));
    });
  }
});

describe("the world's Rekor logs older clients' intoto and rekord entries as sigstore/rekor v1 does", async () => {
  const s = await legacySigners(await scratchDir('rekor-legacy-'));
  const payload = statement('legacy.whl');
  const v2 = intotoV002(payload, [s.cert]);
  const content = (entry: any, change: (c: any) => void) => {
    const copy = structuredClone(entry);
    change(copy.spec.content ?? copy.spec);
    return copy;
  };
  const envelope = envelopeText(payload, paeSign(s.cert, payload));
  const data = Buffer.from('an artifact, logged whole');
  const cases: Array<[string, object]> = [
    ['intoto 0.0.2 (sigstore-js 2.x), a certificate', v2],
    ['intoto 0.0.2, the same entry again', v2],
    ['intoto 0.0.2, a public key', intotoV002(payload, [s.ec])],
    ['intoto 0.0.2, an Ed25519 key', intotoV002(payload, [s.ed])],
    ['intoto 0.0.2, an RSA key', intotoV002(payload, [s.rsa])],
    ['intoto 0.0.2, two signatures', intotoV002(payload, [s.ec, s.cert])],
    ['intoto 0.0.2, a key ID', intotoV002(payload, [s.cert], { keyid: 'k1' })],
    ['intoto 0.0.2, a key that did not sign', intotoV002(payload, [s.ec], { signatures: [paeSign(s.cert, payload)] })],
    ['intoto 0.0.2, a hash rekor does not check', content(v2, (c) => (c.hash.value = 'ab'.repeat(32)))],
    ['intoto 0.0.2, a payload hash rekor computes', content(v2, (c) => delete c.payloadHash)],
    ['intoto 0.0.2, no hash', content(v2, (c) => delete c.hash)],
    ['intoto 0.0.2, a SHA-512 hash', content(v2, (c) => (c.hash.algorithm = 'sha512'))],
    ['intoto 0.0.2, no payload', content(v2, (c) => delete c.envelope.payload)],
    ['intoto 0.0.2, no payload type', content(v2, (c) => delete c.envelope.payloadType)],
    ['intoto 0.0.2, no signatures', content(v2, (c) => (c.envelope.signatures = []))],
    ['intoto 0.0.2, a signature without its key', content(v2, (c) => (c.envelope.signatures = [{}]))],
    ['intoto 0.0.2, a payload encoded once', content(v2, (c) => (c.envelope.payload = b64(payload)))],
    ['intoto 0.0.2, a signature that is not base64', content(v2, (c) => (c.envelope.signatures[0].sig = '%'))],
    ['intoto 0.0.2, a key that is not PEM', content(v2, (c) => (c.envelope.signatures[0].publicKey = b64('no key')))],
    ['intoto 0.0.2, no content', { apiVersion: '0.0.2', kind: 'intoto', spec: {} }],
    ['intoto 0.0.2, a spec that is a string', { apiVersion: '0.0.2', kind: 'intoto', spec: 'x' }],
    ['intoto 0.0.3', { ...v2, apiVersion: '0.0.3' }],
    ['intoto 0.0.1 (cosign 1.x attest)', intotoV001(envelope, s.cert.pem)],
    ['intoto 0.0.1, an Ed25519 key', intotoV001(envelopeText(payload, paeSign(s.ed, payload)), s.ed.pem)],
    [
      "intoto 0.0.1, a key ID that is the key's SSH fingerprint",
      intotoV001(envelopeText(payload, paeSign(s.ed, payload), ed25519Fingerprint(s.ed.key)), s.ed.pem),
    ],
    ['intoto 0.0.1, another key ID', intotoV001(envelopeText(payload, paeSign(s.cert, payload), 'k1'), s.cert.pem)],
    ['intoto 0.0.1, a key that did not sign', intotoV001(envelope, s.ec.pem)],
    ['intoto 0.0.1, an envelope that is not JSON', intotoV001('nope', s.cert.pem)],
    ['intoto 0.0.1, an envelope without signatures', intotoV001(JSON.stringify({ payloadType: IN_TOTO, payload: b64(payload), signatures: [] }), s.cert.pem)],
    ['intoto 0.0.1, no envelope', content(intotoV001(envelope, s.cert.pem), (c) => delete c.envelope)],
    ['intoto 0.0.1, neither content nor key', { apiVersion: '0.0.1', kind: 'intoto', spec: {} }],
    ['intoto 0.0.1, a key that is not base64', { ...intotoV001(envelope, s.cert.pem), spec: { content: { envelope }, publicKey: '%%' } }],
    ['intoto 0.0.1, a SHA-1 hash', content(intotoV001(envelope, s.cert.pem), (c) => (c.hash.algorithm = 'sha1'))],
    ['rekord 0.0.1, a certificate', rekordV001(data, s.cert)],
    ['rekord 0.0.1, the same entry again', rekordV001(data, s.cert)],
    ["rekord 0.0.1, a public key and the data's hash", rekordV001(data, s.ec, { hash: true })],
    ['rekord 0.0.1, an Ed25519 key', rekordV001(data, s.ed)],
    ['rekord 0.0.1, an RSA key', rekordV001(data, s.rsa)],
    [
      'rekord 0.0.1, a hash in capitals',
      content(rekordV001(data, s.cert, { hash: true }), (spec) => (spec.data.hash.value = spec.data.hash.value.toUpperCase())),
    ],
    ['rekord 0.0.1, a hash of other data', content(rekordV001(data, s.cert, { hash: true }), (spec) => (spec.data.hash.value = 'ab'.repeat(32)))],
    ['rekord 0.0.1, a signature over other data', rekordV001(data, s.cert, { signature: sign('sha256', Buffer.from('other'), s.cert.key) })],
    ['rekord 0.0.1, an IEEE P1363 signature', rekordV001(data, s.cert, { signature: sign('sha256', data, { key: s.cert.key, dsaEncoding: 'ieee-p1363' }) })],
    ['rekord 0.0.1, a format rekor does not know', rekordV001(data, s.cert, { format: 'nope' })],
    ['rekord 0.0.1, no data', content(rekordV001(data, s.cert), (spec) => (spec.data = {}))],
    ['rekord 0.0.1, no signature format, content or key', content(rekordV001(data, s.cert), (spec) => (spec.signature = {}))],
    ['rekord 0.0.1, a key that is not PEM', rekordV001(data, { key: s.cert.key, pem: 'no key' })],
    ['rekord 0.0.1, a certificate and a key as a chain', rekordV001(data, { key: s.cert.key, pem: s.cert.pem + s.ec.pem })],
    ['rekord 0.0.2', { ...rekordV001(data, s.cert), apiVersion: '0.0.2' }],
  ];
  for (const [name, body] of cases) {
    test(name, async () => {
      const text = JSON.stringify(body);
      const [real, ours] = await Promise.all([
        post(`${rekor.url}/api/v1/log/entries`, 'application/json', text),
        post(`${world.urls.rekor!}/api/v1/log/entries`, 'application/json', text),
      ]);
      assert.deepEqual(loggedView(ours), loggedView(real));
    });
  }

  // What verifiers send to find such an entry: the entry as proposed, or as logged (no envelope, no data).
  const searches: Array<[string, object]> = [
    ['intoto 0.0.2 as proposed', v2],
    ['intoto 0.0.2 as logged', content(v2, (c) => delete c.envelope.payload)],
    [
      'intoto 0.0.2 as logged, without its hash',
      content(v2, (c) => {
        delete c.envelope.payload;
        delete c.hash;
      }),
    ],
    ['intoto 0.0.1 as proposed', intotoV001(envelope, s.cert.pem)],
    [
      'intoto 0.0.1 as logged',
      content(intotoV001(envelope, s.cert.pem), (c) => {
        delete c.envelope;
        c.payloadHash = { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') };
      }),
    ],
    [
      'intoto 0.0.1 as logged, without its hash',
      content(intotoV001(envelope, s.cert.pem), (c) => {
        delete c.envelope;
        delete c.hash;
      }),
    ],
    ['rekord 0.0.1 as proposed', rekordV001(data, s.cert)],
    ['rekord 0.0.1 by its hash only', content(rekordV001(data, s.cert, { hash: true }), (spec) => delete spec.data.content)],
  ];
  for (const [name, entry] of searches) {
    test(`a search for ${name}`, async () => {
      const text = JSON.stringify({ entries: [entry] });
      const [real, ours] = await Promise.all([
        post(`${rekor.url}/api/v1/log/entries/retrieve`, 'application/json', text),
        post(`${world.urls.rekor!}/api/v1/log/entries/retrieve`, 'application/json', text),
      ]);
      assert.deepEqual(loggedView(ours), loggedView(real));
    });
  }
});

describe("the world's Rekor serves its home page and heartbeat as sigstore/rekor v1 does", () => {
  const cases: Array<[string, string, string, string?]> = [
    ['the home page', '/', 'GET'],
    ['the home page, POSTed to', '/', 'POST', '{}'],
    ['the home page with a query', '/?a=1', 'DELETE'],
    ['the heartbeat', '/ping', 'GET'],
    ['the heartbeat, HEAD', '/ping', 'HEAD'],
    ['the heartbeat in capitals', '/PING', 'GET'],
    ['the heartbeat, escaped', '/%70ing', 'GET'],
    ['the heartbeat, POSTed to', '/ping', 'POST', '{}'],
    ['the heartbeat with a trailing slash', '/ping/', 'GET'],
    ['a page it does not have', '/index.html', 'GET'],
  ];
  for (const [name, path, method, body] of cases) {
    test(name, async () => {
      const init = { method, ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}) };
      const [real, ours] = await Promise.all([send(`${rekor.url}${path}`, init), send(`${world.urls.rekor!}${path}`, init)]);
      const view = (a: Answer) => ({ status: a.status, type: a.type, body: a.body.toString('utf8') });
      assert.deepEqual(view(ours), view(real));
    });
  }
});

describe("the world's Rekor answers cross-origin requests as sigstore/rekor v1 does (rs/cors)", () => {
  const origin = { origin: 'https://example.com' };
  const preflight = (method: string, headers?: string) => ({
    ...origin,
    'access-control-request-method': method,
    ...(headers === undefined ? {} : { 'access-control-request-headers': headers }),
  });
  const cases: Array<[string, string, string, Record<string, string>, string?]> = [
    ['a preflight of a POST', '/api/v1/log/entries', 'OPTIONS', preflight('POST')],
    ['a preflight naming content-type', '/api/v1/log/entries', 'OPTIONS', preflight('POST', 'content-type')],
    ['a preflight naming two headers in order', '/api/v1/log/entries', 'OPTIONS', preflight('POST', 'accept,content-type')],
    ['a preflight naming two headers out of order', '/api/v1/log/entries', 'OPTIONS', preflight('POST', 'content-type,accept')],
    ['a preflight naming a header not allowed', '/api/v1/log/entries', 'OPTIONS', preflight('POST', 'authorization')],
    ['a preflight naming a header in capitals', '/api/v1/log/entries', 'OPTIONS', preflight('POST', 'Content-Type')],
    ['a preflight of a PUT', '/api/v1/log', 'OPTIONS', preflight('PUT')],
    ['a preflight without an origin', '/api/v1/log', 'OPTIONS', { 'access-control-request-method': 'GET' }],
    ['a preflight of a path it does not serve', '/nothing', 'OPTIONS', preflight('GET')],
    ['an OPTIONS that is no preflight', '/api/v1/log', 'OPTIONS', origin],
    ['a GET with an origin', '/api/v1/log', 'GET', origin],
    ['a GET without one', '/api/v1/log', 'GET', {}],
    ['a PUT with an origin (405)', '/api/v1/log', 'PUT', origin],
    ['the home page, DELETE, with an origin', '/', 'DELETE', origin],
    ['the heartbeat with an origin', '/ping', 'GET', origin],
    ['a path it does not serve, with an origin', '/nope', 'GET', origin],
    ['an entry refused, with an origin', '/api/v1/log/entries', 'POST', { ...origin, 'content-type': 'application/json' }, '{}'],
  ];
  const view = async (base: string, path: string, method: string, headers: Record<string, string>, body?: string) => {
    const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    const cors = Object.fromEntries([...res.headers].filter(([k]) => k === 'vary' || k.startsWith('access-control-')));
    // What each log holds differs; a refusal, a heartbeat or a home page must not.
    return { status: res.status, type: res.headers.get('content-type'), cors, body: res.status >= 400 || path === '/ping' || path === '/' ? text.trim() : '…' };
  };
  for (const [name, path, method, headers, body] of cases) {
    test(name, async () => {
      const [real, ours] = await Promise.all([view(rekor.url, path, method, headers, body), view(world.urls.rekor!, path, method, headers, body)]);
      assert.deepEqual(ours, real);
    });
  }
});

describe("the world's Rekor negotiates the media type it answers as sigstore/rekor v1 does (go-openapi)", () => {
  const accepts = [
    'application/x-pem-file',
    'application/json',
    'text/plain',
    '*/*',
    'application/*',
    'application/json;q=0.5, application/x-pem-file',
    'application/json, application/x-pem-file;q=0.1',
    'application/x-pem-file;q=0.5, application/json;q=0.5',
    'text/*;q=0.9, */*;q=0.1',
    'APPLICATION/JSON',
    'application/json; charset=utf-8',
    'application/json;q=0',
    'garbage',
  ];
  const cases: Array<[string, string, string, Record<string, string>, string?]> = [
    ...accepts.flatMap(
      (accept): Array<[string, string, string, Record<string, string>]> => [
        [`the log info, accepting ${accept}`, '/api/v1/log', 'GET', { accept }],
        [`the public key, accepting ${accept}`, '/api/v1/log/publicKey', 'GET', { accept }],
      ],
    ),
    ['the public key of no shard, accepting JSON', '/api/v1/log/publicKey?treeID=1', 'GET', { accept: 'application/json' }],
    ['the public key of no shard, accepting PEM', '/api/v1/log/publicKey?treeID=1', 'GET', { accept: 'application/x-pem-file' }],
    ['a tree ID that is no number, accepting JSON', '/api/v1/log/publicKey?treeID=x', 'GET', { accept: 'application/json' }],
    ['an entry it does not hold, accepting JSON', `/api/v1/log/entries/${'0'.repeat(64)}`, 'GET', { accept: 'application/json' }],
    ['an entry, accepting text', `/api/v1/log/entries/${'0'.repeat(64)}`, 'GET', { accept: 'text/plain' }],
    ['a proof refused, accepting text', '/api/v1/log/proof?lastSize=0', 'GET', { accept: 'text/plain' }],
    ['an entry proposed without a body, accepting text', '/api/v1/log/entries', 'POST', { accept: 'text/plain', 'content-type': 'application/json' }, ''],
    ['an entry refused by the model, accepting text', '/api/v1/log/entries', 'POST', { accept: 'text/plain', 'content-type': 'application/json' }, '{}'],
    [
      'an entry refused by its kind, accepting text',
      '/api/v1/log/entries',
      'POST',
      { accept: 'text/plain', 'content-type': 'application/json' },
      '{"kind":"hashedrekord","apiVersion":"0.0.1","spec":{}}',
    ],
    ['a search, accepting text', '/api/v1/log/entries/retrieve', 'POST', { accept: 'text/plain', 'content-type': 'application/json' }, '{"logIndexes":[0]}'],
    ['an index search, accepting PEM', '/api/v1/index/retrieve', 'POST', { accept: 'application/x-pem-file', 'content-type': 'application/json' }, '{}'],
    ['a path it does not serve, accepting text', '/api/v1/nothing', 'GET', { accept: 'text/plain' }],
  ];
  const view = async (base: string, path: string, method: string, headers: Record<string, string>, body?: string) => {
    const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    // What each log holds differs; the shape of a success, and a refusal, must not.
    let shape = text.trim();
    if (res.status === 200)
      shape = text.startsWith('-----BEGIN PUBLIC KEY-----') ? 'PEM' : typeof JSON.parse(text) === 'string' ? 'PEM as a JSON string' : 'JSON';
    return { status: res.status, type: res.headers.get('content-type'), body: shape };
  };
  for (const [name, path, method, headers, body] of cases) {
    test(name, async () => {
      const [real, ours] = await Promise.all([view(rekor.url, path, method, headers, body), view(world.urls.rekor!, path, method, headers, body)]);
      assert.deepEqual(ours, real);
    });
  }
});

describe("the world's Rekor takes large entries as sigstore/rekor v1 does (no body bound)", () => {
  test('a DSSE attestation of a 13 MiB payload (a 17 MiB request) is logged by both', async () => {
    const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const payload = Buffer.alloc(13 * 1024 * 1024, 'large statement ');
    const sig = b64(paeSign({ key: signer.privateKey, pem: '' }, payload));
    const envelope = JSON.stringify({ payload: b64(payload), payloadType: IN_TOTO, signatures: [{ sig }] });
    const verifier = b64(signer.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const text = JSON.stringify({ apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: { envelope, verifiers: [verifier] } } });
    assert.ok(text.length > 17 * 1024 * 1024, `${text.length} bytes`);
    const real = await post(`${rekor.url}/api/v1/log/entries`, 'application/json', text);
    const ours = await post(`${world.urls.rekor!}/api/v1/log/entries`, 'application/json', text);
    assert.equal(real.status, 201, real.body.toString('utf8'));
    assert.deepEqual(loggedView(ours), loggedView(real));
  });
});

describe("the world's Rekor answers index searches (searchIndex) as sigstore/rekor v1 does", async () => {
  const s = await legacySigners(await scratchDir('rekor-index-'));
  const email = 'Index.Signer@Example.com';
  await exec('openssl', [
    'req',
    '-x509',
    '-key',
    join(s.dir, 'k.pem'),
    '-out',
    join(s.dir, 'e.pem'),
    '-subj',
    '/CN=index',
    '-days',
    '1',
    '-addext',
    `subjectAltName=email:${email},URI:https://example.com/a%20b`,
  ]);
  const cert: Signer = { key: s.cert.key, pem: await readFile(join(s.dir, 'e.pem'), 'utf8') };
  const data = Buffer.from('an artifact the index finds');
  const digest = createHash('sha256').update(data).digest('hex');
  // A statement about the artifact with a SLSA material, which the index files too.
  const payload = Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v0.1',
      subject: [{ name: 'a', digest: { sha256: digest } }],
      predicate: { materials: [{ digest: { sha1: 'ef'.repeat(20) } }] },
    }),
  );
  const hashed = (signer: Signer) => ({
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      signature: { content: b64(sign('sha256', data, signer.key)), publicKey: { content: b64(signer.pem) } },
      data: { hash: { algorithm: 'sha256', value: digest } },
    },
  });
  const dsseEntry = {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: { proposedContent: { envelope: envelopeText(payload, paeSign(cert, payload)), verifiers: [b64(cert.pem)] } },
  };
  const entries = [
    hashed(cert),
    hashed(s.ec),
    dsseEntry,
    intotoV002(payload, [cert]),
    intotoV001(envelopeText(payload, paeSign(cert, payload)), cert.pem),
    rekordV001(data, cert),
  ];

  before(async () => {
    for (const entry of entries)
      for (const url of [rekor.url, world.urls.rekor!])
        assert.equal((await post(`${url}/api/v1/log/entries`, 'application/json', JSON.stringify(entry))).status, 201);
  });

  const keyHash = (pem: string) => createHash('sha256').update(pem).digest('hex');
  const found: Array<[string, object]> = [
    ["by the artifact's hash", { hash: digest }],
    ['by the hash, prefixed and in capitals', { hash: `sha256:${digest.toUpperCase()}` }],
    ["by a material's SHA-1", { hash: 'ef'.repeat(20) }],
    ["by the statement's hash", { hash: createHash('sha256').update(payload).digest('hex') }],
    ['by email, in other capitals', { email: email.toUpperCase() }],
    ['by the certificate', { publicKey: { format: 'x509', content: b64(cert.pem) } }],
    ['by a public key', { publicKey: { format: 'x509', content: b64(s.ec.pem) } }],
    ["by the certificate's hash as a DSSE entry is filed", { hash: `sha256:${keyHash(cert.pem)}` }],
    ['by subject: a URI of the certificate', { subject: 'https://example.com/a%20b' }],
    ['by hash and key', { operator: 'and', hash: digest, publicKey: { format: 'x509', content: b64(s.ec.pem) } }],
    ['by hash or email', { operator: 'or', hash: digest, email }],
    ['by hash and email', { operator: 'and', hash: digest, email }],
    ['by a hash nothing has', { hash: '00'.repeat(32) }],
    ['by a hash nothing has and an email', { operator: 'and', hash: '00'.repeat(32), email }],
    ['by nothing', {}],
  ];
  // rekor-server files an entry in the index after answering, and lists what it finds in no order.
  const ids = (a: Answer) => (a.status === 200 ? (JSON.parse(a.body.toString('utf8')) as string[]).map((id) => id.slice(-64)).sort() : a.body.toString('utf8'));
  for (const [name, query] of found) {
    test(name, async () => {
      const ours = await post(`${world.urls.rekor!}/api/v1/index/retrieve`, 'application/json', JSON.stringify(query));
      let real = await post(`${rekor.url}/api/v1/index/retrieve`, 'application/json', JSON.stringify(query));
      for (let tries = 0; tries < 20 && JSON.stringify(ids(real)) !== JSON.stringify(ids(ours)); tries++) {
        await new Promise((r) => setTimeout(r, 250));
        real = await post(`${rekor.url}/api/v1/index/retrieve`, 'application/json', JSON.stringify(query));
      }
      assert.deepEqual([ours.status, ours.type, ids(ours)], [real.status, real.type, ids(real)]);
    });
  }

  const refused: Array<[string, string, string?]> = [
    ['no body', ''],
    ['null', 'null'],
    ['an array', '[]'],
    ['not JSON', 'nope'],
    ['a hash that is a number', '{"hash":5}'],
    ['an email that is a number', '{"email":5}'],
    ['a public key that is a string', '{"publicKey":"x"}'],
    ["a public key's format that is a number", '{"publicKey":{"format":5}}'],
    ["a public key's content that is not base64", '{"publicKey":{"format":"x509","content":"%%"}}'],
    ['a hash that is none', '{"hash":"xyz"}'],
    ['a SHA-384 hash', JSON.stringify({ hash: 'ab'.repeat(48) })],
    ['an email that is none', '{"email":"not an email"}'],
    ['an email with a display name', '{"email":"Alice <a@b.c>"}'],
    ['an email without a domain', '{"email":"a@"}'],
    ['an email whose local part ends in a dot', '{"email":"a.@b.c"}'],
    ['an operator it does not know', '{"operator":"xor"}'],
    ['an operator in capitals', '{"operator":"AND"}'],
    ['a public key without a format', '{"publicKey":{}}'],
    ['a public key of a format it does not know', '{"publicKey":{"format":"nope"}}'],
    ['an x509 key that is not PEM', JSON.stringify({ publicKey: { format: 'x509', content: b64('no key') } })],
    ['a subject too long', JSON.stringify({ subject: 'x'.repeat(513) })],
    ['a bad hash and a bad operator', '{"hash":"x","operator":"xor"}'],
    ['as text/plain', '{}', 'text/plain'],
  ];
  for (const [name, body, contentType = 'application/json'] of refused) {
    test(`a query: ${name}`, async () => {
      const [real, ours] = await Promise.all([
        post(`${rekor.url}/api/v1/index/retrieve`, contentType, body),
        post(`${world.urls.rekor!}/api/v1/index/retrieve`, contentType, body),
      ]);
      const view = (a: Answer) => ({ status: a.status, type: a.type, body: a.body.toString('utf8').trim() });
      assert.deepEqual(view(ours), view(real));
    });
  }
});

describe("the world's Rekor proves its log consistent as sigstore/rekor v1 does", () => {
  type Side = 'real' | 'ours';
  interface Head {
    treeSize: number;
    rootHash: string;
    treeID: string;
  }
  const heads: Record<Side, { before: Head; after: Head }> = {} as never;
  const urls = (): Record<Side, string> => ({ real: rekor.url, ours: world.urls.rekor! });
  const head = async (url: string) => JSON.parse((await send(`${url}/api/v1/log`)).body.toString('utf8')) as Head;

  before(async () => {
    for (const [side, url] of Object.entries(urls()) as Array<[Side, string]>) {
      await post(`${url}/api/v1/log/entries`, 'application/json', hashedrekord(`first of two (${side})`));
      const before = await head(url);
      await post(`${url}/api/v1/log/entries`, 'application/json', hashedrekord(`second of two (${side})`));
      heads[side] = { before, after: await head(url) };
    }
  });

  test('a proof from the head before an entry to the head after it holds for both heads, and names the current root', async () => {
    for (const [side, url] of Object.entries(urls()) as Array<[Side, string]>) {
      const { before, after } = heads[side];
      assert.equal(after.treeSize, before.treeSize + 1, side);
      const answer = await send(`${url}/api/v1/log/proof?firstSize=${before.treeSize}&lastSize=${after.treeSize}`);
      assert.deepEqual([answer.status, answer.type], [200, 'application/json'], side);
      const proof = JSON.parse(answer.body.toString('utf8')) as { hashes: string[]; rootHash: string };
      assert.deepEqual(Object.keys(proof), ['hashes', 'rootHash'], side);
      assert.equal(proof.rootHash, after.rootHash, side);
      const hex = (h: string) => Buffer.from(h, 'hex');
      assert.ok(consistent(before.treeSize, after.treeSize, hex(before.rootHash), hex(after.rootHash), proof.hashes.map(hex)), `${side}: the proof holds`);
      assert.ok(!consistent(before.treeSize, after.treeSize, hex(after.rootHash), hex(after.rootHash), proof.hashes.map(hex)), `${side}: not for another root`);
    }
  });

  // Each side's sizes are its own: an answer is compared with the other's after its own numbers are named.
  const cases: Array<[string, (h: Head) => string]> = [
    ['the same size twice', (h) => `firstSize=${h.treeSize}&lastSize=${h.treeSize}`],
    ['no firstSize (1)', (h) => `lastSize=${h.treeSize}`],
    ['an empty firstSize', (h) => `firstSize=&lastSize=${h.treeSize}`],
    ['lastSize with a plus sign', (h) => `lastSize=%2B${h.treeSize}`],
    ['lastSize given twice (the last counts)', (h) => `lastSize=${h.treeSize + 9}&lastSize=${h.treeSize}`],
    ['the tree ID of the log', (h) => `lastSize=${h.treeSize}&treeID=${h.treeID}`],
    ['a first size past the last', (h) => `firstSize=${h.treeSize}&lastSize=${h.treeSize - 1}`],
    ['a last size past the head', (h) => `firstSize=1&lastSize=${h.treeSize + 5}`],
    ['no lastSize', () => 'firstSize=1'],
    ['an empty lastSize', () => 'lastSize='],
    ['lastSize 0', () => 'lastSize=0'],
    ['firstSize 0', (h) => `firstSize=0&lastSize=${h.treeSize}`],
    ['a firstSize that is no number, and no lastSize', () => 'firstSize=one'],
    ['a lastSize that is no number', () => 'lastSize=1.5%0A'],
    ['a lastSize past int64', () => 'lastSize=9223372036854775808'],
    ['a tree ID that is no number', (h) => `lastSize=${h.treeSize}&treeID=x1`],
    ['a tree ID of no log', (h) => `lastSize=${h.treeSize}&treeID=00424242424242`],
    ['a tree ID past int64', (h) => `lastSize=${h.treeSize}&treeID=99999999999999999999`],
  ];
  /** What is compared: status, type, keys of a proof, and a refusal's text with this side's numbers named. */
  function view(answer: Answer, h: Head) {
    const named: Array<[number | string, string]> = [
      [h.treeID, '<tree>'],
      [h.treeSize + 9, '<size+9>'],
      [h.treeSize + 5, '<size+5>'],
      [h.treeSize - 1, '<size-1>'],
      [h.treeSize, '<size>'],
    ];
    let text = answer.body.toString('utf8');
    if (answer.status === 200) return { status: 200, type: answer.type, keys: Object.keys(JSON.parse(text)) };
    // The numbers the messages quote: in parentheses, or a tree ID's.
    for (const [value, name] of named) text = text.replaceAll(`(${value})`, `(${name})`).replaceAll(`tree ID ${value}`, `tree ID ${name}`);
    return { status: answer.status, type: answer.type, body: text.trim() };
  }
  for (const [name, query] of cases) {
    test(name, async () => {
      const path = (h: Head) => `/api/v1/log/proof?${query(h)}`;
      const [real, ours] = await Promise.all([send(`${rekor.url}${path(heads.real.after)}`), send(`${world.urls.rekor!}${path(heads.ours.after)}`)]);
      assert.deepEqual(view(ours, heads.ours.after), view(real, heads.real.after));
    });
  }
});

describe("the world's services route as the real servers do", () => {
  const view = async (base: string, path: string, method: string, body?: string) => {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = (await res.text()).trim();
    // What each log or timestamp holds differs; a refusal must not.
    return { status: res.status, type: res.headers.get('content-type'), allow: res.headers.get('allow'), body: res.status >= 400 ? JSON.parse(text) : '…' };
  };
  const stamp = JSON.stringify({ artifactHash: digest('sha256'), hashAlgorithm: 'sha256' });
  const cases: Array<[string, 'rekor' | 'tsa', string, string, string?]> = [
    ['a search at the path sigstore-python uses, with its trailing slash', 'rekor', '/api/v1/log/entries/retrieve/', 'POST', '{"logIndexes": [0]}'],
    ['the log info with a trailing slash and a doubled one', 'rekor', '/api/v1//log/', 'GET'],
    ['a path Rekor does not serve', 'rekor', '/api/v1/nothing/', 'GET'],
    ['a method the log info does not take', 'rekor', '/api/v1/log', 'PUT'],
    ['a timestamp asked with a trailing slash', 'tsa', '/api/v1/timestamp/', 'POST', stamp],
    ['a path the TSA does not serve', 'tsa', '/api/v2/timestamp', 'POST', stamp],
    ['a method the timestamp path does not take', 'tsa', '/api/v1/timestamp', 'GET'],
  ];
  for (const [name, service, path, method, body] of cases) {
    test(name, async () => {
      const real = service === 'rekor' ? rekor.url : tsa.url;
      const [theirs, ours] = await Promise.all([view(real, path, method, body), view(world.urls[service]!, path, method, body)]);
      assert.deepEqual(ours, theirs);
    });
  }
});

describe("the world's Fulcio and TSA serve the endpoints the real ones serve besides their APIs", () => {
  const text = async (base: string, path: string, method = 'GET') => {
    const answer = await send(`${base}${path}`, { method });
    return { status: answer.status, type: answer.type, body: answer.body.toString('utf8') };
  };

  test("Fulcio's configuration lists each issuer the world's Fulcio trusts as the real one, with public-good's issuers, lists it", async () => {
    const [real, ours] = await Promise.all([send(`${fulcio.url}/api/v2/configuration`), send(`${world.urls.fulcio!}/api/v2/configuration`)]);
    assert.deepEqual([ours.status, ours.type], [real.status, real.type]);
    type Issuer = { issuerUrl?: string; wildcardIssuerUrl?: string };
    const issuers = (a: Answer) => (JSON.parse(a.body.toString('utf8')) as { issuers: Issuer[] }).issuers;
    assert.deepEqual(Object.keys(JSON.parse(ours.body.toString('utf8'))), Object.keys(JSON.parse(real.body.toString('utf8'))));
    const url = (issuer: Issuer) => issuer.issuerUrl ?? issuer.wildcardIssuerUrl;
    const theirs = new Map(issuers(real).map((issuer) => [url(issuer), issuer]));
    assert.ok(issuers(ours).length >= 4, 'GitHub, GitLab, CircleCI and its organizations');
    for (const issuer of issuers(ours)) assert.deepEqual(issuer, theirs.get(url(issuer)), url(issuer));
  });

  test("Fulcio's health check, and the methods these paths do not take", async () => {
    for (const [path, method] of [
      ['/healthz', 'GET'],
      ['/healthz?service=ca', 'GET'],
      ['/healthz', 'POST'],
      ['/api/v2/configuration', 'POST'],
    ]) {
      const [real, ours] = await Promise.all([text(fulcio.url, path!, method), text(world.urls.fulcio!, path!, method)]);
      const view = (a: typeof real) => ({ ...a, body: a.status === 200 ? a.body : JSON.parse(a.body) });
      assert.deepEqual(view(ours), view(real), `${method} ${path}`);
    }
  });

  test("the TSA's heartbeat, in any case, and what is not it", async () => {
    for (const [path, method] of [
      ['/ping', 'GET'],
      ['/PING', 'GET'],
      ['/%70ing', 'GET'],
      ['/ping', 'HEAD'],
      ['/ping', 'POST'],
      ['/ping/', 'GET'],
    ]) {
      const [real, ours] = await Promise.all([text(tsa.url, path!, method), text(world.urls.tsa!, path!, method)]);
      assert.deepEqual({ ...ours, body: ours.body.trim() }, { ...real, body: real.body.trim() }, `${method} ${path}`);
    }
  });
});

describe("the world's Fulcio and TSA answer cross-origin requests as rs/cors's Default() does", () => {
  const CORS_HEADERS = ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age', 'vary'];
  const view = async (url: string, method: string, headers: Record<string, string>) => {
    const res = await fetch(url, { method, headers });
    const body = (await res.text()).trim();
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      cors: Object.fromEntries(CORS_HEADERS.map((h) => [h, res.headers.get(h)])),
      // What a route serves differs between the two; a refusal, or a preflight's empty body, must not.
      body: res.status === 200 ? '…' : body && JSON.parse(body),
    };
  };
  const origin = { origin: 'https://app.example' };
  const preflight = (method: string, headers: Record<string, string> = {}) => ({ ...origin, 'access-control-request-method': method, ...headers });
  const cases: Array<[string, string, string, Record<string, string>]> = [
    ['a preflight of a POST with a Content-Type', 'OPTIONS', 'POST', preflight('POST', { 'access-control-request-headers': 'content-type' })],
    [
      'a preflight of a GET, its headers in order',
      'OPTIONS',
      'GET',
      preflight('GET', { 'access-control-request-headers': 'accept, content-type,x-requested-with' }),
    ],
    ['a preflight whose headers are out of order', 'OPTIONS', 'GET', preflight('GET', { 'access-control-request-headers': 'content-type,accept' })],
    ['a preflight with two spaces before a header', 'OPTIONS', 'GET', preflight('GET', { 'access-control-request-headers': 'accept,  content-type' })],
    ['a preflight with an empty header list', 'OPTIONS', 'GET', preflight('GET', { 'access-control-request-headers': '' })],
    ['a preflight asking for Authorization', 'OPTIONS', 'POST', preflight('POST', { 'access-control-request-headers': 'authorization' })],
    ['a preflight of a PUT', 'OPTIONS', 'PUT', preflight('PUT')],
    ['a preflight of a post, in lower case', 'OPTIONS', 'POST', preflight('post')],
    ['a preflight without an Origin', 'OPTIONS', 'POST', { 'access-control-request-method': 'POST' }],
    ['an OPTIONS request that is no preflight', 'OPTIONS', 'GET', origin],
    ['a GET with an Origin', 'GET', 'GET', origin],
    ['a GET without one', 'GET', 'GET', {}],
    ['a PUT with an Origin', 'PUT', 'PUT', origin],
    ['a POST with an Origin, refused', 'POST', 'POST', { ...origin, 'content-type': 'application/json' }],
  ];
  const paths = {
    fulcio: { GET: '/api/v2/trustBundle', POST: '/api/v2/signingCert', other: '/api/v2/signingCert' },
    tsa: { GET: '/api/v1/timestamp/certchain', POST: '/api/v1/timestamp', other: '/api/v1/timestamp' },
  };
  for (const service of ['fulcio', 'tsa'] as const) {
    for (const [name, method, pathOf, headers] of cases) {
      test(`${service}: ${name}`, async () => {
        const path = pathOf === 'GET' ? paths[service].GET : pathOf === 'POST' ? paths[service].POST : paths[service].other;
        const real = service === 'fulcio' ? fulcio.url : tsa.url;
        const [theirs, ours] = await Promise.all([view(`${real}${path}`, method, headers), view(`${world.urls[service]!}${path}`, method, headers)]);
        assert.deepEqual(ours, theirs);
      });
    }
  }
  test('tsa: the heartbeat with an Origin, and a path that is not served', async () => {
    for (const path of ['/ping', '/nothing']) {
      const [theirs, ours] = await Promise.all([view(`${tsa.url}${path}`, 'GET', origin), view(`${world.urls.tsa!}${path}`, 'GET', origin)]);
      assert.deepEqual(ours, theirs, path);
    }
  });
});

describe('the action signs with the real Fulcio, TSA and Rekor', () => {
  let workspace: string;
  let run: ActionRun;
  let trustedRoot: string;
  let trustConfig: string;

  before(async () => {
    const pypi = pypiControl(world);
    await pypi.trust({ project: PROJECT });
    ({ trustedRoot, trustConfig } = await trustRealServers(world, { fulcio, tsa, rekor }));
    workspace = await scratchDir('real-servers-');
    const dist = join(workspace, 'dist');
    await buildWheel(dist, { name: PROJECT, version: '1.0.0' });
    await buildSdist(dist, { name: PROJECT, version: '1.0.0' });
    run = await runAction({ cwd: workspace, inputs: { 'repository-url': pypi.uploadUrl }, env: { ...world.env, PYPI_PUBLISH_TRUST_CONFIG: trustConfig } });
    runs.push(run);
  });

  test('publishes both dists, each with its attestation, the stand-in verifying them against the real chain', async () => {
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.ok(run.stdout.includes(`Fulcio ${fulcio.url}, Rekor ${rekor.url}, timestamp authority ${tsa.url}/api/v1/timestamp`), run.stdout);
    assert.deepEqual(
      run.results.map((r) => r.status),
      ['uploaded', 'uploaded'],
    );
    const files = await pypiControl(world).files(PROJECT);
    assert.deepEqual(
      files.map((f: { has_provenance: boolean }) => f.has_provenance),
      [true, true],
    );
  });

  test("each bundle holds the real Fulcio's leaf, the real TSA's timestamp and the real Rekor's entry", async () => {
    for (const result of run.results) {
      const bundle = JSON.parse(await readFile(resolve(workspace, result.bundle!), 'utf8'));
      const leaf = new X509Certificate(Buffer.from(bundle.verificationMaterial.certificate.rawBytes, 'base64'));
      assert.ok(leaf.checkIssued(fulcio.chain[fulcio.chain.length - 1]!), `${result.filename}: issued by ${leaf.issuer}`);
      const [timestamp] = bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps;
      // A bundle holds the whole TimeStampResp (protobuf-specs RFC3161SignedTimestamp).
      const shape = timestampShape(Buffer.from(timestamp.signedTimestamp, 'base64'));
      assert.equal(shape.policy, '1.3.6.1.4.1.57264.2');
      assert.equal(shape.tsaName, true, 'the real TSA names itself in the token');
      const [entry] = bundle.verificationMaterial.tlogEntries;
      assert.equal(entry.logId.keyId, createHash('sha256').update(rekor.publicKey).digest('base64'));
      assert.match(entry.inclusionProof.checkpoint.envelope, /^127\.0\.0\.1 - \d+\n/, "rekor-server's checkpoint origin: its hostname and tree id");
    }
  });

  test("every verifier accepts every bundle with a trusted root of only the real servers' keys (and the world's CT log)", async () => {
    await assertRunVerified({ ...world, env: { ...world.env, WORLD_TRUSTED_ROOT: trustedRoot, WORLD_TRUST_CONFIG: trustConfig } }, workspace, run);
  });
});

describe('a GitLab job signs with the real Fulcio, TSA and Rekor', () => {
  const project = 'real-servers-gitlab';
  let workspace: string;
  let run: CliRun;
  let trust: { trustedRoot: string; trustConfig: string };

  before(async () => {
    const pypi = pypiControl(world);
    await pypi.trustGitLab(project);
    trust = await trustRealServers(world, { fulcio, tsa, rekor });
    workspace = await scratchDir('real-servers-gitlab-');
    await buildWheel(join(workspace, 'dist'), { name: project, version: '1.0.0' });
    const env = { ...gitLabJobEnv(world, workspace, await gitLabIdTokens(world, ['pypi', 'sigstore'])), PYPI_PUBLISH_TRUST_CONFIG: trust.trustConfig };
    run = await runCli(['upload', '--repository-url', pypi.uploadUrl, '--packages-dir', 'dist'], workspace, env);
    runs.push(run);
  });

  test("publishes with a certificate of Fulcio's gitlab-pipeline provider that every verifier accepts", async () => {
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const files = await pypiControl(world).files(project);
    assert.deepEqual(
      files.map((f: { has_provenance: boolean }) => f.has_provenance),
      [true],
    );
    const dist = join(workspace, 'dist', files[0]!.filename);
    await assertVerifiedByAll(
      { ...world, env: { ...world.env, WORLD_TRUSTED_ROOT: trust.trustedRoot, WORLD_TRUST_CONFIG: trust.trustConfig } },
      [{ bundle: `${dist}.sigstore.json`, dist }],
      GITLAB_EXPECTED,
    );
  });
});
