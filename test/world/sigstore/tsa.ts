// RFC 3161 timestamp authority. The certificate chain comes from @sigstore/mock's initializeTSA; the
// tokens are encoded here with node:crypto. The mock built each token with pkijs over a WebCrypto
// polyfill, re-encoding its own certificate every time: ~2 ms of the world's CPU per timestamp, two
// thirds of what the world spent while an action signed 100 dists. Like sigstore/timestamp-authority
// it answers both request forms, chosen by Content-Type: RFC 3161's `application/timestamp-query`
// (what `openssl ts -query` makes) and its JSON `application/json`; the reply is always DER.
// What it accepts and refuses, in which words and with which status, and the shape of its tokens
// (genTime in whole seconds, a nonce only when asked, the TSA's name) follow timestamp-authority
// v2.2.1's code, and __tests__/world/real-servers.test.ts holds them to that server itself.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { ASN1Obj } from '@sigstore/core';
import { initializeTSA } from '@sigstore/mock';
import type { Front, Reply, Route, WorldRequest } from '../faults.ts';
import { rsCorsDefault } from '../cors.ts';
import { goBase64Corruption } from '../go-base64.ts';
import { notAcceptable, produced } from './openapi-negotiate.ts';
import { consumedMediaType } from './openapi-query.ts';
import { bufferOf, explicit, generalizedTime, implicitConstructed, int, octets, oid, seq, setOf, tlv, utcTime } from './der.ts';
import { toPEM } from './pem.ts';

export interface TSA {
  /** Signing certificate then root (DER): sigstore-python wants the full chain, leaf first. */
  chain: Buffer[];
  routes(): Route[];
  /** the middleware of configure_timestamp_server.go around the API */
  front: Front;
}

const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sigstorePolicy: '1.3.6.1.4.1.57264.2',
};
const SHA1 = '1.3.14.3.2.26';
const NULL = Buffer.from([0x05, 0x00]);
const DIGEST_LENGTH: Record<string, number> = { [OID.sha256]: 32, [OID.sha384]: 48, [OID.sha512]: 64 };
const HASH_NAMES: Record<string, string> = { sha256: OID.sha256, sha384: OID.sha384, sha512: OID.sha512, sha1: SHA1 };
/** timestamp-authority's --accepted-policy-oids and --default-policy-oid, as deployed by default. */
const ACCEPTED_POLICIES = [OID.sigstorePolicy];
const MAX_JSON_REQUEST_BYTES = 1024;
/** --max-request-body-size's default: limitRequestBody's http.MaxBytesReader. */
const MAX_BODY_BYTES = 1 << 20;
const CONSUMES = ['application/timestamp-query', 'application/json'];
/** Each operation's media types as go-openapi's route holds them: its own, then the API's default. */
const TIMESTAMP_PRODUCES = ['application/timestamp-reply', 'application/json'];
const CERTCHAIN_PRODUCES = ['application/pem-certificate-chain', 'application/json'];

// sigstore/timestamp-authority's client messages (pkg/api/error.go), in its {code, message} shape.
export const TSA_ERRORS = {
  failed: 'Error generating timestamp response',
  weakHash: 'Weak hash algorithm in timestamp request',
  digestLength: 'Message digest has incorrect length for specified algorithm',
  longOID: 'OID should be comprised of at most 128 components',
  tooLarge: 'timestamp request is too large',
  policy: 'unaccepted policy: requested TSA policy is not supported by the TSA',
  extension: 'unaccepted extension: requested extensions are not supported by the TSA',
} as const;

/** A refusal: the handler's (its status as code, sent as a timestamp reply) or go-openapi's (its own code, as JSON). */
class RequestError extends Error {
  readonly status: number;
  readonly openapiCode: number | undefined;

  constructor(message: string, status = 400, openapiCode?: number) {
    super(message);
    this.status = status;
    this.openapiCode = openapiCode;
  }

  reply(): Reply {
    const type = this.openapiCode === undefined ? 'application/timestamp-reply' : 'application/json';
    return { status: this.status, headers: { 'content-type': type }, body: JSON.stringify({ code: this.openapiCode ?? this.status, message: this.message }) };
  }
}

