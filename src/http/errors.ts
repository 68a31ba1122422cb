// Failures of the transport itself, after retries: what the user reads must say which service,
// which URL and what happened, and never quote a credential.

export class HttpError extends Error {
  readonly code: 'HTTP_TIMEOUT' | 'HTTP_NETWORK';
  readonly url: string;
  constructor(code: HttpError['code'], url: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HttpError';
    this.code = code;
    this.url = url;
  }
}

/** URLs are logged without userinfo or query: both can carry credentials. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<invalid URL>';
  }
}

/** A URL as it was typed, for a message: what stands before an "@" in its authority is masked, whether it parses or not. */
export function withoutUserinfo(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}
