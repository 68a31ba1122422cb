// The production wiring of the engine's services (their interfaces: src/engine/services.ts): one HTTP
// client, the job's OIDC identity (GitHub Actions', or a GitLab job's ID tokens when GITLAB_CI says
// the job is GitLab's), and Sigstore (public-good's TUF repository and signing config, another TUF
// repository a test names, or a trust config file in PYPI_PUBLISH_TRUST_CONFIG).
import { createHttpClient } from './http/client.ts';
import type { Services } from './engine/services.ts';
import type { Runtime } from './engine/runtime.ts';
import { isGitLabJob } from './gitlab/environment.ts';
import { createGitLabIdentityProvider } from './gitlab/identity.ts';
import { createGitHubIdentityProvider } from './sigstore/github-identity.ts';
import { withPrefetchedToken } from './sigstore/prefetched-identity.ts';
import { SIGSTORE_AUDIENCE } from './sigstore/types.ts';
import type { SigstoreTrust } from './sigstore/trust.ts';
import { OIDC_TIMEOUT_MS, READ_BACK_CONCURRENCY, SIGN_CONCURRENCY } from './tunables.ts';

export const USER_AGENT = 'pypi-publish-action/0.1 (+https://github.com/features/actions)';

export interface ServiceOptions {
  uploadConcurrency: number;
}

export function createServices(env: Readonly<Record<string, string | undefined>>, runtime: Runtime, options: ServiceOptions): Services {
  const { uploadConcurrency } = options;
  // One connection per concurrent upload, plus one so the simple-index lookup never waits for an upload,
  // plus the read-backs' own, which run while the uploads go on.
  const http = createHttpClient({ log: runtime.log, userAgent: USER_AGENT, connections: uploadConcurrency + 1 + READ_BACK_CONCURRENCY });
  // Rekor and the TSA get a pool of their own, one connection per dist being signed: with fewer, the
  // Rekor entries of a large release would queue into several rounds of its latency.
  const sigstoreHttp = createHttpClient({ log: runtime.log, userAgent: USER_AGENT, connections: SIGN_CONCURRENCY });
  const identity = isGitLabJob(env)
    ? createGitLabIdentityProvider({ env, onSecret: runtime.mask })
    : createGitHubIdentityProvider({ http, env: { ...env }, onSecret: runtime.mask, timeoutMs: OIDC_TIMEOUT_MS });
  // The trust root is loaded once, for the signer or for a verifier asked for first.
  let trusted: Promise<{ trust: SigstoreTrust; verify: typeof import('./sigstore/verify.ts') }> | undefined;
  const trustRoot = () =>
    (trusted ??= Promise.all([import('./sigstore/trust.ts'), import('./sigstore/verify.ts')]).then(async ([{ loadTrustFromEnv, describeTrust }, verify]) => {
      const loaded = await loadTrustFromEnv(env);
      for (const line of describeTrust(loaded)) runtime.log.info(line);
      return { trust: loaded, verify };
    }));
  return {
    http,
    identity,
    async verifier() {
      const { trust, verify } = await trustRoot();
      return verify.createDistVerifier({ trustMaterial: trust.trustMaterial });
    },
    async sigstore() {
      const signingIdentity = withPrefetchedToken(identity, SIGSTORE_AUDIENCE);
      // The Sigstore stack (TUF, protobuf specs, sign, verify, their fetch stack) is more than half of
      // the bundle: it is loaded only when attestations are made, in parallel, after start-up.
      const [
        { PUBLIC_GOOD_REKOR_URL },
        { createDistSigner },
        {
          trust,
          verify: { createDistVerifier },
        },
      ] = await Promise.all([import('./sigstore/trust.ts'), import('./sigstore/signer.ts'), trustRoot()]);
      const signer = createDistSigner({
        identity: signingIdentity,
        fulcioURL: trust.fulcioURL,
        rekorURL: trust.rekorURL,
        tsaURLs: trust.tsaURLs,
        http: sigstoreHttp,
        onSecret: runtime.mask,
      });
      // Only public-good Rekor has a search page worth linking to from the summary.
      const entryUrl = trust.rekorURL === PUBLIC_GOOD_REKOR_URL ? (logIndex: string) => `https://search.sigstore.dev/?logIndex=${logIndex}` : undefined;
      // Verified on this thread: with the certificate path and keys checked once per run
      // (src/sigstore/verify-memo.ts) a bundle is ~1 ms of CPU, which fits between Rekor's answers. A
      // thread of its own saved no time even for 300 dists and cost ~10–15 MB (docs/architecture.md).
      return { signer, verifier: createDistVerifier({ trustMaterial: trust.trustMaterial }), entryUrl };
    },
    async close() {
      await Promise.all([http.close(), sigstoreHttp.close()]);
    },
  };
}
