// The sidecars <dist>.sigstore.json and <dist>.publish.attestation appear only for a run that attested
// every dist (a failed run leaves the previous ones as they were). Creating 200 files took 65–225 ms
// on the project machine, all of it between the last signature and the first upload; so each dist's
// pair is written under a hidden name as soon as it is verified, while the others are still being
// signed, and the names are swapped once all are (renaming 200 files: 3–8 ms).
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface SidecarPaths {
  bundlePath: string;
  attestationPath: string;
}

export function sidecarPaths(distPath: string): SidecarPaths {
  return { bundlePath: `${distPath}.sigstore.json`, attestationPath: `${distPath}.publish.attestation` };
}

const staged = (path: string): string => join(dirname(path), `.${basename(path)}.partial`);

export class SidecarStage {
  readonly #written: string[] = [];
  readonly #writes: Promise<void>[] = [];

  /** Starts writing one dist's pair under hidden names; errors surface in commit(). */
  add(distPath: string, bundle: unknown, attestation: unknown): void {
    const { bundlePath, attestationPath } = sidecarPaths(distPath);
    for (const [path, content] of [[bundlePath, bundle], [attestationPath, attestation]] as const) {
      this.#written.push(path);
      this.#writes.push(writeFile(staged(path), JSON.stringify(content)));
    }
  }

  /** Gives every staged file its real name; on any error, removes what was staged and rethrows. */
  async commit(): Promise<void> {
    try {
      await Promise.all(this.#writes);
      await Promise.all(this.#written.map((path) => rename(staged(path), path)));
    } catch (error) {
      await this.discard();
      throw error;
    }
  }

  /** Removes the staged files (a run that did not attest every dist writes no sidecar). */
  async discard(): Promise<void> {
    await Promise.allSettled(this.#writes);
    await Promise.all(this.#written.map((path) => rm(staged(path), { force: true })));
  }
}
