// rekor's hashedrekord kind, 0.0.1 (pkg/types/hashedrekord/v0.0.1), what cosign sign-blob and the
// current clients log an artifact's signature as: the artifact's digest, the signature over it and
// the key (x509 only), logged as the three with the key in its canonical form. createLogEntry also
// checks the key and the digest's hash against rekor-server's algorithm registry.
import { failureList, first, nested, oneOf, required } from './openapi-model.ts';
import { goHashName, rekorPermits } from './algorithm-registry.ts';
import { isObject, refuse, refusing, specObject, type KindEntry } from './rekor-kind.ts';
import { keyIndexKeys } from './rekor-index-keys.ts';
import { goBase64Field, publicKeyOf, type X509Key } from './rekor-x509.ts';
import { verifyDigest } from './prehashed.ts';

const DIGEST_LENGTHS: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** hashedrekord 0.0.1's Unmarshal (DecodeEntry, Validate, validate) and Canonicalize. */
function hashedRekordV001(spec: Record<string, unknown>): KindEntry {
  const signature = isObject(spec.signature) ? spec.signature : undefined;
  const content =
    typeof signature?.content === 'string' && signature.content !== ''
      ? refusing(() => goBase64Field(signature.content as string, 'signature content'))
      : undefined;
  const keyRaw = isObject(signature?.publicKey) ? signature.publicKey : undefined;
  const keyBytes =
    typeof keyRaw?.content === 'string' && keyRaw.content !== '' ? refusing(() => goBase64Field(keyRaw.content as string, 'public key content')) : undefined;
  // DecodeEntry makes `data` only of a data whose hash is an object.
  const hash = isObject(spec.data) && isObject(spec.data.hash) ? spec.data.hash : undefined;
  const algorithm = typeof hash?.algorithm === 'string' ? hash.algorithm : undefined;
  const value = typeof hash?.value === 'string' ? hash.value : undefined;
  const invalid = failureList([
    first(
      () => required('data', hash !== undefined),
      () =>
        nested('data', [
          nested('data.hash', [
            first(
              () => required('data.hash.algorithm', algorithm !== undefined),
              () => oneOf('data.hash.algorithm', algorithm as string, Object.keys(DIGEST_LENGTHS)),
            ),
            required('data.hash.value', value !== undefined),
          ]),
        ]),
    ),
    required('signature', signature !== undefined),
  ]);
  if (invalid) refuse(invalid);
  // Both are there once the model validated.
  const [alg, hex] = [algorithm as string, value as string];
  if (!keyRaw) refuse('missing public key');
  const key: X509Key = refusing(() => publicKeyOf(keyBytes ?? Buffer.alloc(0)));
  if (hex.length !== DIGEST_LENGTHS[alg]! * 2) refuse('invalid value for hash');
  const badHex = hex.search(/[^0-9a-fA-F]/);
  if (badHex >= 0) refuse(`encoding/hex: invalid byte: U+${hex.charCodeAt(badHex).toString(16).toUpperCase().padStart(4, '0')} '${hex[badHex]}'`);
  // rekor's x509 Signature refuses to verify with no bytes (a content that is empty or no string).
  if (content === undefined || content.length === 0) return refuse('verifying signature: X509 signature has not been initialized');
  // An Ed25519 key verifies a digest only as Ed25519ph, over SHA-512 (sigstore/sigstore).
  if (key.key.asymmetricKeyType === 'ed25519' && alg !== 'sha512')
    refuse(`verifying signature: unsupported hash algorithm: "${goHashName(alg)}" not in [SHA-512]`);
  const verdict = verifyDigest(key.key, Buffer.from(hex, 'hex'), content);
  if (!verdict.ok) refuse(`verifying signature: ${verdict.error}`);
  const body = {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: alg, value: hex } },
      signature: { content: content.toString('base64'), publicKey: { content: Buffer.from(key.canonical).toString('base64') } },
    },
  };
  return {
    notInsertable: () => undefined,
    // createLogEntry's checkEntryAlgorithms, once the entry is read; a search does not check.
    algorithmsPermitted: () => rekorPermits(key.key, alg),
    indexKeys: () => [...keyIndexKeys(key, false), `${alg}:${hex}`],
    canonicalize: () => body,
  };
}

/** The hashedrekord kind's versions, as VersionedUnmarshal finds them. */
export const HASHEDREKORD_VERSIONS: Record<string, (spec: unknown) => KindEntry> = {
  '0.0.1': (spec) => hashedRekordV001(specObject(spec)),
};
