// The production wiring of the companion action: one HTTP client, GitHub's OIDC identity, and Sigstore
// (public-good's TUF repository and signing config, or the test seams of src/sigstore/trust.ts) — the same
// services the publish step signs with, given the build provenance predicate.
import { createHttpClient } from '../http/client.ts';
import { SIGN_CONCURRENCY } from '../tunables.ts';
import type { Logger } from '../engine/runtime.ts';
import { createGitHubIdentityProvider } from '../sigstore/github-identity.ts';
import { USER_AGENT } from '../services.ts';
import type { BuildProvenanceServices } from './attest-build.ts';

export function createBuildProvenanceServices(
  env: Readonly<Record<string, string | undefined>>,
  log: Logger,
  mask: (secret: string) => void,
): BuildProvenanceServices & { close(): Promise<void> } {
  const http = createHttpClient({ log, userAgent: USER_AGENT, connections: SIGN_CONCURRENCY });
  const identity = createGitHubIdentityProvider({ http, env: { ...env }, onSecret: mask });
  return {
    identity,
    async sigstore({ predicate, identity: signingIdentity }) {
      const [{ loadTrustFromEnv, describeTrust }, { createDistSigner }, { createDistVerifier }] = await Promise.all([
        import('../sigstore/trust.ts'),
        import('../sigstore/signer.ts'),
        import('../sigstore/verify.ts'),
      ]);
      const trust = await loadTrustFromEnv(env);
      for (const line of describeTrust(trust)) log.info(line);
      const signer = createDistSigner({
        identity: signingIdentity,
        fulcioURL: trust.fulcioURL,
        rekorURL: trust.rekorURL,
        tsaURLs: trust.tsaURLs,
        http,
        onSecret: mask,
        predicate,
      });
      return { signer, verifier: createDistVerifier({ trustMaterial: trust.trustMaterial }) };
    },
    close: () => http.close(),
  };
}
