// Rules that span the dists of one run: a file listed twice, one content under two names (warehouse
// knows a file by its name or its BLAKE2b-256), one sdist per release (warehouse refuses a second
// one), one release's metadata agreeing (PyPI keeps the first file's).

import { groupByRelease } from './release.ts';
import type { Dist, Problem, Severity } from './types.ts';

function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Rules spanning files: repeated files, one sdist per release, one release's metadata agreeing. */
export function checkAcross(dists: Dist[]): Problem[] {
  const out: Problem[] = [];
  for (const p of sameContent(dists)) out.push(p);
  // One release rule for the checks and the upload (release.ts): `-1.0` and `-1.0.0` are one release.
  const releases = groupByRelease(dists);
  const byName = new Map<string, Dist[]>();
  for (const d of dists) appendTo(byName, d.filename, d);
  for (const [filename, same] of byName) {
    if (same.length < 2) continue;
    const identical = same.every((d) => d.digests.sha256 === (same[0] as Dist).digests.sha256);
    const sev: Severity = identical ? 'warning' : 'error';
    out.push({
      severity: sev,
      code: 'dist-duplicate-file',
      file: filename,
      message: identical
        ? `${filename} is listed ${same.length} times (${same.map((d) => d.path).join(', ')}); it is uploaded once.`
        : `Two different files are both named ${filename} (${same.map((d) => d.path).join(', ')}); PyPI would answer "File already exists" for the second.`,
      fix: 'Make packages-dir list each dist once (check overlapping directories/globs and artifact downloads).',
    });
  }
  for (const files of releases.values()) {
    const sdists = files.filter((d) => d.kind === 'sdist' && !d.filename.endsWith('.zip'));
    const uniqueSdists = [...new Set(sdists.map((d) => d.filename))];
    if (uniqueSdists.length > 1) {
      for (const fn of uniqueSdists.slice(1)) {
        out.push({
          severity: 'error',
          code: 'sdist-one-per-release',
          file: fn,
          message: `Only one sdist may be uploaded per release. (${uniqueSdists.join(', ')} are all sdists of the same version.)`,
          fix: 'Keep a single .tar.gz sdist for this version in packages-dir.',
        });
      }
    }
    // The first file creates the release; PyPI silently ignores later files' metadata.
    const first = files[0] as Dist;
    for (const d of files.slice(1)) {
      for (const field of ['Requires-Python', 'Summary', 'Requires-Dist', 'License-Expression']) {
        const a = first.metadata.getAll(field).join('\n');
        const b = d.metadata.getAll(field).join('\n');
        if (a !== b && field !== 'Requires-Dist') {
          out.push({
            severity: 'warning',
            code: 'release-inconsistent',
            file: d.filename,
            message: `${field} differs from ${first.filename} (${JSON.stringify(b)} vs ${JSON.stringify(a)}); PyPI keeps the release metadata of the first file uploaded and ignores this one's.`,
            fix: 'Build all files of a release from the same source and configuration.',
          });
        }
      }
    }
  }
  return out;
}

/**
 * One content under two names: warehouse's _is_duplicate_file finds a file by its name or its
 * BLAKE2b-256, so whichever of them is uploaded second is refused with "File already exists". A dist
 * whose digest is not read yet (a large one, read on) is left out: files of one size are read first
 * (src/engine/prepare.ts), and only those can share a content.
 */
function sameContent(dists: Dist[]): Problem[] {
  const byContent = new Map<string, string[]>();
  for (const d of dists) {
    if (!d.digests.sha256) continue;
    const names = byContent.get(d.digests.sha256);
    if (!names) byContent.set(d.digests.sha256, [d.filename]);
    else if (!names.includes(d.filename)) names.push(d.filename);
  }
  const out: Problem[] = [];
  for (const [first, ...copies] of byContent.values()) {
    for (const filename of copies) {
      out.push({
        severity: 'error',
        code: 'dist-duplicate-content',
        file: filename,
        message: `${filename} has the same content as ${first}; PyPI knows a file by its content too, so only one of them can be uploaded, and PyPI would answer "File already exists ('${filename}', …)" for the other.`,
        fix: 'Upload each file once: build a wheel for each set of tags (renaming a wheel does not change the tags inside it), or remove the copy from packages-dir.',
      });
    }
  }
  return out;
}
