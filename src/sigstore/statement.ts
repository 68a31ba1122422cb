// The in-toto v1 statement PyPI's publish attestation signs: exactly one subject (the dist's filename and
// sha256) and the publish predicate with a null body. Same shape and key order as pypi-attestations'
// `Attestation.sign` (sigstore-python StatementBuilder), so a byte-level diff against the incumbent is clean.
import { SigningError } from './errors.ts';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PUBLISH_PREDICATE_TYPE = 'https://docs.pypi.org/attestations/publish/v1';
/** DSSE payloadType; sigstore-python / PyPI accept no other for attestations. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DistRef {
  filename: string;
  /** lowercase hex sha256 of the file */
  sha256: string;
}

export interface PublishStatement {
  _type: typeof STATEMENT_TYPE;
  subject: [{ name: string; digest: { sha256: string } }];
  predicateType: typeof PUBLISH_PREDICATE_TYPE;
  predicate: null;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function publishStatement(dist: DistRef): PublishStatement {
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
    predicateType: PUBLISH_PREDICATE_TYPE,
    predicate: null,
  };
}

/** The exact payload bytes that get signed (compact JSON, UTF-8). */
export function statementBytes(dist: DistRef): Buffer {
  return Buffer.from(JSON.stringify(publishStatement(dist)), 'utf8');
}
