// The consumer side's vocabulary: what is expected of a file (from a lock file, a requirements file or
// the command line), and what verifying it found.

/**
 * A Trusted Publisher identity as PEP 740 provenance names it and PEP 751's `attestation-identities`
 * records it: `kind` ("GitHub", "GitLab", "Google", "CircleCI") plus that kind's fields (`repository`,
 * `workflow`, `workflow_filepath`, `environment`, `email`, `project_id`, `pipeline_definition_id`,
 * `vcs_origin`, `vcs_ref`).
 */
export interface PublisherIdentity {
  kind: string;
  [field: string]: unknown;
}

/** What a caller expects of a file's publisher: all of `fields` must match (see identity.ts). */
export interface IdentityExpectation {
  /** shown in reports, e.g. "GitHub octo-org/sampleproject (release.yml)" or "--repository octo-org/x" */
  label: string;
  /** The publisher kinds accepted; empty means any. */
  kinds: string[];
  /** Field → expected value; a field absent from the found identity does not match. */
  fields: Record<string, string>;
}

/** One file the caller wants checked. */
export interface FileTarget {
  project: string;
  version: string;
  /** The file name (a pylock.toml entry's `name`, or the last segment of its `url`). */
  filename: string;
  /** sha256 the lock holds for the file (hex, lower case). */
  sha256?: string;
  /** The lock's hash algorithms for the file, when it holds no sha256 (nothing to tie it to the index's). */
  lockHashes?: string[];
  /** Simple index base URL to ask (the lock's `index`, or the run's --index-url). */
  indexUrl: string;
  /** Any one of these identities is acceptable (PEP 751: "for any file recorded for this package"). */
  expected: IdentityExpectation[];
  /** Where the target came from, for messages: "pylock.toml [[packages]] #3". */
  origin: string;
}

/** One requirement: every file of `project==version` on the index, or only those with these hashes. */
export interface ReleaseTarget {
  project: string;
  version: string;
  indexUrl: string;
  /** From `--hash=sha256:…`; undefined = every file of the release. */
  sha256s?: string[];
  expected: IdentityExpectation[];
  origin: string;
}

export type Outcome =
  | { status: 'verified'; identity: PublisherIdentity; predicates: string[] }
  | { status: 'no-provenance'; reason: string }
  | { status: 'identity-differs'; expected: string[]; found: PublisherIdentity }
  | { status: 'invalid'; reason: string }
  | { status: 'hash-differs'; lockSha256: string; indexSha256?: string };

export interface FileVerdict {
  project: string;
  version: string;
  filename: string;
  /** sha256 the signature was checked against */
  sha256?: string;
  provenanceUrl?: string;
  outcome: Outcome;
}
