// How Fulcio's CreateSigningCertificate reads the key to certify (sigstore/fulcio pkg/server,
// pkg/challenges; sigstore/sigstore cryptoutils, goodkey, signature): from a CSR, whose own signature
// proves possession, or from a public key with a signature over the token's subject. Each refusal
// is one of Fulcio's client messages.
import { constants, createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ASN1Obj } from '@sigstore/core';
import { goPemDecode } from '../go-pem.ts';
import { RSA_BITS } from './algorithm-registry.ts';
import { derElement } from './go-ecdsa-signature.ts';
import { verifyDigest } from './prehashed.ts';

// Fulcio's client messages (pkg/server/error.go).
export const FULCIO_ERRORS = {
  invalidSignature: 'The signature supplied in the request could not be verified',
  invalidPublicKey: 'The public key supplied in the request could not be parsed',
  invalidCSR: 'The certificate signing request could not be parsed',
  insecurePublicKey: 'The public key supplied in the request is insecure',
  invalidIdentityToken: 'There was an error processing the identity token',
} as const;

/** A checked key and the hash its signature (the CSR's, or the proof's) was made with (null for Ed25519), or Fulcio's refusal. */
export type KeyResult = { key: KeyObject; hash: string | null } | { error: string };

// sigstore's goodkey.ValidatePubKey: ECDSA on P-256/384/521, RSA of exactly 2048, 3072 or 4096 bits
// with the exponent 65537, Ed25519. (Its checks of an RSA modulus's small factors and Fermat
// factorization never fail for a key node:crypto generated.)
function secure(key: KeyObject): boolean {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') return ['prime256v1', 'secp384r1', 'secp521r1'].includes(String(d.namedCurve));
  if (key.asymmetricKeyType === 'rsa') return RSA_BITS.includes(d.modulusLength ?? 0) && d.publicExponent === 65537n;
  return key.asymmetricKeyType === 'ed25519';
}

// The key types and curves Go's x509 parses; OpenSSL reads more (secp256k1, RSA-PSS keys, Ed448).
const GO_CURVES = ['secp224r1', 'prime256v1', 'secp384r1', 'secp521r1'];
function goParses(key: KeyObject): boolean {
  if (key.asymmetricKeyType === 'ec') return GO_CURVES.includes(String(key.asymmetricKeyDetails?.namedCurve));
  return ['rsa', 'ed25519', 'x25519', 'dsa'].includes(String(key.asymmetricKeyType));
}

