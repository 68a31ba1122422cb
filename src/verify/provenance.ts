// Verifying a file's PEP 740 provenance object, as `pypi-attestations verify pypi` does: every
// attestation of every bundle must verify (Sigstore: certificate chain, SCT, transparency log entry,
// DSSE signature) under its bundle's publisher policy, and sign exactly this file (name and sha256).
// The provenance names its publisher; that the certificate satisfies that publisher's policy is what
// makes the name trustworthy. Whether it is the publisher the caller expects is identity.ts's question.
import { bundleFromJSON } from '@sigstore/bundle';
import { Verifier, toSignedEntity } from '@sigstore/verify';
import type { Signer, TrustMaterial } from '@sigstore/verify';
import { VerificationFailure } from '../sigstore/errors.ts';
import { parsePep740, pep740ToBundle } from '../sigstore/pep740.ts';
import { checkAttestedStatement, KNOWN_PREDICATE_TYPES } from '../sigstore/statement-rules.ts';
import { checkTlogEntry, CRYPTO_HINTS } from '../sigstore/verify.ts';
import { installVerifyMemo } from '../sigstore/verify-memo.ts';
import { checkPublisherPolicy } from './publisher-policy.ts';
import type { PublisherIdentity } from './types.ts';

export interface VerifiedProvenance {
  /** each bundle's publisher, in order */
  publishers: PublisherIdentity[];
  /** predicate type of each verified attestation */
  predicates: string[];
}

function invalid(message: string): never {
  throw new VerificationFailure('VERIFY_FORMAT', message);
}

interface RawBundle {
  publisher: PublisherIdentity;
  attestations: unknown[];
}

/** The shape pypi-attestations' `Provenance` model accepts. */
export function parseProvenance(text: string): RawBundle[] {
  let doc: { version?: unknown; attestation_bundles?: unknown };
  try {
    doc = JSON.parse(text);
  } catch {
    invalid('the provenance is not JSON');
  }
  if (!doc || typeof doc !== 'object' || doc.version !== 1) invalid('the provenance is not a version 1 PEP 740 provenance object');
  const bundles = doc.attestation_bundles;
  if (!Array.isArray(bundles) || bundles.length === 0) invalid('the provenance has no attestation bundles');
  return bundles.map((b: { publisher?: { kind?: unknown }; attestations?: unknown }) => {
    if (!b || typeof b.publisher?.kind !== 'string') invalid('an attestation bundle names no publisher kind');
    if (!Array.isArray(b.attestations) || b.attestations.length === 0) invalid('an attestation bundle holds no attestations');
    return { publisher: b.publisher as PublisherIdentity, attestations: b.attestations };
  });
}

installVerifyMemo();

export interface ProvenanceVerifier {
  verify(provenanceText: string, filename: string, sha256: string): VerifiedProvenance;
}

export function createProvenanceVerifier(trustMaterial: TrustMaterial): ProvenanceVerifier {
  const verifier = new Verifier(trustMaterial, { tlogThreshold: 1, ctlogThreshold: 1 });
  const verifyOne = (raw: unknown, publisher: PublisherIdentity, filename: string, sha256: string): string => {
    const att = parsePep740(raw);
    checkTlogEntry(att);
    let signer: Signer;
    try {
      signer = verifier.verify(toSignedEntity(bundleFromJSON(pep740ToBundle(att))));
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      const hint = CRYPTO_HINTS[code] ?? 'Sigstore verification failed';
      throw new VerificationFailure('VERIFY_SIGNATURE', `${hint} (${code ? `${code}: ` : ''}${(err as Error).message})`, { cause: err });
    }
    checkPublisherPolicy(signer, publisher);
    return checkAttestedStatement(Buffer.from(att.envelope.statement, 'base64'), filename, sha256);
  };
  return {
    verify(text, filename, sha256) {
      const bundles = parseProvenance(text);
      const predicates = bundles.flatMap((b) => b.attestations.map((raw) => verifyOne(raw, b.publisher, filename, sha256)));
      return { publishers: bundles.map((b) => b.publisher), predicates };
    },
  };
}
