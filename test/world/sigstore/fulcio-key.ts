// How Fulcio's CreateSigningCertificate reads the key to certify (sigstore/fulcio pkg/server,
// pkg/challenges; sigstore/sigstore cryptoutils, goodkey, signature): from a CSR, whose own signature
// proves possession, or from a public key with a signature over the token's subject. Each refusal
// is one of Fulcio's client messages.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
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

const HASH_OF_SIGNATURE: Record<string, string | null> = {
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.3.101.112': null,
};

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

// Option 1 of CreateSigningCertificate: the CSR's public key, checked, and the CSR's own signature.
export function keyFromCSR(pem: Buffer): KeyResult {
  const csr = parseCSR(pem);
  if (!csr) return { error: FULCIO_ERRORS.invalidCSR };
  const { key, info, signature } = csr;
  if (!key || !secure(key)) return { error: FULCIO_ERRORS.insecurePublicKey };
  const hash = HASH_OF_SIGNATURE[csr.algorithm.subs[0]!.toOID()];
  const valid =
    hash !== undefined &&
    (() => {
      try {
        return verify(hash, info.toDER(), key, signature);
      } catch {
        return false;
      }
    })();
  return valid ? { key, hash: hash ?? null } : { error: FULCIO_ERRORS.invalidSignature };
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
