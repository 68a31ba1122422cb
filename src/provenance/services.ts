// The production wiring of the companion action: one HTTP client, GitHub's OIDC identity, and Sigstore
// (public-good, or the trust config a test world names in PYPI_PUBLISH_TRUST_CONFIG) — the same
// services the publish step signs with, given the build provenance predicate.
import { tmpdir } from 'node:os';
import { fetch as undiciFetch } from 'undici';
import { createHttpClient } from '../http/client.ts';
import { backoffDelay, DEFAULT_RETRY, scaled } from '../http/retry.ts';
import { SIGN_CONCURRENCY } from '../engine/attest.ts';
import type { Logger } from '../engine/runtime.ts';
import { createGitHubIdentityProvider } from '../sigstore/github-identity.ts';
import { USER_AGENT } from '../services.ts';
import type { BuildProvenanceServices } from './attest-build.ts';

export function createBuildProvenanceServices(env: Readonly<Record<string, string | undefined>>, log: Logger, mask: (secret: string) => void): BuildProvenanceServices & { close(): Promise<void> } {
  const http = createHttpClient({ log, userAgent: USER_AGENT, connections: SIGN_CONCURRENCY });
  const identity = createGitHubIdentityProvider({
    env: { ...env },
    fetch: (url, init) => undiciFetch(url, init),
    onSecret: mask,
    timeoutMs: scaled(10_000),
    backoffMs: (n, retryAfter) => backoffDelay(DEFAULT_RETRY, n, retryAfter),
  });
  return {
    identity,
    async sigstore({ predicate, identity: signingIdentity }) {
      const [{ loadTrust }, { createDistSigner }, { createDistVerifier }] = await Promise.all([
        import('../sigstore/trust.ts'),
        import('../sigstore/signer.ts'),
        import('../sigstore/verify.ts'),
      ]);
      const trustConfigPath = env['PYPI_PUBLISH_TRUST_CONFIG'];
      const trust = await loadTrust({ trustConfigPath, cacheDir: env['RUNNER_TEMP'] || tmpdir() });
      if (trustConfigPath) log.info(`Using the Sigstore instance of ${trustConfigPath} (not public-good Sigstore)`);
      const signer = createDistSigner({ identity: signingIdentity, fulcioURL: trust.fulcioURL, rekorURL: trust.rekorURL, tsaURL: trust.tsaURL, http, onSecret: mask, predicate });
      return { signer, verifier: createDistVerifier({ trustMaterial: trust.trustMaterial }) };
    },
    close: () => http.close(),
  };
}
