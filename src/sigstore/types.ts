// Interfaces that let the engine, the CLI and the tests drive signing and verification alike.

/** The audience of the OIDC token Fulcio accepts. */
export const SIGSTORE_AUDIENCE = 'sigstore';

/** Supplies OIDC identity tokens (JWTs) for an audience: GitHub Actions' or a GitLab job's. */
export interface IdentityProvider {
  getToken(audience: string): Promise<string>;
  /** Whose tokens, so that a failure is explained for that CI; GitHub Actions when absent. */
  readonly platform?: 'github-actions' | 'gitlab-ci';
}

/** The identity PyPI checks an attestation against (warehouse's GitHub or GitLab publisher). */
export interface PublisherIdentity {
  /** Whose Trusted Publisher: GitHub's when absent. */
  kind?: 'github' | 'gitlab';
  /** "owner/name" (GitLab: the project path, "namespace[/subgroup…]/project") */
  repository: string;
  /**
   * workflow filename, e.g. "release.yml" (from the job_workflow_ref / workflow_ref path); GitLab:
   * the top-level pipeline file's path in the project, e.g. ".gitlab-ci.yml" (from ci_config_ref_uri)
   */
  workflow: string;
  /**
   * The ref (refs/tags/v1) / commit sha the workflow ran at. Informational only: like PyPI, the verifier
   * takes the Build Config URI's `@ref` / `@sha` candidates from the certificate's own Source Repository
   * Ref / Digest extensions; these fields only make the "expected …" part of error messages concrete.
   */
  ref?: string | undefined;
  sha?: string | undefined;
}

export interface SignedDist {
  filename: string;
  sha256: string;
  /** Sigstore bundle v0.3 JSON (protobuf-JSON form) */
  bundle: unknown;
  /** PEP 740 attestation object */
  attestation: unknown;
  /** the predicate type the statement must carry (default: PyPI's publish predicate) */
  predicateType?: string;
}

/** Signs in-toto statements for dists; one certificate for the whole run. */
export interface DistSigner {
  sign(dist: { filename: string; sha256: string }): Promise<SignedDist>;
  /** Obtains the run's certificate now, before the first sign() needs it (which then reuses it). */
  certify?(): Promise<void>;
}

/** Verifies a signed dist with PyPI's policy; throws a VerificationFailure naming the reason. */
export interface DistVerifier {
  verify(signed: SignedDist, fileSha256: string, identity: PublisherIdentity): Promise<void>;
}
