// What the index already holds, read from its simple API (PEP 691 JSON, PEP 503 HTML as a
// fallback). Used to report re-runs truthfully ("already present") and, on indexes that don't
// speak warehouse's "File already exists", to skip only files that are byte-identical.
import { warehouseSite } from '../config/pypi-hosts.ts';
import type { HttpClient } from '../http/client.ts';

export interface IndexedFile {
  filename: string;
  sha256?: string;
  url?: string;
  provenance?: string;
}

/** PyPI serves uploads and the simple API on different hosts; other indexes on the same origin. */
export function defaultSimpleUrl(uploadUrl: URL): string {
  return `${warehouseSite(uploadUrl) ?? uploadUrl.origin}/simple/`;
}

/** `undefined` when the project is unknown to the index (404) — a new project. */
export async function listProjectFiles(http: HttpClient, simpleUrl: string, project: string): Promise<IndexedFile[] | undefined> {
  const url = new URL(`${encodeURIComponent(project)}/`, simpleUrl.endsWith('/') ? simpleUrl : `${simpleUrl}/`);
  const res = await http.send({
    method: 'GET',
    url: url.href,
    headers: { accept: 'application/vnd.pypi.simple.v1+json, text/html;q=0.1' },
    maxBodyBytes: 16 << 20,
  });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`${url.href} answered ${res.status}`);
  if (res.truncated) throw new Error(`${url.href} sent more than 16 MiB`);
  const type = res.header('content-type') ?? '';
  return type.includes('json') ? fromJson(res.text(), url) : fromHtml(res.text(), url);
}

function fromJson(text: string, base: URL): IndexedFile[] {
  let doc: { files?: Array<{ filename?: string; url?: string; hashes?: Record<string, string>; provenance?: string | null }> };
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error(`${base.href} sent invalid JSON`);
  }
  return (doc.files ?? [])
    .filter((f) => typeof f.filename === 'string')
    .map((f) => ({
      filename: f.filename as string,
      sha256: f.hashes?.['sha256']?.toLowerCase(),
      url: f.url ? new URL(f.url, base).href : undefined,
      provenance: f.provenance ? new URL(f.provenance, base).href : undefined,
    }));
}

function fromHtml(text: string, base: URL): IndexedFile[] {
  const files: IndexedFile[] = [];
  for (const match of text.matchAll(/<a\s[^>]*href="([^"]+)"[^>]*>([^<]*)<\/a>/gi)) {
    const href = decodeEntities(match[1] ?? '');
    const filename = decodeEntities((match[2] ?? '').trim());
    const sha256 = /#sha256=([0-9a-f]{64})/i.exec(href)?.[1]?.toLowerCase();
    const provenance = /data-provenance="([^"]+)"/i.exec(match[0])?.[1];
    files.push({ filename, sha256, url: new URL(href, base).href, provenance: provenance ? new URL(decodeEntities(provenance), base).href : undefined });
  }
  return files;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}
