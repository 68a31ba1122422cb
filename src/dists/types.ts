// The shapes the rest of the action sees of a distribution. Everything here is known before any
// token is requested, except a large dist's SHA-256, which is known before anything is signed or sent
// (src/engine/prepare.ts). The engine refuses to go on while a Problem of severity 'error' exists.

export type DistKind = 'wheel' | 'sdist';

/** Hex digests from one streaming read of the file; MD5 and BLAKE2b-256 only when asked for. */
export interface Digests {
  sha256: string;
  md5?: string;
  blake2b256?: string;
}

/**
 * Core metadata as read from METADATA / PKG-INFO: header names keep the case of the spec
 * (e.g. "Requires-Dist"); every header maps to all its values in file order; the body, if any, is
 * the description.
 */
export interface CoreMetadata {
  headers: Map<string, string[]>;
  body?: string;
  /** First value of a header, compared case-insensitively. */
  get(name: string): string | undefined;
  getAll(name: string): string[];
}

export interface Dist {
  path: string; // absolute
  filename: string; // basename, exactly as on disk
  kind: DistKind;
  size: number;
  /** Canonical (PEP 503 normalized) project name from the filename. */
  project: string;
  /** Version as written in the filename. */
  version: string;
  metadata: CoreMetadata;
  digests: Digests;
  /** Upload form value: wheel python tag(s) joined with '.', or 'source' for an sdist. */
  pyversion: string;
}

export type Severity = 'error' | 'warning';

/** A finding about one path, worded for the person who must fix it. */
export interface Problem {
  severity: Severity;
  /** The path the problem is about (as the user would recognise it), or '' for inputs. */
  file: string;
  /** What is wrong, in PyPI's words where practical. */
  message: string;
  /** What to do about it. */
  fix: string;
  /** Stable identifier for tests and docs, e.g. 'sdist-name-pep625'. */
  code: string;
  /**
   * Where the check sits in PyPI's order (src/dists/rank.ts): of a file's errors, the one of lowest
   * rank is what PyPI would answer.
   */
  rank?: number;
}
