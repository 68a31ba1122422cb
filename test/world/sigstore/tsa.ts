// RFC 3161 timestamp authority. The certificate chain comes from @sigstore/mock's initializeTSA; the
// tokens are encoded here with node:crypto. The mock built each token with pkijs over a WebCrypto
// polyfill, re-encoding its own certificate every time: ~2 ms of the world's CPU per timestamp, two
// thirds of what the world spent while an action signed 100 dists. The request is the mock's (and
// the real service's) JSON: {artifactHash, hashAlgorithm, nonce?, tsaPolicyOID?, certificates?}.
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
const DEFAULT_NONCE = 1234567890;

interface TimestampRequest {
  artifactHash: Buffer;
  hashAlgorithm: string;
  nonce: number;
  policy: string;
  certReq: boolean;
}

function parseableNow(now = Date.now()): number {
  const ms = now % 1000;
  return ms !== 0 && ms % 10 === 0 ? now + 1 : now;
}

function policyOf(requested: unknown): string {
  if (requested === undefined || requested === '') return OID.sigstorePolicy;
  if (typeof requested !== 'string' || !OID_PATTERN.test(requested)) throw new Error(`tsaPolicyOID is not an object identifier: ${String(requested)}`);
  return requested;
}

function parseRequest(body: Buffer): TimestampRequest {
  const req = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  if (typeof req.artifactHash !== 'string' || req.artifactHash === '') throw new Error('artifactHash is required');
  const algorithm = String(req.hashAlgorithm ?? 'sha256');
  return {
    artifactHash: Buffer.from(req.artifactHash, 'base64'),
    hashAlgorithm: /512/.test(algorithm) ? OID.sha512 : /384/.test(algorithm) ? OID.sha384 : OID.sha256,
    nonce: Number.isSafeInteger(req.nonce) && (req.nonce as number) > 0 ? (req.nonce as number) : DEFAULT_NONCE,
    policy: policyOf(req.tsaPolicyOID),
    certReq: req.certificates === true,
  };
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
      int(req.nonce),
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
        method: 'POST', path: '/api/v1/timestamp', handle: (req) => {
          let request: TimestampRequest;
          try {
            request = parseRequest(req.body);
          } catch (err) {
            return json(400, { code: 400, message: (err as Error).message });
          }
          return { status: 201, headers: { 'content-type': 'application/timestamp-reply' }, body: timestamp(request) };
        },
      },
      {
        method: 'GET', path: '/api/v1/timestamp/certchain', handle: () => ({
          status: 200,
          headers: { 'content-type': 'application/pem-certificate-chain' },
          body: chain.map((c) => toPEM(c)).join(''),
        }),
      },
    ],
  };
}
