// Typed errors for the Sigstore module. Like sigstore-js, every error carries a stable `code` so the
// engine and the report can branch on it without parsing messages, and a message a maintainer can act on.
// Messages never contain secrets (OIDC JWTs, request bearers): callers only put URLs, statuses and
// certificate/statement facts into them.

export type IdentityErrorCode =
  | 'OIDC_PERMISSION' // the runner exposes no OIDC request endpoint: `id-token: write` is missing
  | 'OIDC_REQUEST' // the token endpoint could not be reached or answered with an HTTP error
  | 'OIDC_RESPONSE' // the token endpoint answered 2xx with something that is not a token
  | 'OIDC_ID_TOKEN'; // GitLab: no `<AUD>_ID_TOKEN` for the audience (no `id_tokens:` entry), or one for another audience

export type SigningErrorCode =
  | 'SIGN_IDENTITY' // no usable OIDC token for Fulcio
  | 'SIGN_CERTIFICATE' // Fulcio refused or failed to issue the signing certificate
  | 'SIGN_TLOG' // Rekor refused or failed to log the signature
  | 'SIGN_TSA' // the timestamp authority failed
  | 'SIGN_INPUT' // the dist name/digest we were asked to sign is malformed
  | 'SIGN_BUNDLE'; // the produced bundle is not what PyPI needs (e.g. no tlog entry)

export type TrustErrorCode = 'TRUST_CONFIG';

export type VerificationFailureCode =
  | 'VERIFY_FORMAT' // the bundle / attestation cannot be parsed or the two disagree
  | 'VERIFY_SIGNATURE' // certificate chain, SCT, DSSE signature or tlog cryptography failed
  | 'VERIFY_TLOG' // the transparency entry lacks what PyPI (sigstore-python) requires
  | 'VERIFY_ISSUER' // certificate issuer is not the trusted publisher's (GitHub Actions, GitLab)
  | 'VERIFY_REPOSITORY' // Source Repository URI is another repository
  | 'VERIFY_BUILD_CONFIG' // Build Config URI names another workflow / ref
  | 'VERIFY_STATEMENT' // the in-toto statement is malformed or of the wrong type
  | 'VERIFY_SUBJECT'; // the statement names another file or digest

export type SigstoreErrorCode = IdentityErrorCode | SigningErrorCode | TrustErrorCode | VerificationFailureCode;

export class SigstoreError<C extends SigstoreErrorCode = SigstoreErrorCode> extends Error {
  readonly code: C;
  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Getting an OIDC token failed. `status` is the HTTP status when the endpoint answered. */
export class IdentityError extends SigstoreError<IdentityErrorCode> {
  readonly status: number | undefined;
  constructor(code: IdentityErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(code, message, options);
    this.status = options?.status;
  }
}

/** Producing a signed bundle failed (Fulcio, Rekor, TSA, or our own sanity checks). */
export class SigningError extends SigstoreError<SigningErrorCode> {}

/** Trust material (trusted root / signing config) could not be loaded. */
export class TrustError extends SigstoreError<TrustErrorCode> {}

/** An attestation would not pass PyPI's verification; the message names the failed check. */
export class VerificationFailure extends SigstoreError<VerificationFailureCode> {}
