// The in-toto v1 statement PyPI's attestations sign: exactly one subject (the dist's filename and
// sha256) and a predicate — the publish predicate with a null body, or (build-provenance) GitHub's SLSA
// provenance predicate. Same shape and key order as pypi-attestations'
// `Attestation.sign` (sigstore-python StatementBuilder), so a byte-level diff against the incumbent is clean.
import { SigningError } from './errors.ts';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PUBLISH_PREDICATE_TYPE = 'https://docs.pypi.org/attestations/publish/v1';
/** The other predicate type PyPI accepts (one attestation of each type per file). */
export const SLSA_PREDICATE_TYPE = 'https://slsa.dev/provenance/v1';
/** DSSE payloadType; sigstore-python / PyPI accept no other for attestations. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DistRef {
  filename: string;
  /** lowercase hex sha256 of the file */
  sha256: string;
}

/** What a statement says about its one subject. */
export interface Predicate {
  type: string;
  body: unknown;
}

export const PUBLISH_PREDICATE: Predicate = { type: PUBLISH_PREDICATE_TYPE, body: null };

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: [{ name: string; digest: { sha256: string } }];
  predicateType: string;
  predicate: unknown;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function statementFor(dist: DistRef, predicate: Predicate = PUBLISH_PREDICATE): Statement {
  // PyPI compares the digest as a lowercase hex string and the name as a bare filename; refuse anything
  // else here rather than publish an attestation PyPI will reject.
  if (!SHA256_HEX.test(dist.sha256)) {
    throw new SigningError('SIGN_INPUT', `sha256 of ${dist.filename} must be 64 lowercase hex characters`);
  }
  if (dist.filename === '' || /[/\\]/.test(dist.filename)) {
    throw new SigningError('SIGN_INPUT', `the statement subject must be a bare dist filename, got "${dist.filename}"`);
  }
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: dist.filename, digest: { sha256: dist.sha256 } }],
    predicateType: predicate.type,
    predicate: predicate.body,
  };
}

/** The exact payload bytes that get signed (compact JSON, UTF-8). */
export function statementBytes(dist: DistRef, predicate: Predicate = PUBLISH_PREDICATE): Buffer {
  return Buffer.from(JSON.stringify(statementFor(dist, predicate)), 'utf8');
}
