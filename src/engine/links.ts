// Where a published file can be seen. PyPI's pages are known; for other indexes the simple index
// listing (when it was read) gives the file URL, and the Integrity API is warehouse's.
import type { Dist } from '../dists/types.ts';
import type { IndexedFile } from '../pypi/simple-index.ts';

export function linksFor(uploadUrl: URL, dist: Dist, listed: IndexedFile | undefined, attested: boolean): { url?: string; provenanceUrl?: string } {
  const site =
    uploadUrl.host === 'upload.pypi.org' ? 'https://pypi.org' : uploadUrl.host === 'test.pypi.org' ? 'https://test.pypi.org' : `${uploadUrl.protocol}//${uploadUrl.host}`;
  const isPyPI = site !== `${uploadUrl.protocol}//${uploadUrl.host}` || uploadUrl.host === 'test.pypi.org';
  const url = listed?.url ?? (isPyPI ? `${site}/project/${dist.project}/${dist.version}/#files` : `${site}/simple/${dist.project}/`);
  const provenanceUrl =
    listed?.provenance ?? (attested ? `${site}/integrity/${dist.project}/${dist.version}/${encodeURIComponent(dist.filename)}/provenance` : undefined);
  return { url, provenanceUrl };
}
