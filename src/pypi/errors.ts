// Typed failures of the index side. `summary` is the long Markdown explanation for the job summary;
// `message` is the short annotation.

export type TrustedPublishingErrorCode = 'TP_AUDIENCE' | 'TP_OIDC' | 'TP_REFUSED' | 'TP_MALFORMED';

export class TrustedPublishingError extends Error {
  readonly code: TrustedPublishingErrorCode;
  readonly summary: string;
  constructor(code: TrustedPublishingErrorCode, message: string, summary: string) {
    super(message);
    this.name = 'TrustedPublishingError';
    this.code = code;
    this.summary = summary;
  }
}
