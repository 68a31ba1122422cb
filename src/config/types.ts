// The typed form of the action's inputs. Everything downstream reads this, never the environment.
import type { BuildAttestationMode } from '../provenance/build-attestations.ts';

export type AuthMode = 'trusted-publishing' | 'api-token' | 'password';

export interface PublishConfig {
  user: string;
  /** The password or API token; '' under Trusted Publishing. A secret: never log it. */
  password: string;
  mode: AuthMode;
  repositoryUrl: URL;
  /** Directories or glob patterns, one per line of `packages-dir`. */
  packagesDir: string[];
  verifyMetadata: boolean;
  skipExisting: boolean;
  verbose: boolean;
  printHash: boolean;
  /** Sign and upload PEP 740 attestations (only ever true with Trusted Publishing). */
  attestations: boolean;
  /** Check and upload the build provenance (`<dist>.slsa.attestation`) found beside each dist. */
  buildAttestations: BuildAttestationMode;
  uploadConcurrency: number;
}

/** A warning the incumbent action also gives, with its annotation title. */
export interface ConfigNotice {
  level: 'warning' | 'error' | 'notice';
  title?: string;
  message: string;
}

export interface ConfigResult {
  config?: PublishConfig;
  notices: ConfigNotice[];
  /** Input errors: the run stops before anything else happens. */
  errors: string[];
}
