// rekor's dsse kind, 0.0.1 (pkg/types/dsse/v0.0.1), what PEP 740's clients and cosign 2.x log a DSSE
// attestation as: the envelope as JSON text and the keys that may verify it (proposedContent),
// logged as the SHA-256 of the envelope and of its payload and each signature with the canonical
// form of the key that verified it, sorted by signature. Without proposed content, the entry as
// logged (its hashes and signatures), which a search may send and createLogEntry does not insert.

// The signature's pattern in the model (standard base64), as RE2 reads it.
const STD_BASE64 = /^(?:[A-Za-z0-9+\/]{4})*(?:[A-Za-z0-9+\/]{2}==|[A-Za-z0-9+\/]{3}=|[A-Za-z0-9+\/]{4})$/;
import { failureList, first, minItems, nested, pattern, required } from './openapi-model.ts';
import { readEnvelope, verifyEnvelope } from './rekor-envelope.ts';
import { hashBody, hashFailure, hashOf, sha256Hash, type Hash } from './rekor-hash.ts';
import { IN_TOTO_PAYLOAD_TYPE, keyIndexKeys, statementIndexKeys } from './rekor-index-keys.ts';
import { isObject, objectField, refuse, refusing, specObject, stringField, type KindEntry } from './rekor-kind.ts';
import { goBase64Field } from './rekor-x509.ts';

interface Read {
  proposed?: { envelope?: string; verifiers?: Buffer[] };
  signatures?: Array<{ signature?: string; verifier?: Buffer }>;
  envelopeHash?: Hash;
  payloadHash?: Hash;
}

/** dsse 0.0.1's DecodeEntry: verifiers and each logged signature's verifier decoded from base64. */
function decode(spec: Record<string, unknown>): Read {
  const proposed = objectField(spec, 'proposedContent');
  const read: Read = { envelopeHash: hashOf(objectField(spec, 'envelopeHash')), payloadHash: hashOf(objectField(spec, 'payloadHash')) };
  if (proposed) {
    const verifiers = proposed.verifiers;
    read.proposed = {
      envelope: stringField(proposed, 'envelope'),
      verifiers: Array.isArray(verifiers)
        ? verifiers.filter((v): v is string => typeof v === 'string' && v !== '').map((v) => refusing(() => goBase64Field(v, 'verifier')))
        : undefined,
    };
  }
  if (Array.isArray(spec.signatures))
    read.signatures = spec.signatures.filter(isObject).map((s) => {
      const verifier = stringField(s, 'verifier');
      return { signature: stringField(s, 'signature'), verifier: verifier ? refusing(() => goBase64Field(verifier, 'signature verifier')) : undefined };
    });
  return read;
}

/** DSSEV001Schema's Validate: envelopeHash, payloadHash, proposedContent, then signatures (at least one, each its signature in base64 and its verifier). */
function failures(read: Read): string | undefined {
  const { proposed, signatures } = read;
  const one = (s: { signature?: string; verifier?: Buffer }, i: number) => () =>
    nested(`signatures.${i}`, [
      first(
        () => required('signature', s.signature !== undefined),
        () => pattern('signature', s.signature!, STD_BASE64),
      ),
      required('verifier', s.verifier !== undefined),
    ]);
  return failureList([
    hashFailure('envelopeHash', read.envelopeHash),
    hashFailure('payloadHash', read.payloadHash),
    proposed &&
      nested('proposedContent', [
        required('proposedContent.envelope', proposed.envelope !== undefined),
        first(
          () => required('proposedContent.verifiers', proposed.verifiers !== undefined),
          () => minItems('proposedContent.verifiers', proposed.verifiers!.length, 1),
        ),
      ]),
    signatures && first(() => minItems('signatures', signatures.length, 1), ...signatures.map(one)),
  ]);
}

/** An entry as logged (its hashes and signatures, no proposed content): searchable, not insertable. */
function logged(read: Read): KindEntry {
  const { envelopeHash, payloadHash, signatures } = read;
  if (!envelopeHash || !payloadHash || !signatures?.length) refuse('either proposedContent or envelopeHash, payloadHash, and signatures must be present');
  const sorted = [...signatures!].sort((a, b) => (a.signature! < b.signature! ? -1 : a.signature! > b.signature! ? 1 : 0));
  const body = {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: hashBody(envelopeHash!),
      payloadHash: hashBody(payloadHash!),
      signatures: sorted.map((s) => ({ signature: s.signature, verifier: s.verifier!.toString('base64') })),
    },
  };
  return { notInsertable: () => 'missing proposed content', indexKeys: () => [], canonicalize: () => body };
}

/** dsse 0.0.1's Unmarshal (DecodeEntry, Validate, then the proposed envelope verified) and Canonicalize. */
function dsseV001(spec: Record<string, unknown>): KindEntry {
  const read = decode(spec);
  const invalid = failures(read);
  if (invalid) refuse(invalid);
  if (!read.proposed) return logged(read);
  // A client proposes content; the hashes and signatures are the server's to compute.
  if (read.envelopeHash || read.payloadHash || read.signatures?.length)
    refuse('either proposedContent or envelopeHash, payloadHash, and signatures must be present but not both');
  const text = read.proposed.envelope!;
  const envelope = readEnvelope(text);
  if (envelope.signatures.length === 0) refuse('DSSE envelope must contain 1 or more signatures');
  const { verifiedBy, payload } = refusing(() => verifyEnvelope(read.proposed!.verifiers!, envelope, true));
  const body = {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: sha256Hash(text),
      payloadHash: sha256Hash(payload),
      signatures: [...verifiedBy.keys()].sort().map((sig) => ({ signature: sig, verifier: Buffer.from(verifiedBy.get(sig)!.canonical).toString('base64') })),
    },
  };
  const keys = () => [
    ...[...verifiedBy.values()].flatMap((key) => keyIndexKeys(key, true)),
    `sha256:${body.spec.payloadHash.value}`,
    `sha256:${body.spec.envelopeHash.value}`,
    ...((envelope.payloadType === IN_TOTO_PAYLOAD_TYPE && statementIndexKeys(payload)) || []),
  ];
  return { notInsertable: () => undefined, indexKeys: keys, canonicalize: () => body };
}

/** The dsse kind's versions, as VersionedUnmarshal finds them. */
export const DSSE_VERSIONS: Record<string, (spec: unknown) => KindEntry> = {
  '0.0.1': (spec) => dsseV001(specObject(spec)),
};
