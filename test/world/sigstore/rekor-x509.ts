// rekor's pkg/pki/x509 as its entry kinds use it: a public key read from PEM (a key, a certificate or
// a chain of them) with its canonical PEM, and a signature over a message checked by the verifier
// sigstore/sigstore loads for the key with SHA-256 (LoadVerifier(key, crypto.SHA256)): ECDSA over
// SHA-256 whatever the curve (ASN.1 or IEEE P1363), RSA PKCS #1 v1.5 over SHA-256, pure Ed25519.
import { constants, createPublicKey, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { goBase64Corruption } from '../go-base64.ts';
import { goPemDecode } from '../go-pem.ts';
import { toPEM } from './pem.ts';
import { ecdsaSignature, p1363 } from './go-ecdsa-signature.ts';
import { orderBytes } from './prehashed.ts';

/** A key as x509.NewPublicKey reads it, and its CanonicalValue. */
export interface X509Key {
  key: KeyObject;
  canonical: string;
  /** the certificate it came from (the first of a chain), if any */
  certificate?: X509Certificate;
}

// Go's x509.ParseCertificate on DER that is no certificate: a SubjectPublicKeyInfo (a PUBLIC KEY
// block in a chain) fails at the serial number, which its second element is not; the rest is named
// by Go's outermost error.
function certificateOf(der: Buffer): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch {
    try {
      createPublicKey({ key: der, format: 'der', type: 'spki' });
      throw new Error('x509: malformed serial number');
    } catch (error) {
      throw (error as Error).message.startsWith('x509:') ? error : new Error('x509: malformed certificate');
    }
  }
}

/**
 * rekor's x509.NewPublicKey: the first PEM block of the trimmed bytes, a public key or a certificate;
 * with anything after it, every block a certificate (at most 10), the first one's key verifying and
 * all of them its canonical form. Throws Go's error.
 */
export function publicKeyOf(pem: Buffer): X509Key {
  const text = pem.toString('latin1').trim();
  const first = goPemDecode(text);
  if (!first.block) throw new Error('invalid public key: failure decoding PEM');
  if (first.rest.length > 0) {
    const certs: X509Certificate[] = [];
    for (let remaining = text; remaining.length > 0; ) {
      if (certs.length === 10) throw new Error('too many certificates specified in PEM block');
      const next = goPemDecode(remaining);
      if (!next.block) throw new Error('error during PEM decoding');
      certs.push(certificateOf(next.block.bytes));
      remaining = next.rest;
    }
    return { key: certs[0]!.publicKey, canonical: certs.map((c) => toPEM(c.raw)).join(''), certificate: certs[0] };
  }
  const { type, bytes } = first.block;
  if (type === 'CERTIFICATE') {
    const certificate = certificateOf(bytes);
    return { key: certificate.publicKey, canonical: toPEM(bytes), certificate };
  }
  if (type !== 'PUBLIC KEY') throw new Error(`invalid public key: cannot handle type ${type}`);
  return { key: createPublicKey({ key: bytes, format: 'der', type: 'spki' }), canonical: toPEM(bytes, 'PUBLIC KEY') };
}

/**
 * base64.StdEncoding.Decode of a field the kinds' DecodeEntry reads, refused with its error: the
 * offset of the byte it could not take, after `failed parsing base64 data for <what>: `.
 */
export function goBase64Field(text: string, what: string): Buffer {
  const corruptAt = goBase64Corruption(text);
  if (corruptAt >= 0) throw new Error(`failed parsing base64 data for ${what}: illegal base64 data at input byte ${corruptAt}`);
  return Buffer.from(text.replace(/[\r\n]/g, ''), 'base64');
}

/** The verifier's refusal of `signature` over `message`, or undefined when it verifies. */
export function verifyMessage(key: KeyObject, message: Buffer, signature: Buffer): string | undefined {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return attempt(() => verify(null, message, key, signature)) ? undefined : 'failed to verify signature';
    case 'rsa':
      return attempt(() => verify('sha256', message, { key, padding: constants.RSA_PKCS1_PADDING }, signature)) ? undefined : 'crypto/rsa: verification error';
    case 'ec': {
      // node:crypto verifies either encoding once it is written as P1363 of the curve's width.
      const read = ecdsaSignature(signature);
      if ('error' in read) return read.error;
      const width = orderBytes(key);
      const fixed = width === undefined ? undefined : p1363(read.r, read.s, width);
      const ok = fixed !== undefined && attempt(() => verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, fixed));
      return ok ? undefined : `invalid signature when validating ${read.form} encoded signature`;
    }
    default:
      return `unsupported public key type: ${key.asymmetricKeyType}`;
  }
}

/** A node:crypto verification, false where it throws (a key or signature it cannot use). */
function attempt(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
