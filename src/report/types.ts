// One line of the per-file report. It is filled in as the run goes and reported even when the run
// fails, so the user always knows which file is where.

export type FileStatus = 'uploaded' | 'already-present' | 'skipped' | 'failed' | 'not-attempted';

export interface FileReport {
  filename: string;
  path: string;
  size: number;
  sha256?: string;
  status: FileStatus;
  /** Why it failed, was skipped or was not attempted. */
  reason?: string;
  /**
   * Not attempted only because another file failed (all or nothing before upload; the first file of
   * a new release; credentials refused): this file itself is fine. Unset for the file at fault.
   */
  heldBack?: boolean;
  /** Failed because the index already has a file of this name (its words or its listing said so). */
  existsOnIndex?: boolean;
  /**
   * Skipped (skip-existing) although the index's file of this name has other content: its SHA-256
   * there. The index's file and provenance are not this build's.
   */
  indexSha256?: string;
  /** Where the index serves the file (or its project page when the file URL is unknown). */
  url?: string;
  provenanceUrl?: string;
  bundlePath?: string;
  attestationPath?: string;
  /** The index of the signature's entry in the transparency log (Rekor). */
  transparencyLogIndex?: string;
  /** The signature's transparency log entry, when the log has a public search page. */
  transparencyLogUrl?: string;
  /** The provenance the index serves, read back after the upload: e.g. "publish ✓ build ✓". */
  servedProvenance?: string;
}

/** Who signed the run's attestations: the certificate's identity, from the OIDC claims it was issued for. */
export interface SigningReport {
  /** Whose CI signed: GitHub Actions when absent. */
  ci?: 'gitlab';
  /** owner/name of the repository whose workflow ran (GitLab: the project path). */
  repository: string;
  /** The workflow file that signed (the called workflow), e.g. `.github/workflows/release.yml`. */
  workflow: string;
  ref?: string;
  /** The certificate's Subject Alternative Name: `https://github.com/{job_workflow_ref}` (GitLab: `https://{ci_config_ref_uri}`). */
  identity: string;
  /** The OIDC issuer the certificate names. */
  issuer: string;
}
