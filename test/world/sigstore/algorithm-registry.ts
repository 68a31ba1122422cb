// sigstore/sigstore's algorithm registry (pkg/signature/algorithm_registry.go), as Fulcio and Rekor
// configure it by default: a public key and the hash its signature was made over are permitted when
// some entry of the list matches both. Hashes are node:crypto's names; null is Ed25519's "no hash"
// (crypto.Hash(0)).
import type { KeyObject } from 'node:crypto';

/** The RSA modulus sizes the registry and sigstore's goodkey take. */
export const RSA_BITS = [2048, 3072, 4096];

const ECDSA_AND_RSA = (key: KeyObject, hash: string | null): boolean => {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') return { prime256v1: 'sha256', secp384r1: 'sha384', secp521r1: 'sha512' }[String(d.namedCurve)] === hash;
  // checkKey compares the modulus in whole bytes (rsa.PublicKey.Size()*8).
  return key.asymmetricKeyType === 'rsa' && RSA_BITS.includes(Math.ceil((d.modulusLength ?? 0) / 8) * 8) && hash === 'sha256';
};

/**
 * Fulcio's default client signing algorithms (cmd/app/serve.go): ECDSA P-256/384/521 with
 * SHA-256/384/512, RSA of 2048, 3072 or 4096 bits with SHA-256, Ed25519.
 */
export const fulcioPermits = (key: KeyObject, hash: string | null): boolean =>
  ECDSA_AND_RSA(key, hash) || (key.asymmetricKeyType === 'ed25519' && hash === null);

/** rekor-server's (pkg/api/api.go): Fulcio's, and Ed25519ph over SHA-512. */
export const rekorPermits = (key: KeyObject, hash: string | null): boolean =>
  fulcioPermits(key, hash) || (key.asymmetricKeyType === 'ed25519' && hash === 'sha512');

/** crypto.Hash's String() of a hash, as Go's messages name it. */
export const goHashName = (hash: string | null): string =>
  hash === null ? 'unknown hash value 0' : ({ sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' }[hash] ?? hash);
