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