interface TimestampRequest {
  artifactHash: Buffer;
  /** the hash's OID; '' when the request named one timestamp-authority does not know */
  hashAlgorithm: string;
  /** big-endian INTEGER bytes; empty when the request carried no nonce (nor does the token then) */
  nonce: Buffer;
  /** the policy asked for, '' for none */
  policy: string;
  certReq: boolean;
  extensions: boolean;
}

// The JSON request's fields as Go's encoding/json fills JSONRequest: keys matched without regard to
// case, null leaves a field empty, a value of another type fails the whole request.
const JSON_FIELDS = { artifacthash: 'string', certificates: 'boolean', hashalgorithm: 'string', nonce: 'number', tsapolicyoid: 'string' } as const;

function goUnmarshal(body: Buffer): { fields: Record<string, unknown>; nonceSource?: string } {
  let nonceSource: string | undefined;
  const parsed: unknown = JSON.parse(body.toString('utf8'), (key, value, context?: { source?: string }) => {
    if (key.toLowerCase() === 'nonce' && typeof value === 'number') nonceSource = context?.source;
    return value;
  });
  if (parsed === null) return { fields: {} };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const name = key.toLowerCase() as keyof typeof JSON_FIELDS;
    if (!(name in JSON_FIELDS) || value === null) continue;
    if (typeof value !== JSON_FIELDS[name]) throw new Error(`${key}: wrong type`);
    fields[name] = value;
  }
  // big.Int reads only an integer literal.
  if (fields['nonce'] !== undefined && !/^-?\d+$/.test(nonceSource ?? '')) throw new Error('nonce is not an integer');
  return { fields, ...(nonceSource === undefined ? {} : { nonceSource }) };
}

/** base64.StdEncoding: padded, the standard alphabet, line breaks ignored. */
function goBase64(text: string): Buffer {
  if (goBase64Corruption(text) >= 0) throw new RequestError(TSA_ERRORS.failed);
  return Buffer.from(text.replace(/[\r\n]/g, ''), 'base64');
}

/** parseOID: every dot-separated part an integer (strconv.Atoi), at most 128 dots. */
function goOID(text: string): string {
  const parts = text.split('.');
  if (parts.length > 129 || !parts.every((p) => /^[+-]?\d+$/.test(p))) throw new RequestError(TSA_ERRORS.longOID);
  return parts.map((p) => String(Number(p))).join('.');
}

/** JSON nonce to INTEGER content bytes (two's complement, minimal). */
function nonceBytes(source: string): Buffer {
  let n = BigInt(source);
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  } while (!((n === 0n && (bytes[0]! & 0x80) === 0) || (n === -1n && (bytes[0]! & 0x80) !== 0)));
  return Buffer.from(bytes);
}

// ParseJSONRequest: size, unmarshal, hash algorithm, policy, then the hash itself.
function parseJSONRequest(body: Buffer): TimestampRequest {
  if (body.length > MAX_JSON_REQUEST_BYTES) throw new RequestError(TSA_ERRORS.tooLarge);
  let parsed: ReturnType<typeof goUnmarshal>;
  try {
    parsed = goUnmarshal(body);
  } catch {
    throw new RequestError(TSA_ERRORS.failed);
  }
  const { fields, nonceSource } = parsed;
  const algorithm = String(fields['hashalgorithm'] ?? '').toLowerCase();
  const hashAlgorithm = HASH_NAMES[algorithm];
  if (hashAlgorithm === undefined) throw new RequestError(TSA_ERRORS.failed);
  if (hashAlgorithm === SHA1) throw new RequestError(TSA_ERRORS.weakHash);
  const policy = fields['tsapolicyoid'] ? goOID(String(fields['tsapolicyoid'])) : '';
  return {
    artifactHash: goBase64(String(fields['artifacthash'] ?? '')),
    hashAlgorithm,
    nonce: nonceSource === undefined ? Buffer.alloc(0) : nonceBytes(nonceSource),
    policy,
    certReq: fields['certificates'] === true,
    extensions: false,
  };
}

