// What the engine asks of the world outside it, as interfaces: the host (the action, the CLI, a test)
// wires real or fake ones. Production's are in src/services.ts.
import type { HttpClient } from '../http/client.ts';
import type { DistSigner, DistVerifier, IdentityProvider } from '../sigstore/types.ts';

export interface SigstoreServices {
  signer: DistSigner;
  verifier: DistVerifier;
  /** A public page for a transparency log entry, when the log has one. */
  entryUrl?: (logIndex: string) => string;
}

export interface Services {
  /** The index client's transport: uploads, the exchange and simple-index look-ups. */
  http: HttpClient;
  identity: IdentityProvider;
  /** Created only when attestations are made: loads the trust root, which may mean network. */
  sigstore(): Promise<SigstoreServices>;
  /** A verifier of PyPI's policy on the same trust root, with no signer: asks for no token. */
  verifier(): Promise<DistVerifier>;
  /** Closes every connection pool the services opened. */
  close(): Promise<void>;
}
