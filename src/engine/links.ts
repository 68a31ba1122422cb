// Where a published file can be seen. PyPI's pages are known; for other indexes the simple index
// listing (when it was read) gives the file URL, and the Integrity API is warehouse's.
import { warehouseSite } from '../config/pypi-hosts.ts';
import type { Dist } from '../dists/types.ts';
import type { IndexedFile } from '../pypi/simple-index.ts';

export function linksFor(uploadUrl: URL, dist: Dist, listed: IndexedFile | undefined, attested: boolean): { url?: string; provenanceUrl?: string } {
  const pypiSite = warehouseSite(uploadUrl);
  const site = pypiSite ?? uploadUrl.origin;
  const url = listed?.url ?? (pypiSite ? `${site}/project/${dist.project}/${dist.version}/#files` : `${site}/simple/${dist.project}/`);
  const provenanceUrl =
    listed?.provenance ?? (attested ? `${site}/integrity/${dist.project}/${dist.version}/${encodeURIComponent(dist.filename)}/provenance` : undefined);
  return { url, provenanceUrl };
}
