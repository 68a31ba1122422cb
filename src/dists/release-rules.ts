// Rules that span the dists of one run: a file listed twice, one sdist per release (warehouse
// refuses a second one), one release's metadata agreeing (PyPI keeps the first file's).

import { groupByRelease } from './release.ts';
import type { Dist, Problem, Severity } from './types.ts';

function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Rules spanning files: one sdist per release, repeated files, one release's metadata agreeing. */
export function checkAcross(dists: Dist[]): Problem[] {
  const out: Problem[] = [];
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
