// The Sigstore stack loaded while the Trusted Publishing exchange is still under way.
//
// Loading it (TUF, protobuf specs, sign, verify) is ~100 ms of CPU that does not depend on the upload
// token, only on whether this publisher gets attestations, which the exchange's JWT says. So it starts
// as soon as the mint request is written, and overlaps the index's answer. Not earlier: compiling the stack
// holds the thread, and started with the exchange it delayed the first request (bench d). Not more: the
// signing certificate is requested only once the exchange succeeded, so a refused exchange leaves no
// certificate (and no CT log entry) behind.
import { reusableWorkflow, type Claims } from '../pypi/claims.ts';
import type { Services } from './publish.ts';

export type SigstoreServices = Awaited<ReturnType<Services['sigstore']>>;

export class EarlySigstore {
  readonly #services: Pick<Services, 'sigstore'>;
  readonly #attestations: boolean;
  readonly #dists: number;
  #loading: Promise<SigstoreServices> | undefined;

  constructor(services: Pick<Services, 'sigstore'>, attestations: boolean, dists: number) {
    this.#services = services;
    this.#attestations = attestations;
    this.#dists = dists;
  }

  /** The exchange's claims are known: start, unless no attestation will be made for this publisher. */
  start(claims: Claims): void {
    if (!this.#attestations || this.#loading || reusableWorkflow(claims)) return;
    this.#loading = this.#services.sigstore({ dists: this.#dists });
    // A failure (an unreadable trust config) is reported by get(), when signing needs the stack.
    this.#loading.catch(() => undefined);
  }

  /** The signer and verifier, started early or now. */
  get(): Promise<SigstoreServices> {
    return (this.#loading ??= this.#services.sigstore({ dists: this.#dists }));
  }
}