/** x509.ParsePKIXPublicKey (type 'spki') or ParsePKCS1PublicKey ('pkcs1'): one DER element, nothing after it. */
function parseDERKey(der: Buffer, type: 'spki' | 'pkcs1'): KeyObject | undefined {
  if (derElement(der, 0)?.end !== der.length) return undefined;
  try {
    const key = createPublicKey({ key: der, format: 'der', type });
    return goParses(key) ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * challenges.ParsePublicKey: the first PEM block if it is a `PUBLIC KEY` or an `RSA PUBLIC KEY`
 * (cryptoutils.UnmarshalPEMToPublicKey), else the whole content as a DER SubjectPublicKeyInfo; a
 * private key, a certificate or anything else is refused.
 */
export function parsePublicKey(content: Buffer): KeyObject | undefined {
  if (content.length === 0) return undefined;
  const { block } = goPemDecode(content.toString('latin1'));
  const type = ({ 'PUBLIC KEY': 'spki', 'RSA PUBLIC KEY': 'pkcs1' } as const)[block?.type ?? ''];
  return (type && parseDERKey(block!.bytes, type)) || parseDERKey(content, 'spki');
}

// sigstore/sigstore's LoadDefaultVerifier: the curve decides an ECDSA key's hash, RSA is SHA-256.
function defaultHash(key: KeyObject): string | null {
  if (key.asymmetricKeyType === 'ed25519') return null;
  return { secp384r1: 'sha384', secp521r1: 'sha512' }[String(key.asymmetricKeyDetails?.namedCurve)] ?? 'sha256';
}

const CSR_TYPES = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'];
// The public key algorithms Go's x509 knows: RSA, DSA, ECDSA, Ed25519, X25519.
const GO_KEY_ALGORITHMS = ['1.2.840.113549.1.1.1', '1.2.840.10040.4.1', '1.2.840.10045.2.1', '1.3.101.112', '1.3.101.110'];

interface CSR {
  info: ASN1Obj;
  /** the signature's AlgorithmIdentifier */
  algorithm: ASN1Obj;
  signature: Buffer;
  /** null for a key of an algorithm Go's x509 does not know, which it leaves unparsed */
  key: KeyObject | null;
}

/**
 * cryptoutils.ParseCSR: the first PEM block, which must be a CERTIFICATE REQUEST or a NEW
 * CERTIFICATE REQUEST, read by x509.ParseCertificateRequest (nothing after it); undefined where
 * either refuses it.
 */
function parseCSR(pem: Buffer): CSR | undefined {
  const { block } = goPemDecode(pem.toString('latin1'));
  if (!block || !CSR_TYPES.includes(block.type) || derElement(block.bytes, 0)?.end !== block.bytes.length) return undefined;
  try {
    const csr = ASN1Obj.parseBuffer(block.bytes as Buffer<ArrayBuffer>);
    const [info, algorithm, signature] = [csr.subs[0]!, csr.subs[1]!, csr.subs[2]!.value.subarray(1)];
    const spki = info.subs[2]!;
    if (!GO_KEY_ALGORITHMS.includes(spki.subs[0]!.subs[0]!.toOID())) return { info, algorithm, signature, key: null };
    const key = parseDERKey(spki.toDER(), 'spki');
    return key && { info, algorithm, signature, key };
  } catch {
    return undefined;
  }
}

/** A signature algorithm as Go's x509 names it, the hash it signs over (null: none) and the key type it takes. */
interface SignatureAlgorithm {
  name: string;
  hash: string | null;
  key: string;
  pss?: boolean;
}

// x509's signatureAlgorithmDetails, of the key types goodkey lets through (DSA's never get here).
const SIGNATURE_ALGORITHMS: Record<string, SignatureAlgorithm> = {
  '1.2.840.113549.1.1.4': { name: 'MD5-RSA', hash: 'md5', key: 'rsa' },
  '1.2.840.113549.1.1.5': { name: 'SHA1-RSA', hash: 'sha1', key: 'rsa' },
  '1.3.14.3.2.29': { name: 'SHA1-RSA', hash: 'sha1', key: 'rsa' },
  '1.2.840.113549.1.1.11': { name: 'SHA256-RSA', hash: 'sha256', key: 'rsa' },
  '1.2.840.113549.1.1.12': { name: 'SHA384-RSA', hash: 'sha384', key: 'rsa' },
  '1.2.840.113549.1.1.13': { name: 'SHA512-RSA', hash: 'sha512', key: 'rsa' },
  '1.2.840.10045.4.1': { name: 'ECDSA-SHA1', hash: 'sha1', key: 'ec' },
  '1.2.840.10045.4.3.2': { name: 'ECDSA-SHA256', hash: 'sha256', key: 'ec' },
  '1.2.840.10045.4.3.3': { name: 'ECDSA-SHA384', hash: 'sha384', key: 'ec' },
  '1.2.840.10045.4.3.4': { name: 'ECDSA-SHA512', hash: 'sha512', key: 'ec' },
  '1.3.101.112': { name: 'Ed25519', hash: null, key: 'ed25519' },
};
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';
const PSS_HASHES: Record<string, [string, number]> = {
  '2.16.840.1.101.3.4.2.1': ['sha256', 32],
  '2.16.840.1.101.3.4.2.2': ['sha384', 48],
  '2.16.840.1.101.3.4.2.3': ['sha512', 64],
};
/** getHashFuncForSignatureAlgorithm's: the algorithms Fulcio issues for; any other it names in its refusal. */
const RECOGNIZED = ['ECDSA-SHA256', 'ECDSA-SHA384', 'ECDSA-SHA512', 'SHA256-RSA', 'SHA384-RSA', 'SHA512-RSA', 'Ed25519'];

// An AlgorithmIdentifier's parameters: absent, or NULL.
const noParameters = (ai: ASN1Obj | undefined) => ai !== undefined && (ai.subs.length === 1 || ai.subs[1]!.toDER().equals(Buffer.from([5, 0])));

/**
 * x509's reading of RSASSA-PSS parameters: hash, MGF1 over the same hash and salt given (no
 * defaults), both hashes without parameters, the trailer 1, and the salt as long as the hash.
 */
function pss(params: ASN1Obj | undefined): SignatureAlgorithm | undefined {
  const field = (n: number) => params?.subs.find((f) => f.tag.isContextSpecific(n))?.subs[0];
  const [hash, mgf, salt, trailer] = [field(0), field(1), field(2), field(3)];
  if (!hash || !mgf || !salt || !noParameters(hash) || mgf.subs[0]?.toOID() !== MGF1) return undefined;
  if (mgf.subs[1]?.subs[0]?.toOID() !== hash.subs[0]!.toOID() || !noParameters(mgf.subs[1]) || (trailer && trailer.toInteger() !== 1n)) return undefined;
  const [name, length] = PSS_HASHES[hash.subs[0]!.toOID()] ?? [];
  if (!name || salt.toInteger() !== BigInt(length!)) return undefined;
  return { name: `${name.toUpperCase()}-RSAPSS`, hash: name, key: 'rsa', pss: true };
}

/** getSignatureAlgorithmFromAI; undefined for x509's UnknownSignatureAlgorithm. */
function signatureAlgorithm(ai: ASN1Obj): SignatureAlgorithm | undefined {
  const oid = ai.subs[0]!.toOID();
  if (oid === RSASSA_PSS) return pss(ai.subs[1]);
  // RFC 8410: Ed25519's parameters must be absent.
  if (oid === '1.3.101.112' && ai.subs.length > 1) return undefined;
  return SIGNATURE_ALGORITHMS[oid];
}

/** CertificateRequest.CheckSignature, which takes SHA-1 (CSRs only) but not MD5. */
function checkSignature(algorithm: SignatureAlgorithm | undefined, { info, signature, key }: CSR & { key: KeyObject }): boolean {
  if (!algorithm || algorithm.hash === 'md5' || algorithm.key !== key.asymmetricKeyType) return false;
  const padding = algorithm.pss ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : {};
  try {
    return verify(algorithm.hash, info.toDER(), { key, ...padding }, signature);
  } catch {
    return false;
  }
}

// Option 1 of CreateSigningCertificate: the CSR's public key, checked, the CSR's own signature, and
// the hash of an algorithm Fulcio issues for.
export function keyFromCSR(pem: Buffer): KeyResult {
  const csr = parseCSR(pem);
  if (!csr) return { error: FULCIO_ERRORS.invalidCSR };
  const { key } = csr;
  if (!key || !secure(key)) return { error: FULCIO_ERRORS.insecurePublicKey };
  const algorithm = signatureAlgorithm(csr.algorithm);
  if (!checkSignature(algorithm, { ...csr, key })) return { error: FULCIO_ERRORS.invalidSignature };
  if (!RECOGNIZED.includes(algorithm!.name)) return { error: `unrecognized signature algorithm: ${algorithm!.name}` };
  return { key, hash: algorithm!.hash };
}

// The default verifier's check of the proof (sigstore/sigstore pkg/signature): an ECDSA signature in
// ASN.1 DER when Go's asn1 reads it as such, else in IEEE P1363 (what WebCrypto signs), over the
// curve's hash; RSA PKCS #1 v1.5 over SHA-256; Ed25519 over the subject itself. Rekor verifies
// signatures over a digest the same way (prehashed.ts).
function proves(key: KeyObject, subject: string, proof: Buffer): boolean {
  const hash = defaultHash(key);
  if (hash !== null) return verifyDigest(key, createHash(hash).update(subject).digest(), proof).ok;
  try {
    return verify(null, Buffer.from(subject), key, proof);
  } catch {
    return false;
  }
}

// Option 2: the public key, checked, and its signature over the token's subject.
export function keyFromProof(content: Buffer, proof: Buffer, subject: string): KeyResult {
  const key = parsePublicKey(content);
  if (!key) return { error: FULCIO_ERRORS.invalidPublicKey };
  if (!secure(key)) return { error: FULCIO_ERRORS.insecurePublicKey };
  return proves(key, subject, proof) ? { key, hash: defaultHash(key) } : { error: FULCIO_ERRORS.invalidSignature };
}
