// RFC 3161 timestamp authority. The certificate chain comes from @sigstore/mock's initializeTSA; the
// tokens are encoded here with node:crypto. The mock built each token with pkijs over a WebCrypto
// polyfill, re-encoding its own certificate every time: ~2 ms of the world's CPU per timestamp, two
// thirds of what the world spent while an action signed 100 dists. Like sigstore/timestamp-authority
// it answers both request forms, chosen by Content-Type: RFC 3161's `application/timestamp-query`
// (what `openssl ts -query` makes) and its JSON `application/json`; the reply is always DER.
//
// genTime carries milliseconds without trailing zeros (DER), and never a millisecond ending in 0:
// @sigstore/core parses only 0 or 3 fraction digits, so ".12Z" would not verify (sigstore-js.md §4.2).
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { ASN1Obj } from '@sigstore/core';
import { initializeTSA } from '@sigstore/mock';
import { json, type Route } from '../faults.ts';
import { bufferOf, explicit, generalizedTime, implicitConstructed, int, OID_PATTERN, octets, oid, seq, setOf, utcTime } from './der.ts';
import { toPEM } from './pem.ts';

export interface TSA {
  /** Signing certificate then root (DER): sigstore-python wants the full chain, leaf first. */
  chain: Buffer[];
  routes(): Route[];
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
const DEFAULT_NONCE = Buffer.from([0x49, 0x96, 0x02, 0xd2]); // 1234567890
const DIGEST_LENGTH: Record<string, number> = { [OID.sha256]: 32, [OID.sha384]: 48, [OID.sha512]: 64 };

// sigstore/timestamp-authority's client messages (pkg/api/error.go), in its {code, message} shape.
export const TSA_ERRORS = {
  failed: 'Error generating timestamp response',
  weakHash: 'Weak hash algorithm in timestamp request',
  digestLength: 'Message digest has incorrect length for specified algorithm',
} as const;

class RequestError extends Error {}

interface TimestampRequest {
  artifactHash: Buffer;
  hashAlgorithm: string;
  /** big-endian INTEGER bytes */
  nonce: Buffer;
  policy: string;
  certReq: boolean;
}

function parseableNow(now = Date.now()): number {
  const ms = now % 1000;
  return ms !== 0 && ms % 10 === 0 ? now + 1 : now;
}

function policyOf(requested: unknown): string {
  if (requested === undefined || requested === '') return OID.sigstorePolicy;
  if (typeof requested !== 'string' || !OID_PATTERN.test(requested)) throw new RequestError(TSA_ERRORS.failed);
  return requested;
}

// The JSON form (sigstore's own): {artifactHash, hashAlgorithm, nonce?, tsaPolicyOID?, certificates?}.
function parseJSONRequest(body: Buffer): TimestampRequest {
  let req: Record<string, unknown>;
  try {
    req = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new RequestError(TSA_ERRORS.failed);
  }
  if (typeof req.artifactHash !== 'string' || req.artifactHash === '') throw new RequestError(TSA_ERRORS.failed);
  const algorithm = String(req.hashAlgorithm ?? 'sha256');
  const hashAlgorithm = /512/.test(algorithm) ? OID.sha512 : /384/.test(algorithm) ? OID.sha384 : /256/.test(algorithm) ? OID.sha256 : '';
  const nonce = Number.isSafeInteger(req.nonce) && (req.nonce as number) > 0 ? int(req.nonce as number).subarray(2) : DEFAULT_NONCE;
  return {
    artifactHash: Buffer.from(req.artifactHash, 'base64'),
    hashAlgorithm,
    nonce,
    policy: policyOf(req.tsaPolicyOID),
    certReq: req.certificates === true,
  };
}

// The RFC 3161 form: TimeStampReq { version, messageImprint, reqPolicy?, nonce?, certReq DEFAULT FALSE, [0] extensions? }.
function parseDERRequest(body: Buffer): TimestampRequest {
  const request: TimestampRequest = { artifactHash: Buffer.alloc(0), hashAlgorithm: '', nonce: Buffer.alloc(0), policy: OID.sigstorePolicy, certReq: false };
  try {
    const [version, imprint, ...rest] = ASN1Obj.parseBuffer(body as Buffer<ArrayBuffer>).subs;
    if (!version?.tag.isInteger() || version.toInteger() !== 1n || !imprint) throw new Error('not a TimeStampReq v1');
    request.hashAlgorithm = imprint.subs[0]!.subs[0]!.toOID();
    request.artifactHash = Buffer.from(imprint.subs[1]!.value);
    for (const field of rest) {
      if (field.tag.isOID()) request.policy = field.toOID();
      else if (field.tag.isInteger()) request.nonce = Buffer.from(field.value);
      else if (field.tag.isBoolean()) request.certReq = field.toBoolean();
    }
  } catch {
    throw new RequestError(TSA_ERRORS.failed);
  }
  return request;
}

function parseRequest(contentType: string | undefined, body: Buffer): TimestampRequest {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const request =
    type === 'application/json'
      ? parseJSONRequest(body)
      : type === 'application/timestamp-query'
        ? parseDERRequest(body)
        : (() => {
            throw new RequestError(TSA_ERRORS.failed);
          })();
  const length = DIGEST_LENGTH[request.hashAlgorithm];
  if (length === undefined) throw new RequestError(TSA_ERRORS.weakHash);
  if (request.artifactHash.length !== length) throw new RequestError(TSA_ERRORS.digestLength);
  return request;
}

/** Signs TimeStampResp structures with `key` as the holder of the DER certificate `cert`. */
function tokenSigner(cert: Buffer, key: KeyObject) {
  const tbs = ASN1Obj.parseBuffer(Buffer.from(cert)).subs[0]!;
  // TBSCertificate: [0] version, serialNumber, signature, issuer, … (v3 certificates carry the version)
  const [serial, issuer] = [tbs.subs[1]!.toDER(), tbs.subs[3]!.toDER()];
  const sha256 = seq(oid(OID.sha256));
  // SigningCertificateV2 { certs: [ESSCertIDv2 { certHash, issuerSerial { [4] issuer, serial } }] }
  const signingCertificate = seq(seq(seq(octets(createHash('sha256').update(cert).digest()), seq(seq(explicit(4, issuer)), serial))));
  const attribute = (type: string, value: Buffer) => seq(oid(type), setOf(value));

  return (req: TimestampRequest): Buffer => {
    const now = new Date(parseableNow());
    const tstInfo = seq(
      int(1),
      oid(req.policy),
      seq(seq(oid(req.hashAlgorithm)), octets(req.artifactHash)),
      int(randomBytes(16)),
      generalizedTime(now),
      seq(int(1)), // accuracy: 1 s
      ...(req.nonce.length > 0 ? [int(req.nonce)] : []), // RFC 3161: present exactly when requested
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
      ...(req.certReq ? [implicitConstructed(0, setOf(cert))] : []),
      setOf(signerInfo),
    );
    return seq(seq(int(0)), seq(oid(OID.signedData), explicit(0, signedData)));
  };
}

export async function createTSA(): Promise<TSA> {
  const keyPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const mock = await initializeTSA(keyPair, new Date());
  const chain = [bufferOf(mock.intCertificate), bufferOf(mock.rootCertificate)];
  const timestamp = tokenSigner(chain[0]!, keyPair.privateKey);

  return {
    chain,
    routes: () => [
      {
        method: 'POST',
        path: '/api/v1/timestamp',
        handle: (req) => {
          let request: TimestampRequest;
          try {
            request = parseRequest(req.headers['content-type'], req.body);
          } catch (err) {
            if (!(err instanceof RequestError)) throw err;
            return json(400, { code: 400, message: err.message });
          }
          return { status: 201, headers: { 'content-type': 'application/timestamp-reply' }, body: timestamp(request) };
        },
      },
      {
        method: 'GET',
        path: '/api/v1/timestamp/certchain',
        handle: () => ({
          status: 200,
          headers: { 'content-type': 'application/pem-certificate-chain' },
          body: chain.map((c) => toPEM(c)).join(''),
        }),
      },
    ],
  };
}
