// The hostile side of the world's faults (faults.ts): a server that quotes the credentials it was
// sent, or any secret the world issued, back in its answers, in the encodings a real service might
// use; that redirects elsewhere; that sends an endless body or drips one byte at a time. The Python
// stand-in does the same (test/world/pypi/standin/faults.py, hostile_*).
//
// In a fault's `body` and `headers` (with `echo` set), `{{secret}}` is replaced by every secret to echo,
// each encoded as `echo` says: the credential of the request (its bearer, or the OIDC token in a Fulcio
// request); else what a client could know: the world's default runner bearer (the first secret it
// journals, which runs are given) and every secret issued since the fault was registered, newest
// first ($WORLD_DIR/issued-secrets.txt). Secrets of earlier runs are never echoed: no client can know them.
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

export const ECHO_ENCODINGS = ['plain', 'json', 'unicode', 'url', 'parts', 'base64'] as const;
export type EchoEncoding = (typeof ECHO_ENCODINGS)[number];

/** How long an endless or dripping answer may last on the server's side, whatever the client does. */
export const STREAM_CAP_MS = 60_000;
const ENDLESS_CHUNK = Buffer.alloc(64 * 1024, 'x');

let journal: string | undefined;

/** Where the world journals the secrets it issues (set once by main.ts). */
export function setSecretJournal(path: string): void {
  journal = path;
}

/** How many secrets the world has journalled: a fault registered now echoes only those issued after. */
export function journalLength(): number {
  return issuedSecrets().length;
}

function issuedSecrets(): string[] {
  if (!journal) return [];
  try {
    return readFileSync(journal, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** `secret` as a hostile echo would write it. */
export function encodeSecret(secret: string, encoding: EchoEncoding): string {
  switch (encoding) {
    case 'plain':
      return secret;
    case 'json':
      return JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/');
    case 'unicode':
      return [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    case 'url':
      return [...Buffer.from(secret)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    case 'parts':
      // A JWT's segments apart, never whole; any other secret in two halves kept whole enough to find.
      return secret.split('.').length === 3 ? secret.split('.').join(' … ') : secret;
    case 'base64':
      return Buffer.from(secret).toString('base64');
  }
}

/** The credential a request carries: a bearer, Basic auth's password, or the OIDC token of a Fulcio request. */
export function credentialOf(headers: IncomingHttpHeaders, body: Buffer): string | undefined {
  const auth = headers.authorization ?? '';
  const bearer = /^bearer\s+(.+)$/i.exec(auth);
  if (bearer?.[1]) return bearer[1];
  const basic = /^basic\s+(.+)$/i.exec(auth);
  if (basic?.[1]) return Buffer.from(basic[1], 'base64').toString('utf8').split(':').slice(1).join(':');
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { credentials?: { oidcIdentityToken?: unknown }; token?: unknown };
    const token = parsed.credentials?.oidcIdentityToken ?? parsed.token;
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

/** `template` with `{{secret}}` replaced by the secrets to echo, encoded, separated by spaces. */
export function fillEcho(template: string, encoding: EchoEncoding, headers: IncomingHttpHeaders, body: Buffer, journalledBefore: number): string {
  const own = credentialOf(headers, body);
  const issued = issuedSecrets();
  // Newest first: a quote cut short (an excerpt in an error) then holds this run's latest secrets.
  const secrets = own ? [own] : [...issued.slice(Math.max(1, journalledBefore)).reverse(), ...issued.slice(0, 1)];
  const echoed = secrets.map((s) => encodeSecret(s, encoding)).join(' ');
  return template.split('{{secret}}').join(echoed);
}

/**
 * Sends `status` with a body that never ends (64 KiB chunks as fast as the client reads) or, with
 * `dripMs`, one byte every `dripMs`; stops when the client goes away or at STREAM_CAP_MS. Resolves
 * with the bytes the client accepted.
 */
export async function sendStream(res: ServerResponse, status: number, opts: { dripMs?: number; signal: AbortSignal }): Promise<number> {
  res.writeHead(status, { 'content-type': 'application/json' });
  const until = Date.now() + STREAM_CAP_MS;
  let sent = 0;
  const gone = () => res.destroyed || res.writableEnded || opts.signal.aborted || Date.now() > until;
  while (!gone()) {
    const chunk = opts.dripMs === undefined ? ENDLESS_CHUNK : ENDLESS_CHUNK.subarray(0, 1);
    const drained = res.write(chunk);
    sent += chunk.length;
    if (opts.dripMs !== undefined) await new Promise((r) => setTimeout(r, opts.dripMs));
    else if (!drained) await drainOrClose(res);
  }
  res.destroy();
  return sent;
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
