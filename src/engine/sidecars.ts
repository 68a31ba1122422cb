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

/** A dist whose sidecar could not be written, and why (with the fix). */
export interface SidecarFailure {
  filename: string;
  reason: string;
}

const staged = (path: string): string => join(dirname(path), `.${basename(path)}.partial`);

function unwritable(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return `could not write ${path} (${code}): the sidecars are written next to each dist, so its directory must be writable and nothing else may have that name`;
}

export class SidecarStage {
  readonly #staged: Array<{ filename: string; path: string }> = [];
  // Each write settles to its failure (or undefined), so a failed write made while other dists are
  // still being signed is never an unhandled rejection.
  readonly #writes: Promise<SidecarFailure | undefined>[] = [];

  /** Starts writing one dist's pair under hidden names; failures are reported by commit(). */
  add(distPath: string, bundle: unknown, attestation: unknown): void {
    const { bundlePath, attestationPath } = sidecarPaths(distPath);
    const filename = basename(distPath);
    for (const [path, content] of [[bundlePath, bundle], [attestationPath, attestation]] as const) {
      this.#staged.push({ filename, path });
      this.#writes.push(writeFile(staged(path), JSON.stringify(content)).then(
        () => undefined,
        (error: unknown) => ({ filename, reason: unwritable(staged(path), error) }),
      ));
    }
  }

  /** Gives every staged file its real name. On failure nothing is renamed, what was staged is removed, and the failures are returned. */
  async commit(): Promise<SidecarFailure[]> {
    const failures = (await Promise.all(this.#writes)).filter((f): f is SidecarFailure => f !== undefined);
    if (failures.length === 0) {
      const renamed = await Promise.allSettled(this.#staged.map(({ path }) => rename(staged(path), path)));
      renamed.forEach((r, i) => {
        if (r.status === 'rejected') failures.push({ filename: this.#staged[i]!.filename, reason: unwritable(this.#staged[i]!.path, r.reason) });
      });
    }
    if (failures.length > 0) await this.discard();
    return failures;
  }

  /** Removes the files this run staged (a run that did not attest every dist writes no sidecar); what it could not write is not its own to remove. */
  async discard(): Promise<void> {
    const results = await Promise.all(this.#writes);
    await Promise.allSettled(this.#staged.filter((_, i) => results[i] === undefined).map(({ path }) => rm(staged(path), { force: true })));
  }
}
