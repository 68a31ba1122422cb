// Where each check sits in warehouse's file_upload (warehouse/forklift/legacy.py): PyPI answers the
// first failing one, so sorting a file's problems by rank puts PyPI's answer first.

export const RANK = {
  /** UploadForm: name, filetype, pyversion, digests. */
  form: 10,
  /** metadata.parse: packaging's validators, then warehouse's. */
  metadata: 20,
  /** Fields the action does not send (warnings only). */
  notSent: 25,
  /** readme.render of the description. */
  description: 30,
  /** _validate_filename: characters, "/", extension. */
  filename: 40,
  size: 50,
  /** _is_valid_dist_file: zip/tar, ratio, compression, top level, PKG-INFO/WHEEL, scan, framing. */
  archive: 60,
  /** sdist: PEP 625 name; wheel: PEP 427 name, platform tags, name and version. */
  names: 70,
  licenseFile: 75,
  record: 80,
  entryPoints: 81,
  wheelMetadata: 82,
  /** "<filename>.metadata" must fit in a file name. */
  tooLong: 83,
  /** Installer-side advice about members (warnings). */
  members: 85,
  /** Rules across files (one sdist per release, duplicates) and everything without a rank. */
  other: 90,
} as const;

import type { Problem } from './types.ts';

/** Stable order: PyPI's first, problems without a rank last. */
export function byPyPIOrder(a: Problem, b: Problem): number {
  return (a.rank ?? RANK.other) - (b.rank ?? RANK.other);
}
