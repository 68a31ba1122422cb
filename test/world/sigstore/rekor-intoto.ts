// rekor's intoto kind (pkg/types/intoto), what older clients log a DSSE attestation as: sigstore-js
// 1.x/2.x and sigstore-python 1.x/2.x send 0.0.2, cosign 1.x attest sends 0.0.1.
//  - 0.0.1: the envelope as JSON text and one public key; the envelope verified by sigstore's DSSE
//    wrapper (a signature naming a key ID other than the key's SSH fingerprint is skipped), logged
//    as the key and the SHA-256 of the envelope text and of its payload.
//  - 0.0.2: the envelope as an object whose payload and signatures are base64 of the envelope's own
//    base64 (each signature with its key), verified by rekor's verifyEnvelope; logged as the envelope
//    without its payload, the client's `hash` as given (rekor does not check it) and the SHA-256 of
//    the payload.
// Either, without an envelope (or a payload), is an entry as logged: searchable, not insertable.
import { goBase64Corruption } from '../go-base64.ts';
import { failureList, first, minItems, nested, required } from './openapi-model.ts';
import { hashBody, hashFailure, hashOf, sha256Hash, type Hash } from './rekor-hash.ts';
import { IN_TOTO_PAYLOAD_TYPE, keyIndexKeys, statementIndexKeys } from './rekor-index-keys.ts';
import { readEnvelope, sshKeyID, verifyAndDecode, verifyEnvelope, type Envelope } from './rekor-envelope.ts';
import { CanonicalizeFailure, isObject, objectField, refuse, refusing, specObject, stringField, type KindEntry } from './rekor-kind.ts';
import { goBase64Field, publicKeyOf } from './rekor-x509.ts';

/** intoto 0.0.1's Unmarshal: DecodeEntry, Validate, the key, then validate (the envelope verified). */
function intotoV001(spec: Record<string, unknown>): KindEntry {
  const content = objectField(spec, 'content');
  const envelope = stringField(content, 'envelope') ?? '';
  let hash = hashOf(objectField(content, 'hash'));
  let payloadHash = hashOf(objectField(content, 'payloadHash'));
  const keyText = stringField(spec, 'publicKey');
  const keyBytes = keyText ? refusing(() => goBase64Field(keyText, 'public key')) : undefined;
  const invalid = failureList([
    first(
      () => required('content', content !== undefined),
      () => nested('content', [hashFailure('content.hash', hash), hashFailure('content.payloadHash', payloadHash)]),
    ),
    required('publicKey', keyBytes !== undefined),
  ]);
  if (invalid) refuse(invalid);
  const key = refusing(() => publicKeyOf(keyBytes!));
  let verified = false;
  // The payload the index reads subjects from: an in-toto one, decoded as standard base64.
  let statement: Buffer | undefined;
  if (envelope === '') {
    if (!hash) refuse('missing hash value for envelope');
  } else {
    const parsed = readEnvelope(envelope);
    const { payload } = refusing(() => verifyAndDecode(key.key, parsed, sshKeyID(key.key)));
    // rekor decodes the payload again, with standard base64 only.
    const at = goBase64Corruption(parsed.payload);
    if (at >= 0) refuse(`illegal base64 data at input byte ${at}`);
    payloadHash = sha256Hash(payload);
    hash = sha256Hash(envelope);
    verified = parsed.payload !== '' && parsed.payloadType !== '';
    if (parsed.payloadType === IN_TOTO_PAYLOAD_TYPE) statement = payload;
  }
  return {
    notInsertable: () => {
      if (envelope === '') return 'missing envelope content';
      if (keyBytes!.length === 0) return 'missing publicKey content';
      return verified ? undefined : 'invalid DSSE envelope';
    },
    indexKeys: () => [
      `${hash!.algorithm}:${hash!.value}`,
      ...keyIndexKeys(key, true),
      ...(payloadHash ? [`${payloadHash.algorithm}:${payloadHash.value}`] : []),
      ...((statement && statementIndexKeys(statement)) || []),
    ],
    canonicalize: () => ({
      apiVersion: '0.0.1',
      kind: 'intoto',
      spec: {
        content: { hash: hashBody(hash!), ...(payloadHash ? { payloadHash: hashBody(payloadHash) } : {}) },
        publicKey: Buffer.from(key.canonical).toString('base64'),
      },
    }),
  };
}

interface V002Signature {
  keyid: string;
  sig?: Buffer;
  publicKey?: Buffer;
}

