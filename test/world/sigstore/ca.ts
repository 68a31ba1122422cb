// Fulcio's certificate authority, shaped like public-good's: a P-384 root signs a P-384 intermediate
// (CA, path length 0, code signing), which issues the 10-minute P-256 leaves. Every certificate gets
// its own random 20-byte serial (RFC 5280 §4.1.2.2), and each leaf embeds an SCT from the world's CT
// log, signed over the leaf's TBSCertificate without the SCT list, with the intermediate's key hash as
// the issuer key hash (RFC 6962 §3.2): what sigstore-python, sigstore-go and sigstore-js rebuild.
// The certificates are encoded here with node:crypto; @sigstore/mock's CA issued every leaf from its
// root with one fixed serial.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { ASN1Obj } from '@sigstore/core';
import type { CTLog } from './ctlog.ts';
import { bits, boolTrue, explicit, int, octets, oid, seq, setOf, tlv, utcTime, utf8 } from './der.ts';

const OID = {
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
  organization: '2.5.4.10',
  commonName: '2.5.4.3',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  basicConstraints: '2.5.29.19',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  sctList: '1.3.6.1.4.1.11129.2.4.2',
};
const LEAF_LIFETIME_MS = 10 * 60_000;
const CA_LIFETIME_MS = 10 * 365 * 24 * 3600_000;

/** A Fulcio extension of a leaf, as its ci-provider templates render it (ci-provider.ts). */
export interface ClaimExtension {
  oid: string;
  value: string;
  /** the 1.3.6.1.4.1.57264.1.1–.6 extensions hold raw bytes, the later ones a DER UTF8String */
  legacy?: boolean;
}

export interface LeafRequest {
  /** DER SubjectPublicKeyInfo of the key to certify */
  publicKey: Uint8Array;
  subjectAltName: string;
  extensions?: ClaimExtension[];
}

interface Holder {
  der: Buffer;
  key: KeyObject;
  subject: Buffer;
  spki: Buffer;
}

const name = (organization: string, commonName: string): Buffer =>
  seq(setOf(seq(oid(OID.organization), utf8(organization))), setOf(seq(oid(OID.commonName), utf8(commonName))));
const extension = (id: string, critical: boolean, value: Buffer): Buffer => seq(oid(id), ...(critical ? [boolTrue()] : []), octets(value));
// RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's bytes.
const keyId = (spki: Buffer): Buffer => createHash('sha1').update(spkiKeyBits(spki)).digest();
const sha384 = seq(oid(OID.ecdsaWithSHA384));

// SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING }: the key bits follow the
// BIT STRING's unused-bits byte.
const spkiKeyBits = (spki: Buffer): Buffer => ASN1Obj.parseBuffer(spki as Buffer<ArrayBuffer>).subs[1]!.value.subarray(1);

/** A positive serial of 20 random bytes. */
export function serialNumber(): Buffer {
  const bytes = randomBytes(20);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes;
}

interface TBS {
  serial?: Buffer;
  issuer: Buffer;
  subject: Buffer;
  spki: Buffer;
  notBefore: Date;
  notAfter: Date;
  extensions: Buffer[];
}

function tbsCertificate(opts: TBS): Buffer {
  return seq(
    explicit(0, int(2)),
    int(opts.serial ?? serialNumber()),
    sha384,
    opts.issuer,
    seq(utcTime(opts.notBefore), utcTime(opts.notAfter)),
    opts.subject,
    opts.spki,
    explicit(3, seq(...opts.extensions)),
  );
}

const certificate = (tbs: Buffer, key: KeyObject): Buffer => seq(tbs, sha384, bits(sign('sha384', tbs, key)));

function caCertificate(opts: { subject: Buffer; issuer?: Holder; pathLen: number; start: Date }): Holder {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const signer = opts.issuer ?? { key: privateKey, subject: opts.subject, spki };
  const extensions = [
    extension(OID.keyUsage, true, bits(Buffer.from([0x06]), 1)), // keyCertSign, cRLSign
    ...(opts.issuer ? [extension(OID.extKeyUsage, false, seq(oid(OID.codeSigning)))] : []),
    extension(OID.basicConstraints, true, seq(boolTrue(), int(opts.pathLen))),
    extension(OID.subjectKeyId, false, octets(keyId(spki))),
    ...(opts.issuer ? [extension(OID.authorityKeyId, false, seq(tlv(0x80, keyId(signer.spki))))] : []),
  ];
  const tbs = tbsCertificate({
    issuer: signer.subject,
    subject: opts.subject,
    spki,
    extensions,
    notBefore: opts.start,
    notAfter: new Date(opts.start.getTime() + CA_LIFETIME_MS),
  });
  return { der: certificate(tbs, signer.key), key: privateKey, subject: opts.subject, spki };
}

export interface CertificateAuthority {
  root: Buffer;
  intermediate: Buffer;
  /** Intermediate then root, as public-good's trusted root lists its Fulcio chain. */
  chain: Buffer[];
  issueCertificate(request: LeafRequest): Promise<Buffer>;
}

function leafExtensions(request: LeafRequest, spki: Buffer, issuer: Holder): Buffer[] {
  const claims = (request.extensions ?? []).map((e) => extension(e.oid, false, e.legacy ? Buffer.from(e.value, 'utf8') : utf8(e.value)));
  return [
    extension(OID.keyUsage, true, bits(Buffer.from([0x80]), 7)), // digitalSignature
    extension(OID.extKeyUsage, false, seq(oid(OID.codeSigning))),
    extension(OID.subjectKeyId, false, octets(keyId(spki))),
    extension(OID.authorityKeyId, false, seq(tlv(0x80, keyId(issuer.spki)))),
    // The subject is empty, so the SAN is critical (RFC 5280 §4.2.1.6); a URI is [6] IA5String.
    extension(OID.subjectAltName, true, seq(tlv(0x86, Buffer.from(request.subjectAltName, 'ascii')))),
    ...claims,
  ];
}

export function createCertificateAuthority(ctlog: CTLog, start: Date, organization = 'local world'): CertificateAuthority {
  const root = caCertificate({ subject: name(organization, 'sigstore'), pathLen: 1, start });
  const intermediate = caCertificate({ subject: name(organization, 'sigstore-intermediate'), issuer: root, pathLen: 0, start });
  const issuerKeyHash = createHash('sha256').update(intermediate.spki).digest();
  return {
    root: root.der,
    intermediate: intermediate.der,
    chain: [intermediate.der, root.der],
    async issueCertificate(request) {
      const spki = Buffer.from(request.publicKey);
      // Whole seconds: UTCTime has no fraction, so the SCT's time is not after notBefore.
      const now = new Date(Math.floor(Date.now() / 1000) * 1000);
      const extensions = leafExtensions(request, spki, intermediate);
      const tbs = {
        serial: serialNumber(),
        issuer: intermediate.subject,
        subject: seq(),
        spki,
        notBefore: now,
        notAfter: new Date(now.getTime() + LEAF_LIFETIME_MS),
      };
      const tbsWith = (extra: Buffer[]) => tbsCertificate({ ...tbs, extensions: [...extensions, ...extra] });
      const sct = ctlog.sign(tbsWith([]), issuerKeyHash, now);
      const list = Buffer.concat([u16be(sct.length + 2), u16be(sct.length), sct]);
      const der = certificate(tbsWith([extension(OID.sctList, false, octets(list))]), intermediate.key);
      return der;
    },
  };
}

const u16be = (n: number) => Buffer.from([n >> 8, n & 0xff]);