// The RFC 3161 form, as digitorus/timestamp's ParseRequest reads it:
// TimeStampReq { version, messageImprint, reqPolicy?, nonce?, certReq DEFAULT FALSE, [0] extensions? }.
function parseDERRequest(body: Buffer): TimestampRequest {
  const request: TimestampRequest = { artifactHash: Buffer.alloc(0), hashAlgorithm: '', nonce: Buffer.alloc(0), policy: '', certReq: false, extensions: false };
  try {
    const [version, imprint, ...rest] = ASN1Obj.parseBuffer(body as Buffer<ArrayBuffer>).subs;
    if (!version?.tag.isInteger() || !imprint) throw new Error('not a TimeStampReq');
    const hash = imprint.subs[0]!.subs[0]!.toOID();
    request.hashAlgorithm = DIGEST_LENGTH[hash] !== undefined || hash === SHA1 ? hash : '';
    request.artifactHash = Buffer.from(imprint.subs[1]!.value);
    for (const field of rest) {
      if (field.tag.isOID()) request.policy = field.toOID();
      else if (field.tag.isInteger()) request.nonce = Buffer.from(field.value);
      else if (field.tag.isBoolean()) request.certReq = field.toBoolean();
      else if (field.tag.isContextSpecific(0)) request.extensions = field.subs.length > 0;
    }
  } catch {
    throw new RequestError(TSA_ERRORS.failed);
  }
  return request;
}

// verifyTimestampRequest (pkg/verification): the hash, its length, the policy, the extensions.
function verifyRequest(request: TimestampRequest): TimestampRequest {
  if (request.hashAlgorithm === SHA1) throw new RequestError(TSA_ERRORS.weakHash);
  const length = DIGEST_LENGTH[request.hashAlgorithm];
  if (length === undefined) throw new RequestError(TSA_ERRORS.failed);
  if (request.artifactHash.length !== length) throw new RequestError(TSA_ERRORS.digestLength);
  if (request.policy && !ACCEPTED_POLICIES.includes(request.policy)) throw new RequestError(TSA_ERRORS.policy);
  if (request.extensions) throw new RequestError(TSA_ERRORS.extension);
  return request;
}

/**
 * go-openapi's BindValidRequest, before the handler runs, in its own JSON: a body's Content-Type read
 * by Go's mime.ParseMediaType (400 with its error; none is application/octet-stream) and a media type
 * the operation consumes (415), none asked of a request without a body; the Accept header (406); a
 * body (422). Gives the body's media type.
 */
function bindRequest(req: WorldRequest): string {
  if (req.body.length === 0) {
    const refused = notAcceptable(req.headers.accept, TIMESTAMP_PRODUCES);
    if (refused) throw new RequestError((refused.body as { message: string }).message, 406, 406);
    throw new RequestError('request in body is required', 422, 602);
  }
  const consumed = consumedMediaType(req.headers['content-type'], CONSUMES, 'application/octet-stream');
  if ('refused' in consumed) throw new RequestError(consumed.refused.message, consumed.refused.status, consumed.refused.status);
  return consumed.mediaType!;
}

// The handler's own reading of the header (getContentType, v2.2) reads it as go-openapi does, so a
// parameter such as a charset changes nothing: "application/" and then "json" or "timestamp-query".
function parseRequest(mediaType: string, body: Buffer, overLimit?: boolean): TimestampRequest {
  // The handler's io.ReadAll meets the bound's error before any form is read.
  if (overLimit) throw new RequestError(TSA_ERRORS.failed);
  const subtype = mediaType.slice('application/'.length);
  if (subtype === 'json') return verifyRequest(parseJSONRequest(body));
  if (subtype === 'timestamp-query') return verifyRequest(parseDERRequest(body));
  throw new RequestError(TSA_ERRORS.failed);
}

/** chi's Heartbeat("/ping") in front of the API: a GET or HEAD of that path, in any case, is answered "." at once. */
function heartbeat(req: WorldRequest): Reply | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  let path = req.url.pathname;
  try {
    // Go's r.URL.Path is the decoded path.
    path = decodeURIComponent(path);
  } catch {}
  return path.toLowerCase() === '/ping' ? { status: 200, headers: { 'content-type': 'text/plain' }, body: '.' } : undefined;
}

