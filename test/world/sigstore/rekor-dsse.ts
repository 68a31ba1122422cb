// rekor's dsse kind, 0.0.1 (pkg/types/dsse/v0.0.1), what PEP 740's clients and cosign 2.x log a DSSE
// attestation as: the envelope as JSON text and the keys that may verify it (proposedContent),
// logged as the SHA-256 of the envelope and of its payload and each signature with the canonical
// form of the key that verified it, sorted by signature.
import { createHash } from 'node:crypto';
import { goJSON } from '../go-json.ts';
import { failureList, minItems, required } from './openapi-model.ts';
import { verifyEnvelope } from './rekor-envelope.ts';
import { isObject, refuse, refusing, specObject, type KindEntry } from './rekor-kind.ts';
import { goBase64Field } from './rekor-x509.ts';

const sha256hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** dsse 0.0.1's Unmarshal (DecodeEntry, Validate, then verifyEnvelope) and Canonicalize. */
function dsseV001(spec: Record<string, unknown>): KindEntry {
  const proposed = isObject(spec.proposedContent) ? spec.proposedContent : undefined;
  const envelopeText = typeof proposed?.envelope === 'string' ? proposed.envelope : undefined;
  const verifiers = Array.isArray(proposed?.verifiers)
    ? proposed.verifiers.filter((v): v is string => typeof v === 'string' && v !== '').map((v) => refusing(() => goBase64Field(v, 'verifier')))
    : undefined;
  if (!proposed) refuse('either proposedContent or envelopeHash, payloadHash, and signatures must be present');
  const invalid = failureList([
    proposed &&
      (required('proposedContent.proposedContent.envelope', envelopeText !== undefined) ??
        required('proposedContent.proposedContent.verifiers', verifiers !== undefined) ??
        minItems('proposedContent.proposedContent.verifiers', verifiers?.length ?? 0, 1)),
  ]);
  if (invalid) refuse(invalid);
  const parsed = goJSON(envelopeText!, 'unmarshal');
  if ('error' in parsed) refuse(parsed.error);
  const envelope = JSON.parse(envelopeText!) as { payload?: string; payloadType?: string; signatures?: Array<{ sig?: string }> };
  const signatures = (envelope.signatures ?? []).map((s) => ({ sig: String(s?.sig ?? ''), keyid: '' }));
  if (signatures.length === 0) refuse('DSSE envelope must contain 1 or more signatures');
  const { verifiedBy, payload } = refusing(() =>
    verifyEnvelope(verifiers!, { payload: envelope.payload ?? '', payloadType: envelope.payloadType ?? '', signatures }, true),
  );
  const body = {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256hex(envelopeText!) },
      payloadHash: { algorithm: 'sha256', value: sha256hex(payload) },
      signatures: [...verifiedBy.keys()].sort().map((sig) => ({ signature: sig, verifier: Buffer.from(verifiedBy.get(sig)!.canonical).toString('base64') })),
    },
  };
  return { notInsertable: () => undefined, canonicalize: () => body };
}

/** The dsse kind's versions, as VersionedUnmarshal finds them. */
export const DSSE_VERSIONS: Record<string, (spec: unknown) => KindEntry> = {
  '0.0.1': (spec) => dsseV001(specObject(spec)),
};
