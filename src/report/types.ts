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
  /** Where the index serves the file (or its project page when the file URL is unknown). */
  url?: string;
  provenanceUrl?: string;
  bundlePath?: string;
  attestationPath?: string;
  /** The signature's transparency log entry, when the log has a public search page. */
  transparencyLogUrl?: string;
}