/** intoto 0.0.2's DecodeEntry: the envelope's payload and each signature's sig and key decoded once. */
function decodeV002(spec: Record<string, unknown>) {
  const content = objectField(spec, 'content');
  const envelope = objectField(content, 'envelope');
  const payloadText = stringField(envelope, 'payload');
  const payload = payloadText ? refusing(() => goBase64Field(payloadText, 'payload')) : Buffer.alloc(0);
  const raw = envelope?.signatures;
  const signatures = Array.isArray(raw)
    ? raw.filter(isObject).map((s): V002Signature => {
        const [sig, key] = [stringField(s, 'sig'), stringField(s, 'publicKey')];
        return {
          keyid: stringField(s, 'keyid') ?? '',
          sig: sig === undefined ? undefined : refusing(() => goBase64Field(sig, 'signature')),
          publicKey: key === undefined ? undefined : refusing(() => goBase64Field(key, 'public key')),
        };
      })
    : undefined;
  const hash = hashOf(objectField(content, 'hash'));
  return { payloadType: stringField(envelope, 'payloadType'), payload, signatures, hash, payloadHash: hashOf(objectField(content, 'payloadHash')) };
}

/** IntotoV002Schema's Validate: content.envelope (payloadType, signatures, each one's publicKey and sig), hash, payloadHash. */
function v002Failures(read: ReturnType<typeof decodeV002>): string | undefined {
  const signatures = read.signatures ?? [];
  const path = 'content.envelope.signatures';
  const envelope = nested('content.envelope', [
    required('content.envelope.payloadType', read.payloadType !== undefined),
    first(
      () => required(path, read.signatures !== undefined),
      () => minItems(path, signatures.length, 1),
      // The first signature that fails, named by its index.
      ...signatures!.map((s, i) => () => nested(`${path}.${i}`, [required('publicKey', s.publicKey !== undefined), required('sig', s.sig !== undefined)])),
    ),
  ]);
  return failureList([nested('content', [envelope, hashFailure('content.hash', read.hash), hashFailure('content.payloadHash', read.payloadHash)])]);
}

/** intoto 0.0.2's Unmarshal: DecodeEntry, Validate, then (with a payload) verifyEnvelope. */
function intotoV002(spec: Record<string, unknown>): KindEntry {
  const read = decodeV002(spec);
  const invalid = v002Failures(read);
  if (invalid) refuse(invalid);
  const signatures = read.signatures!;
  let payloadHash = read.payloadHash;
  const hasPayload = read.payload.length > 0;
  if (hasPayload) {
    const envelope: Envelope = {
      payload: read.payload.toString('latin1'),
      payloadType: read.payloadType!,
      signatures: signatures.map((s) => ({ sig: s.sig!.toString('latin1'), keyid: s.keyid })),
    };
    refusing(() =>
      verifyEnvelope(
        signatures.map((s) => s.publicKey!),
        envelope,
        false,
      ),
    );
    const at = goBase64Corruption(envelope.payload);
    if (at >= 0) refuse(`could not decode envelope payload: illegal base64 data at input byte ${at}`);
    payloadHash = sha256Hash(Buffer.from(envelope.payload, 'base64'));
  }
  return {
    notInsertable: () => {
      if (!hasPayload) return 'missing envelope content';
      if (read.payloadType === '') return 'missing payloadType content';
      for (const s of signatures) {
        if (s.sig!.length === 0) return 'missing signature content';
        if (s.publicKey!.length === 0) return 'missing publicKey content';
      }
      return undefined;
    },
    indexKeys: () => v002IndexKeys(read, payloadHash),
    canonicalize: () => {
      if (!read.hash) throw new CanonicalizeFailure('missing envelope digest');
      if (!payloadHash) throw new CanonicalizeFailure('missing payload digest');
      const signed = signatures.map((s) => ({
        ...(s.keyid ? { keyid: s.keyid } : {}),
        publicKey: s.publicKey!.toString('base64'),
        sig: s.sig!.toString('base64'),
      }));
      return {
        apiVersion: '0.0.2',
        kind: 'intoto',
        spec: { content: { envelope: { payloadType: read.payloadType, signatures: signed }, hash: hashBody(read.hash), payloadHash: hashBody(payloadHash) } },
      };
    },
  };
}

/**
 * intoto 0.0.2's IndexKeys: each signature's key, the payload's digest, an in-toto payload's
 * subjects; none at all when a key does not parse or an in-toto payload is no statement.
 */
function v002IndexKeys(read: ReturnType<typeof decodeV002>, payloadHash: Hash | undefined): string[] {
  const keys: string[] = [];
  try {
    for (const s of read.signatures!) keys.push(...keyIndexKeys(publicKeyOf(s.publicKey!), true));
  } catch {
    return [];
  }
  if (payloadHash) keys.push(`${payloadHash.algorithm}:${payloadHash.value}`);
  if (read.payloadType !== IN_TOTO_PAYLOAD_TYPE || read.payload.length === 0) return keys;
  const statement = statementIndexKeys(Buffer.from(read.payload.toString('latin1'), 'base64'));
  return statement ? [...keys, ...statement] : [];
}

/** The intoto kind's versions, as VersionedUnmarshal finds them. */
export const INTOTO_VERSIONS: Record<string, (spec: unknown) => KindEntry> = {
  '0.0.1': (spec) => intotoV001(specObject(spec)),
  '0.0.2': (spec) => intotoV002(specObject(spec)),
};
