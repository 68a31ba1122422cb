// Sigstore bundle (protobuf-JSON) ⇄ PEP 740 attestation object, mirroring pypi-attestations
// `Attestation.from_bundle` / `to_bundle` (_impl.py). Key order follows the pydantic models because
// `model_dump_json()` of those models is what the incumbent action writes to `<dist>.publish.attestation`:
//   {"version":1,"verification_material":{"certificate":…,"transparency_entries":[…]},
//    "envelope":{"statement":…,"signature":…}}
// The transparency entry is sigstore-models' `TransparencyLogEntry.to_dict()`: camelCase, int64 as strings,
// bytes as base64, fields in model order, absent fields omitted.
import { BUNDLE_V03_MEDIA_TYPE } from '@sigstore/bundle';
import type { SerializedBundle } from '@sigstore/bundle';
import { VerificationFailure } from './errors.ts';
import { IN_TOTO_PAYLOAD_TYPE } from './statement.ts';
import { jsonText } from '../http/json-object.ts';

export interface Pep740TransparencyEntry {
  logIndex: string;
  logId: { keyId: string };
  kindVersion: { kind: string; version: string };
  integratedTime?: string;
  inclusionPromise?: { signedEntryTimestamp: string };
  inclusionProof: {
    logIndex: string;
    rootHash: string;
    treeSize: string;
    hashes: string[];
    checkpoint?: { envelope: string };
  };
  canonicalizedBody: string;
}

export interface Pep740Attestation {
  version: 1;
  verification_material: {
    /** base64 DER of the Fulcio leaf (no chain) */
    certificate: string;
    transparency_entries: Pep740TransparencyEntry[];
  };
  envelope: {
    /** base64 of the exact DSSE payload bytes (the in-toto statement) */
    statement: string;
    /** base64 of the single DSSE signature */
    signature: string;
  };
}

type JSONEntry = NonNullable<SerializedBundle['verificationMaterial']['tlogEntries']>[number];

function bad(message: string): never {
  throw new VerificationFailure('VERIFY_FORMAT', message);
}

// Re-key one tlog entry in sigstore-models' field order. protobuf-JSON omits default values, so a proof
// for index 0 arrives without `logIndex` and a proof with no siblings without `hashes`; sigstore-models
// declares both required, so fill them in (the values are the protobuf defaults, nothing is invented).
function entryToPep740(e: JSONEntry): Pep740TransparencyEntry {
  if (!e.logId || !e.kindVersion) bad('the transparency log entry has no logId or kindVersion');
  if (!e.inclusionProof) bad('the transparency log entry has no inclusion proof (PyPI requires one)');
  if (!e.canonicalizedBody) bad('the transparency log entry has no canonicalized body');
  const p = e.inclusionProof;
  // Insertion order is serialization order: logIndex, logId, kindVersion, integratedTime,
  // inclusionPromise, inclusionProof, canonicalizedBody (sigstore_models.rekor.v1.TransparencyLogEntry).
  const out: Record<string, unknown> = {
    logIndex: e.logIndex ?? '0',
    logId: { keyId: e.logId.keyId },
    kindVersion: { kind: e.kindVersion.kind, version: e.kindVersion.version },
  };
  if (e.integratedTime !== undefined) out.integratedTime = e.integratedTime;
  if (e.inclusionPromise) out.inclusionPromise = { signedEntryTimestamp: e.inclusionPromise.signedEntryTimestamp };
  const proof: Record<string, unknown> = {
    logIndex: p.logIndex ?? '0',
    rootHash: p.rootHash,
    treeSize: p.treeSize,
    hashes: p.hashes ?? [],
  };
  if (p.checkpoint) proof.checkpoint = { envelope: p.checkpoint.envelope };
  out.inclusionProof = proof;
  out.canonicalizedBody = e.canonicalizedBody;
  return out as unknown as Pep740TransparencyEntry;
}

/** Bundle JSON → PEP 740 attestation object (what `Attestation.from_bundle` builds). */
export function bundleToPep740(bundle: SerializedBundle): Pep740Attestation {
  const vm = bundle.verificationMaterial;
  // v0.3 bundles carry `certificate`; v0.1/0.2 carry a chain whose first element is the leaf.
  const cert = vm.certificate?.rawBytes ?? vm.x509CertificateChain?.certificates[0]?.rawBytes;
  if (!cert) bad('the bundle has no signing certificate');
  const env = bundle.dsseEnvelope;
  if (!env) bad('bundle does not contain a DSSE envelope');
  if (env.signatures.length !== 1) bad(`expected exactly one signature, got ${env.signatures.length}`);
  const first = vm.tlogEntries[0];
  if (!first) bad('the bundle has no transparency log entry (PyPI requires a Rekor entry)');
  return {
    version: 1,
    verification_material: {
      certificate: cert,
      transparency_entries: [entryToPep740(first)],
    },
    envelope: {
      statement: env.payload,
      signature: env.signatures[0]!.sig,
    },
  };
}

/** Serialized the way pydantic's `model_dump_json()` does it: compact JSON, no trailing newline. */
export function pep740ToJSON(att: Pep740Attestation): string {
  return JSON.stringify(att);
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parse and shape-check a PEP 740 object (as PyPI's pydantic model would), e.g. read back from disk. */
export function parsePep740(input: unknown): Pep740Attestation {
  const a = (typeof input === 'string' ? JSON.parse(input) : input) as Partial<Pep740Attestation> | null;
  if (!a || typeof a !== 'object') bad('the attestation is not a JSON object');
  if (a.version !== 1) bad(`unsupported attestation version ${jsonText(a.version)} (only 1 exists)`);
  const vm = a.verification_material;
  if (!vm || typeof vm.certificate !== 'string' || !B64.test(vm.certificate)) {
    bad('verification_material.certificate must be base64 DER');
  }
  if (!Array.isArray(vm.transparency_entries) || vm.transparency_entries.length < 1) {
    bad('verification_material.transparency_entries must hold at least one entry');
  }
  const env = a.envelope;
  if (!env || typeof env.statement !== 'string' || typeof env.signature !== 'string' || !B64.test(env.statement) || !B64.test(env.signature)) {
    bad('envelope.statement and envelope.signature must be base64 strings');
  }
  return a as Pep740Attestation;
}

/** PEP 740 object → v0.3 bundle JSON, as `Attestation.to_bundle` does (only entry [0] is used). */
export function pep740ToBundle(att: Pep740Attestation): SerializedBundle {
  const entry = att.verification_material.transparency_entries[0]!;
  return {
    mediaType: BUNDLE_V03_MEDIA_TYPE,
    verificationMaterial: {
      certificate: { rawBytes: att.verification_material.certificate },
      tlogEntries: [entry as unknown as JSONEntry],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    dsseEnvelope: {
      payload: att.envelope.statement,
      payloadType: IN_TOTO_PAYLOAD_TYPE,
      signatures: [{ sig: att.envelope.signature, keyid: '' }],
    },
  } as unknown as SerializedBundle;
}
