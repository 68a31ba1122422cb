// The signing identity token, asked for ahead. GitHub's token endpoint is a round trip of its own;
// asking for the `sigstore` token while the Sigstore stack loads and the index answers the mint takes
// it off the path to the certificate. Asking is not signing: no certificate is requested before the
// exchange succeeded, and a token that goes unused dies with the run (it was masked when it arrived).
import type { IdentityProvider } from './types.ts';

/**
 * An identity whose first token for `audience` is requested now; later ones are requested when asked.
 * A request made ahead that failed is made again when the token is asked for: it ran alongside the
 * busiest stretch of the run (loading the Sigstore stack holds the thread for seconds on a loaded
 * runner), so its timeout says little about the endpoint, and the HTTP client's retry budget may have
 * run out during that stretch. What the second request says is the signer's to report.
 */
export function withPrefetchedToken(identity: IdentityProvider, audience: string): IdentityProvider {
  let ahead: Promise<string> | undefined = identity.getToken(audience);
  ahead.catch(() => undefined);
  return {
    getToken(aud: string): Promise<string> {
      if (aud !== audience || !ahead) return identity.getToken(aud);
      const token = ahead;
      ahead = undefined;
      return token.catch(() => identity.getToken(aud));
    },
  };
}
