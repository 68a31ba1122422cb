// The classifiers the index itself accepts today. PyPI deploys each trove-classifiers release as it
// comes out (new framework and Python versions every few weeks), so a classifier newer than this
// action's copy (src/dists/data/trove-classifiers.json) is one PyPI accepts and the action would
// refuse. When a dist names one, the pre-flight asks the index: warehouse lists every classifier
// it accepts (not the deprecated ones) at `/pypi?:action=list_classifiers`, as plain text.
import type { HttpClient } from '../http/client.ts';
import { indexSite } from './simple-index.ts';

/** Warehouse's list is ~200 KB; an index that answers more is not answering this question. */
const LIST_MAX_BYTES = 4 << 20;

/** The URL of the index's classifier list, for its upload URL (PyPI's is on pypi.org). */
export function classifierListUrl(uploadUrl: URL): string {
  return `${indexSite(uploadUrl)}/pypi?%3Aaction=list_classifiers`;
}

/**
 * The classifiers the index lists, or undefined when it has no such list or could not be asked (an
 * index other than warehouse answers 404 or a page): the action's own copy then decides. Never rejects.
 */
export async function indexClassifiers(http: HttpClient, url: string): Promise<ReadonlySet<string> | undefined> {
  try {
    const res = await http.send({ method: 'GET', url, headers: { accept: 'text/plain' }, maxBodyBytes: LIST_MAX_BYTES });
    const type = res.header('content-type') ?? '';
    if (res.status !== 200 || res.truncated || !/^text\/plain\b/i.test(type)) return undefined;
    const listed = new Set(
      res
        .text()
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    );
    return listed.size > 0 ? listed : undefined;
  } catch {
    return undefined;
  }
}
