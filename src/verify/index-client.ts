// What the index says about a release: its files, their sha256 and their provenance links, from the
// simple API (PEP 691 JSON preferred, PEP 503 HTML with `data-provenance`, PEP 740), then each file's
// provenance from the Integrity API URL the index links. A project's page is fetched once per run,
// however many of its files are checked.
import type { HttpClient } from '../http/client.ts';
import { redactUrl } from '../http/client.ts';
import { canonicalizeName, parseDistFilename, tryParseVersion, versionsEqual } from '../dists/filename.ts';
import type { Version } from '../dists/filename.ts';
import { listProjectFiles } from '../pypi/simple-index.ts';
import { isHttpsOrLoopback } from '../config/loopback.ts';
import type { IndexedFile } from '../pypi/simple-index.ts';

export const PYPI_SIMPLE_URL = 'https://pypi.org/simple/';
const INTEGRITY_JSON = 'application/vnd.pypi.integrity.v1+json';
/** PyPI's provenance objects are a few KiB per attestation; this leaves room for many. */
const MAX_PROVENANCE_BYTES = 4 << 20;

/** The index could not be asked, or answered something unusable; the message says which. */
export class IndexError extends Error {}

export type Provenance = { found: true; text: string } | { found: false; reason: string };

export interface ReleaseIndex {
  /** Files of `project==version` the index lists; undefined when the index does not know the project. */
  releaseFiles(indexUrl: string, project: string, version: string): Promise<IndexedFile[] | undefined>;
  provenance(file: IndexedFile): Promise<Provenance>;
}

function fileVersion(filename: string): Version | undefined {
  try {
    return parseDistFilename(filename).version;
  } catch {
    return undefined;
  }
}

/** A project page's files grouped by release, each file name parsed once however many are asked for. */
type Releases = Array<{ version: Version; files: IndexedFile[] }>;

function groupByRelease(files: IndexedFile[]): Releases {
  // By normalized version, in one pass: a project page can list hundreds of thousands of files.
  const releases = new Map<string, Releases[number]>();
  for (const file of files) {
    const version = fileVersion(file.filename);
    if (!version) continue;
    const release = releases.get(version.normalized);
    if (release) release.files.push(file);
    else releases.set(version.normalized, { version, files: [file] });
  }
  return [...releases.values()];
}

export function createReleaseIndex(http: HttpClient): ReleaseIndex {
  const pages = new Map<string, Promise<Releases | undefined>>();
  const page = (indexUrl: string, project: string) => {
    // Asked by its normalized name: the index redirects any other spelling, and redirects are not followed.
    const name = canonicalizeName(project);
    const key = `${indexUrl} ${name}`;
    let listed = pages.get(key);
    if (!listed) {
      listed = listProjectFiles(http, indexUrl, name).then(
        (files) => (files ? groupByRelease(files) : undefined),
        (err: unknown) => {
          throw new IndexError(`the index ${redactUrl(indexUrl)} could not list ${project}: ${(err as Error).message}`);
        },
      );
      pages.set(key, listed);
    }
    return listed;
  };
  return {
    async releaseFiles(indexUrl, project, version) {
      const releases = await page(indexUrl, project);
      const wanted = tryParseVersion(version);
      if (!releases) return undefined;
      // packaging's equality: "1.0" is release "1.0.0".
      return wanted ? releases.filter((r) => versionsEqual(r.version, wanted)).flatMap((r) => r.files) : [];
    },
    async provenance(file) {
      if (!file.provenance) return { found: false, reason: 'the index links no provenance for it' };
      // Held to the index URL's rule: a page may link anywhere, and plain http to another machine is readable and changeable on the way.
      if (!isHttpsOrLoopback(file.provenance)) throw new IndexError(`the index links its provenance at ${redactUrl(file.provenance)}, which is not https`);
      const res = await http.send({ method: 'GET', url: file.provenance, headers: { accept: INTEGRITY_JSON }, maxBodyBytes: MAX_PROVENANCE_BYTES });
      if (res.status === 404) return { found: false, reason: 'the Integrity API has none' };
      if (res.status !== 200) throw new IndexError(`${redactUrl(file.provenance)} answered ${res.status}`);
      if (res.truncated) throw new IndexError(`${redactUrl(file.provenance)} sent more than ${MAX_PROVENANCE_BYTES >> 20} MiB`);
      return { found: true, text: res.text() };
    },
  };
}
