// rekor's rekord kind, 0.0.1 (pkg/types/rekord/v0.0.1), what older clients log an artifact's
// signature as: the artifact itself (data.content, base64) with its signature and key in one of the
// PKI formats rekor knows. Logged as the SHA-256 of the data, the signature and the key's canonical
// form; the data is dropped. The signature is checked only when the entry is canonicalized, so a
// bad one is refused after the entry was found insertable.
//
// Of the formats (pgp, minisign, ssh, x509) the world verifies x509 only (a PEM key or certificate
// with an ECDSA, RSA PKCS #1 v1.5 or Ed25519 signature over the data, as rekor's pki/x509 does);
// an entry in another format it refuses in words of its own, as a judge that cannot tell.
import { createHash } from 'node:crypto';
import { failureList, first, nested, oneOf, required } from './openapi-model.ts';
import { objectField, refuse, refusing, specObject, stringField, type KindEntry } from './rekor-kind.ts';
import { keyIndexKeys } from './rekor-index-keys.ts';
import { goBase64Field, publicKeyOf, verifyMessage } from './rekor-x509.ts';

const FORMATS = ['pgp', 'minisign', 'x509', 'ssh'];

interface Read {
  signature?: { format?: string; content?: Buffer; publicKey?: { content?: Buffer } };
  data?: { content?: Buffer; hash?: { algorithm?: string; value?: string } };
}

/** A base64 field DecodeEntry decodes only when it is a non-empty string. */
const bytesField = (object: Record<string, unknown> | undefined, key: string, what: string): Buffer | undefined => {
  const text = stringField(object, key);
  return text ? refusing(() => goBase64Field(text, what)) : undefined;
};

/** rekord 0.0.1's DecodeEntry. */
function decode(spec: Record<string, unknown>): Read {
  const read: Read = {};
  const signature = objectField(spec, 'signature');
  if (signature) {
    const key = objectField(signature, 'publicKey');
    read.signature = {
      format: stringField(signature, 'format'),
      content: bytesField(signature, 'content', 'signature content'),
      publicKey: key && { content: bytesField(key, 'content', 'signature publicKey content') },
    };
  }
  const data = objectField(spec, 'data');
  if (data) {
    const hash = objectField(data, 'hash');
    read.data = { hash: hash && { algorithm: stringField(hash, 'algorithm'), value: stringField(hash, 'value') } };
    read.data.content = bytesField(data, 'content', 'data content');
  }
  return read;
}

/** RekordV001Schema's Validate: data (its hash), then signature (content, format, publicKey and its content). */
function failures({ signature, data }: Read): string | undefined {
  const hash = data?.hash;
  return failureList([
    first(
      () => required('data', data !== undefined),
      () =>
        hash &&
        nested('data', [
          nested('data.hash', [
            first(
              () => required('data.hash.algorithm', hash.algorithm !== undefined),
              () => oneOf('data.hash.algorithm', hash.algorithm!, ['sha256']),
            ),
            required('data.hash.value', hash.value !== undefined),
          ]),
        ]),
    ),
    first(
      () => required('signature', signature !== undefined),
      () =>
        nested('signature', [
          required('signature.content', signature!.content !== undefined),
          first(
            () => required('signature.format', signature!.format !== undefined),
            () => oneOf('signature.format', signature!.format!, FORMATS),
          ),
          first(
            () => required('signature.publicKey', signature!.publicKey !== undefined),
            () => nested('signature.publicKey', [required('signature.publicKey.content', signature!.publicKey!.content !== undefined)]),
          ),
        ]),
    ),
  ]);
}

/** validate(): the cross-field checks after the model's. */
function crossFieldFailure({ data }: Read): string | undefined {
  const hash = data!.hash;
  if (!hash) return (data!.content?.length ?? 0) === 0 ? "'content' must be specified for data" : undefined;
  if (hash.value === '') return 'missing hash value';
  return /^[0-9a-fA-F]{64}$/.test(hash.value!) ? undefined : 'invalid value for hash';
}

/** fetchExternalEntities and Canonicalize: the data's digest checked, the signature verified; the body and its index keys. */
function canonicalize(read: Read): { body: object; keys: string[] } {
  const { signature, data } = read;
  const format = signature!.format!;
  const content = data!.content ?? Buffer.alloc(0);
  const computed = createHash('sha256').update(content).digest('hex');
  const given = data!.hash?.value;
  if (given !== undefined && given !== computed) refuse(`SHA mismatch: ${computed} != ${given}`);
  if (format !== 'x509') refuse(`the local world does not verify rekord signatures in the ${format} format`);
  const key = refusing(() => publicKeyOf(signature!.publicKey!.content!));
  const failure = verifyMessage(key.key, content, signature!.content!);
  if (failure) refuse(failure);
  const hash = { algorithm: data!.hash?.algorithm ?? 'sha256', value: given ?? computed };
  const body = {
    apiVersion: '0.0.1',
    kind: 'rekord',
    spec: {
      data: { hash },
      signature: { content: signature!.content!.toString('base64'), format, publicKey: { content: Buffer.from(key.canonical).toString('base64') } },
    },
  };
  return { body, keys: [...keyIndexKeys(key, false), `${hash.algorithm}:${hash.value}`] };
}

/** rekord 0.0.1's Unmarshal (DecodeEntry, Validate, validate), Insertable and Canonicalize. */
function rekordV001(spec: Record<string, unknown>): KindEntry {
  const read = decode(spec);
  const invalid = failures(read) ?? crossFieldFailure(read);
  if (invalid) refuse(invalid);
  return {
    notInsertable: () => ((read.data!.content?.length ?? 0) === 0 ? 'missing data content' : undefined),
    indexKeys: () => canonicalize(read).keys,
    canonicalize: () => canonicalize(read).body,
  };
}

/** The rekord kind's versions, as VersionedUnmarshal finds them. */
export const REKORD_VERSIONS: Record<string, (spec: unknown) => KindEntry> = {
  '0.0.1': (spec) => rekordV001(specObject(spec)),
};