/** Signs TimeStampResp structures with `key` as the holder of the DER certificate `cert`. */
function tokenSigner(cert: Buffer, key: KeyObject) {
  const tbs = ASN1Obj.parseBuffer(Buffer.from(cert)).subs[0]!;
  // TBSCertificate: [0] version, serialNumber, signature, issuer, … (v3 certificates carry the version)
  const [serial, issuer, subject] = [tbs.subs[1]!.toDER(), tbs.subs[3]!.toDER(), tbs.subs[5]!.toDER()];
  const sha256 = seq(oid(OID.sha256));
  // SigningCertificateV2 { certs: [ESSCertIDv2 { certHash, issuerSerial { [4] issuer, serial } }] }
  const signingCertificate = seq(seq(seq(octets(createHash('sha256').update(cert).digest()), seq(seq(explicit(4, issuer)), serial))));
  const attribute = (type: string, value: Buffer) => seq(oid(type), setOf(value));

  return (req: TimestampRequest): Buffer => {
    // Go's asn1 writes a GeneralizedTime in whole seconds.
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const tstInfo = seq(
      int(1),
      oid(req.policy || OID.sigstorePolicy),
      // digitorus/timestamp's getMessageImprint writes the algorithm with NULL parameters, whatever the request had.
      seq(seq(oid(req.hashAlgorithm), NULL), octets(req.artifactHash)),
      int(randomBytes(16)),
      generalizedTime(now),
      seq(int(1)), // accuracy: 1 s
      // RFC 3161: present exactly when requested; its content bytes are already two's complement.
      ...(req.nonce.length > 0 ? [tlv(0x02, req.nonce)] : []),
      explicit(0, explicit(4, subject)), // tsa: the signing certificate's subject, as a directoryName
    );
    const signedAttrs = setOf(
      attribute(OID.contentType, oid(OID.tstInfo)),
      attribute(OID.signingTime, utcTime(now)),
      attribute(OID.messageDigest, octets(createHash('sha256').update(tstInfo).digest())),
      attribute(OID.signingCertificateV2, signingCertificate),
    );
    const signerInfo = seq(
      int(1),
      seq(issuer, serial),
      sha256,
      implicitConstructed(0, signedAttrs),
      seq(oid(OID.ecdsaWithSHA256)),
      octets(sign('sha256', signedAttrs, key)),
    );
    const signedData = seq(
      int(3), // RFC 5652 §5.1: eContentType is not id-data
      setOf(sha256),
      seq(oid(OID.tstInfo), explicit(0, octets(tstInfo))),
      // digitorus/pkcs7's Finish always writes the certificates field: empty ([0] of no bytes) when none were asked for.
      req.certReq ? implicitConstructed(0, setOf(cert)) : tlv(0xa0),
      setOf(signerInfo),
    );
    return seq(seq(int(0)), seq(oid(OID.signedData), explicit(0, signedData)));
  };
}

/** POST /api/v1/timestamp: the binding's refusal, else the handler's answer as go-openapi's Respond lets it out. */
function answerTimestamp(req: WorldRequest, timestamp: (request: TimestampRequest) => Buffer): Reply {
  const refusal = (err: unknown) => {
    if (!(err instanceof RequestError)) throw err;
    return err.reply();
  };
  let mediaType: string;
  try {
    mediaType = bindRequest(req);
  } catch (err) {
    return refusal(err);
  }
  let reply: Reply;
  try {
    // 200: timestamp-authority answers 201 only when started with --use-http-201.
    reply = { status: 200, headers: { 'content-type': 'application/timestamp-reply' }, body: timestamp(parseRequest(mediaType, req.body, req.overLimit)) };
  } catch (err) {
    reply = refusal(err);
  }
  return produced(req.headers.accept, TIMESTAMP_PRODUCES, reply);
}

export async function createTSA(): Promise<TSA> {
  const keyPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const mock = await initializeTSA(keyPair, new Date());
  const chain = [bufferOf(mock.intCertificate), bufferOf(mock.rootCertificate)];
  const timestamp = tokenSigner(chain[0]!, keyPair.privateKey);

  return {
    chain,
    // rs/cors in front of the heartbeat, in front of the API.
    front: { maxBodyBytes: MAX_BODY_BYTES, handle: (req, next) => rsCorsDefault(req, async () => heartbeat(req) ?? next()) },
    routes: () => [
      {
        method: 'POST',
        path: '/api/v1/timestamp',
        handle: (req) => answerTimestamp(req, timestamp),
      },
      {
        method: 'GET',
        path: '/api/v1/timestamp/certchain',
        handle: (req) =>
          notAcceptable(req.headers.accept, CERTCHAIN_PRODUCES) ??
          produced(req.headers.accept, CERTCHAIN_PRODUCES, {
            status: 200,
            headers: { 'content-type': 'application/pem-certificate-chain' },
            body: chain.map((c) => toPEM(c)).join(''),
          }),
      },
    ],
  };
}
