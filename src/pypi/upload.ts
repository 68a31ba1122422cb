// One file to the legacy upload API (warehouse forklift). The index's answer is turned into an
// outcome the report understands; the index's own words are kept, since they name the fix.
import { redactUrl, type HttpClient } from '../http/client.ts';
import { DEFAULT_RETRY } from '../http/retry.ts';
import type { Dist } from '../dists/types.ts';
import { uploadFields } from '../dists/metadata.ts';
import { buildMultipart, type MultipartFile } from './multipart.ts';
import { pageText } from './html.ts';
import { scrub } from '../report/scrub.ts';
import { UPLOAD_TIMEOUT_MS } from '../tunables.ts';

export interface Credentials {
  user: string;
  password: string;
}

export type UploadOutcome =
  | { kind: 'uploaded' }
  /** The index already has a file of this name (different or unknown content). */
  | { kind: 'exists'; message: string }
  | { kind: 'rejected'; status: number; message: string };

/** The whole form but the file: routing fields, then the dist's own fields as twine sends them. */
export function uploadForm(dist: Dist, attestations: unknown[] | undefined): Array<[string, string]> {
  const fields: Array<[string, string]> = [[':action', 'file_upload'], ['protocol_version', '1'], ...uploadFields(dist)];
  if (attestations && attestations.length > 0) fields.push(['attestations', JSON.stringify(attestations)]);
  return fields;
}

export async function uploadFile(
  http: HttpClient,
  url: URL,
  dist: Dist,
  form: Array<[string, string]>,
  credentials: Credentials,
  observe?: MultipartFile['observe'],
): Promise<UploadOutcome> {
  // The bytes sent must be those checked and signed: the file is read again here, and the workspace
  // is not ours alone.
  const file = { field: 'content', filename: dist.filename, path: dist.path, size: dist.size, sha256: dist.digests.sha256, ...(observe ? { observe } : {}) };
  const body = buildMultipart(form, file);
  const auth = Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64');
  // Re-POSTing is safe: an index that already stored this exact file answers 200 (PyPI) or 409.
  const res = await http
    .send({
      method: 'POST',
      url: url.href,
      headers: {
        authorization: `Basic ${auth}`,
        'content-type': body.contentType,
        'content-length': String(body.length),
        accept: 'application/json, text/plain;q=0.9',
      },
      body: body.open,
      timeoutMs: UPLOAD_TIMEOUT_MS,
      // A slow link must not cut a big wheel short: allow it to crawl at 512 KiB/s before giving up.
      deadlineMs: UPLOAD_TIMEOUT_MS + Math.ceil(body.length / (512 * 1024)) * 1000,
      // The default 60 s budget is shorter than one upload's timeout: a timed-out upload would never be
      // retried. Allow a second try after a timeout, and the usual 5 attempts for quick failures.
      retry: { ...DEFAULT_RETRY, budgetMs: 2 * UPLOAD_TIMEOUT_MS },
    })
    .then(
      (answer) => (body.release(answer.bodyFlushed === true), answer),
      (error: unknown) => {
        body.release(false);
        throw error;
      },
    );
  if (res.status >= 200 && res.status < 300) return { kind: 'uploaded' };
  // The index's words end up in the summary and the `results` output, which the runner does not
  // mask: an index that echoes the credentials must not get them published there.
  const secrets = [credentials.password, auth];
  // Scrubbed as received and again once decoded: a JSON body may spell the password with `\/` or
  // `\uXXXX` escapes that only decoding turns back into its characters.
  const message = scrub(indexMessage(res.status, scrub(res.statusText, secrets), scrub(res.text(), secrets)), secrets);
  if (res.status >= 300 && res.status < 400) {
    // Shown without userinfo or query, which can carry credentials (see redactUrl).
    const location = res.header('location') ?? '';
    // Its path may still quote them (an echo), in any encoding: scrubbed like the index's words.
    const shownLocation = scrub(/^[a-z][a-z\d+.-]*:/i.test(location) ? redactUrl(location) : (location.split(/[?#]/)[0] ?? ''), secrets);
    const shown = redactUrl(url.href);
    return {
      kind: 'rejected',
      status: res.status,
      message:
        `${shown} redirected to ${shownLocation || 'another URL'}; uploads are not sent on through redirects. ` +
        (url.pathname.endsWith('/legacy') ? 'The upload URL must end with a slash: use ' + `${shown}/` : 'Set repository-url to the final upload URL.'),
    };
  }
  if (answersExists(res.status, res.statusText, res.text())) return { kind: 'exists', message };
  return { kind: 'rejected', status: res.status, message };
}

/**
 * Whether an index's refusal says the file exists, in the words of each index twine 6.1 (the
 * incumbent's) recognised for skip-existing, and Nexus' newer words that pdm's uploader knows. Only
 * a hint: the caller also asks the simple index, which answers for words nobody knows yet
 * (upload-all.ts).
 */
export function answersExists(status: number, reason: string, body: string): boolean {
  const said = (words: string, where: string[]) => where.some((w) => w.toLowerCase().includes(words));
  return (
    // pypiserver, devpi, Gitea
    status === 409 ||
    // warehouse ("File already exists"), Google Artifact Registry
    (status === 400 && said('already exist', [reason, body])) ||
    // Nexus Repository on OrientDB ("Repository does not allow updating assets") and on PostgreSQL or
    // H2 ("… cannot be updated")
    (status === 400 && said('updating asset', [reason, body])) ||
    (status === 400 && said('cannot be updated', [reason, body])) ||
    // Artifactory ("Not enough permissions to overwrite artifact")
    (status === 403 && said('overwrite artifact', [body])) ||
    // GitLab's package registry ("File name has already been taken")
    (status === 400 && said('already been taken', [body]))
  );
}

/**
 * Warehouse puts its message in the reason phrase and in the body (JSON with "message" when asked);
 * other indexes send HTML, text, or JSON of their own shape. Keep one line, bounded, free of markup.
 */
export function indexMessage(status: number, reason: string, body: string): string {
  let text = '';
  try {
    text = jsonMessage(JSON.parse(body));
  } catch {
    text = pageText(body);
  }
  text = text.replace(/\s+/g, ' ').trim();
  if (!text || text.length < reason.length) text = reason;
  if (text.length > 500) text = `${text.slice(0, 500)}…`;
  return `${status}${text ? ` ${text}` : ''}`;
}

/**
 * The words of a JSON error: `message` (warehouse, GitLab), `error` (GitLab's API), or each of
 * `errors[].message` (Artifactory's REST errors).
 */
function jsonMessage(doc: unknown): string {
  if (typeof doc !== 'object' || doc === null) return '';
  const { message, error, errors } = doc as { message?: unknown; error?: unknown; errors?: unknown };
  if (typeof message === 'string') return message;
  if (typeof error === 'string') return error;
  if (!Array.isArray(errors)) return '';
  const each = errors.map((e: unknown) => (typeof e === 'object' && e !== null ? (e as { message?: unknown }).message : undefined));
  return each.filter((m): m is string => typeof m === 'string').join('; ');
}
