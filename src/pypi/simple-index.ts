// What the index already holds, read from its simple API (PEP 691 JSON, PEP 503 HTML as a
// fallback). Used to report re-runs truthfully ("already present"), and to tell whether a file an
// index refuses as existing is this build's or another.
import { warehouseSite } from '../config/pypi-hosts.ts';
import type { HttpClient } from '../http/client.ts';
import { redactUrl } from '../http/errors.ts';
import { isJsonObject } from '../http/json-object.ts';
import { anchors } from './html.ts';

export interface IndexedFile {
  filename: string;
  sha256?: string;
  url?: string;
  provenance?: string;
}

/**
 * PyPI serves uploads and the simple API on different hosts. Other indexes serve the simple API
 * beside the upload URL: pypiserver at `/simple/` of its root, Nexus, Artifactory, GitLab, Gitea
 * and CodeArtifact at `simple/` under the repository's upload path; a warehouse-like `…/legacy/`
 * has its `simple/` beside it, as Azure Artifacts' `…/pypi/upload/` has. devpi's `+simple/` is found
 * when it answers (readProjectPage).
 */
export function defaultSimpleUrl(uploadUrl: URL): string {
  return `${indexSite(uploadUrl)}/simple/`;
}

/** Where the index's read APIs live, for an upload URL: the simple API and warehouse's `/pypi` are under it. */
export function indexSite(uploadUrl: URL): string {
  const site = warehouseSite(uploadUrl);
  if (site) return site;
  const path = uploadUrl.pathname.replace(/\/+$/, '').replace(/\/(?:legacy|upload)$/, '');
  return `${uploadUrl.origin}${path}`;
}

/** A project's page of the simple API: its files, and the simple URL that answered for the index. */
export interface ProjectPage {
  /** `undefined` when the project is unknown to the index (404): a new project. */
  files: IndexedFile[] | undefined;
  simpleUrl: string;
}

// devpi serves an index's simple pages under `+simple/` beside its upload URL, not `simple/`, and names
// itself in every answer.
const DEVPI = 'x-devpi-api-version';

/** The project's page at `simpleUrl`, or at devpi's `+simple/` when a devpi answers that it has none there. */
export async function readProjectPage(http: HttpClient, simpleUrl: string, project: string): Promise<ProjectPage> {
  const base = simpleUrl.endsWith('/') ? simpleUrl : `${simpleUrl}/`;
  const url = new URL(`${encodeURIComponent(project)}/`, base);
  const res = await http.send({
    method: 'GET',
    url: url.href,
    headers: { accept: 'application/vnd.pypi.simple.v1+json, text/html;q=0.1' },
    maxBodyBytes: 16 << 20,
  });
  if (res.status === 404 && res.header(DEVPI) !== undefined && /[^+]simple\/$/.test(base)) {
    return readProjectPage(http, base.replace(/simple\/$/, '+simple/'), project);
  }
  if (res.status === 404) return { files: undefined, simpleUrl: base };
  if (res.status !== 200) throw new Error(`${redactUrl(url.href)} answered ${res.status}`);
  if (res.truncated) throw new Error(`${redactUrl(url.href)} sent more than 16 MiB`);
  const type = res.header('content-type') ?? '';
  return { files: type.includes('json') ? fromJson(res.text(), url) : fromHtml(res.text(), url), simpleUrl: base };
}

/** `undefined` when the project is unknown to the index (404) — a new project. */
export async function listProjectFiles(http: HttpClient, simpleUrl: string, project: string): Promise<IndexedFile[] | undefined> {
  return (await readProjectPage(http, simpleUrl, project)).files;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A SHA-256 as PEP 503 and PEP 691 write it (hex, in either case), lower-cased; anything else is none. */
const sha256Of = (value: string | undefined): string | undefined => (value && /^[0-9a-f]{64}$/i.test(value) ? value.toLowerCase() : undefined);

/** PEP 691's files, each field taken only when it has the type the PEP gives it. */
function fromJson(text: string, base: URL): IndexedFile[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error(`${redactUrl(base.href)} sent invalid JSON`);
  }
  const files = (isJsonObject(doc) ? doc['files'] : undefined) ?? [];
  if (!Array.isArray(files)) throw new Error(`${redactUrl(base.href)} sent a page without a list of files`);
  const found: IndexedFile[] = [];
  for (const f of files.filter(isJsonObject)) {
    const filename = str(f['filename']);
    if (!filename) continue;
    const hashes = isJsonObject(f['hashes']) ? f['hashes'] : {};
    const provenance = str(f['provenance']);
    const url = str(f['url']);
    found.push({
      filename,
      // A digest, or none: what else a page calls one is not shown, nor compared.
      sha256: sha256Of(str(hashes['sha256'])),
      url: url ? URL.parse(url, base.href)?.href : undefined,
      provenance: provenance ? URL.parse(provenance, base.href)?.href : undefined,
    });
  }
  return found;
}

function lastSegment(url: URL): string {
  const segment = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function fromHtml(text: string, base: URL): IndexedFile[] {
  const files: IndexedFile[] = [];
  for (const { attributes, text: shown } of anchors(text)) {
    const href = attributes.get('href');
    const url = href ? URL.parse(href, base.href) : null;
    if (!url) continue;
    // PEP 503: the text is the URL's last path segment; pip reads the URL, so an empty text is no loss.
    const filename = shown || lastSegment(url);
    const sha256 = sha256Of(/^#sha256=(.*)$/.exec(url.hash)?.[1]);
    const provenance = attributes.get('data-provenance');
    files.push({ filename, sha256, url: url.href, provenance: provenance ? URL.parse(provenance, base.href)?.href : undefined });
  }
  return files;
}
