// Where a published file can be seen. PyPI's pages are known; for other indexes the simple index
// listing (when it was read) gives the file URL, and the Integrity API is warehouse's.
import { warehouseSite } from '../config/pypi-hosts.ts';
import type { Dist } from '../dists/types.ts';
import { indexSite, type IndexedFile } from '../pypi/simple-index.ts';

/** Where the index is: its upload URL, and the simple URL that answered for it (devpi's differs). */
export interface IndexUrls {
  uploadUrl: URL;
  simpleUrl: string;
}

export function linksFor(index: IndexUrls, dist: Dist, listed: IndexedFile | undefined, attested: boolean): { url?: string; provenanceUrl?: string } {
  const pypiSite = warehouseSite(index.uploadUrl);
  const site = pypiSite ?? indexSite(index.uploadUrl);
  const url =
    listed?.url ??
    (pypiSite ? `${site}/project/${dist.project}/${dist.version}/#files` : new URL(`${encodeURIComponent(dist.project)}/`, index.simpleUrl).href);
  const provenanceUrl =
    listed?.provenance ?? (attested ? `${site}/integrity/${dist.project}/${dist.version}/${encodeURIComponent(dist.filename)}/provenance` : undefined);
  return { url, provenanceUrl };
}
