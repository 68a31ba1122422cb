// Which release a dist belongs to, as PyPI decides it: the project's canonical name and the version
// compared as packaging compares versions, both from the core metadata (what the upload sends),
// falling back to the filename. One rule for every place that groups dists into releases: the
// checks (one sdist per release, consistent metadata) and the upload (the first file of a new
// release goes alone).
import { canonicalizeName } from './filename.ts';
import type { Dist } from './types.ts';
import { comparableVersion, tryParseVersion } from './version.ts';

export function releaseOf(dist: Pick<Dist, 'metadata' | 'project' | 'version'>): string {
  const version = dist.metadata.get('Version') ?? dist.version;
  const parsed = tryParseVersion(version);
  return `${canonicalizeName(dist.metadata.get('Name') ?? dist.project)} ${parsed ? comparableVersion(parsed) : version}`;
}

/** The dists grouped by release, each group in the order given. */
export function groupByRelease<D extends Pick<Dist, 'metadata' | 'project' | 'version'>>(dists: readonly D[]): Map<string, D[]> {
  const releases = new Map<string, D[]>();
  for (const d of dists) {
    const key = releaseOf(d);
    const group = releases.get(key);
    if (group) group.push(d);
    else releases.set(key, [d]);
  }
  return releases;
}
