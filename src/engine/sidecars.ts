// The sidecars <dist>.sigstore.json and <dist>.publish.attestation appear only for a run that attested
// every dist (a failed run leaves the previous ones as they were). Creating 200 files took 65–225 ms
// on the project machine, all of it between the last signature and the first upload; so each dist's
// pair is written under a hidden name as soon as it is verified, while the others are still being
// signed, and the names are swapped once all are (renaming 200 files: 3–8 ms).
//
// packages-dir holds files downloaded from another job: a link planted under a staging name must not
// make this run write through it. A staging file is created anew (never opened if it exists, never
// through a link) and renamed only while it is still the file this run created; rename replaces a
// link at the final name instead of following it.
import { createHash } from 'node:crypto';
import { lstat, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeNewFile } from '../io/new-file.ts';
import { SIDECAR_WRITE_CONCURRENCY } from '../tunables.ts';
import { limiter } from './concurrency.ts';

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

/** The longest file name (in bytes) the usual file systems take. */
const NAME_MAX = 255;

// A staging name longer than a file name may be is shortened to a digest of the final one.
const staged = (path: string): string => {
  const name = `.${basename(path)}.partial`;
  return join(dirname(path), Buffer.byteLength(name) <= NAME_MAX ? name : `.${createHash('sha256').update(basename(path)).digest('hex').slice(0, 32)}.partial`);
};

/**
 * A wheel's name may have up to 246 bytes (PyPI stores "<name>.metadata" beside it), so
 * "<name>.publish.attestation" (+20 bytes) may not fit in a file name. Such a sidecar is not written:
 * its attestation still goes up with the dist (it is uploaded from memory), and a shortened name
 * would be found by no tool that looks for "<dist>.publish.attestation". The caller warns.
 */
export function sidecarTooLong(path: string): boolean {
  return Buffer.byteLength(basename(path)) > NAME_MAX;
}

/** Writes `content` as JSON to a file this call creates at `path`; returns its inode, to know it again at the rename. */
function writeNew(path: string, content: unknown): Promise<number> {
  // Serialized only now, and the text dropped at once: the bytes are all a pending write holds.
  return writeNewFile(path, Buffer.from(JSON.stringify(content)));
}

/** Renames the staged file to `path` only if it is still the regular file this run wrote. */
async function commitOne(path: string, ino: number): Promise<void> {
  const now = await lstat(staged(path));
  if (!now.isFile() || now.ino !== ino) throw Object.assign(new Error('replaced by another file while the run went on'), { code: 'EEXIST' });
  await rename(staged(path), path);
}

function unwritable(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return `could not write ${path} (${code}): the sidecars are written next to each dist, so its directory must be writable and nothing else may have that name`;
}

export class SidecarStage {
  readonly #paths: (distPath: string) => SidecarPaths;
  readonly #staged: Array<{ filename: string; path: string }> = [];
  // Each write settles to its file's inode or its failure, so a failed write made while other dists
  // are still being signed is never an unhandled rejection.
  readonly #writes: Promise<number | SidecarFailure>[] = [];
  readonly #tooLong: SidecarFailure[] = [];
  // Signing hands over bundles faster than the file system's thread pool writes them: serialized at
  // once, 300 dists' pairs (~35 KB each) waited in memory together (bench c's peak).
  readonly #slot = limiter(SIDECAR_WRITE_CONCURRENCY);

  /** `paths`: where a dist's pair goes (default: the publish pair, `<dist>.sigstore.json` and `<dist>.publish.attestation`). */
  constructor(paths: (distPath: string) => SidecarPaths = sidecarPaths) {
    this.#paths = paths;
  }

  /** Starts writing one dist's pair under hidden names; failures are reported by commit(). */
  add(distPath: string, bundle: unknown, attestation: unknown): void {
    const { bundlePath, attestationPath } = this.#paths(distPath);
    const filename = basename(distPath);
    const tooLong = [bundlePath, attestationPath].filter(sidecarTooLong);
    if (tooLong.length) {
      this.#tooLong.push({
        filename,
        reason: `${tooLong.map((p) => basename(p)).join(' and ')} not written: longer than the ${NAME_MAX} bytes a file name may have. The attestation was uploaded with the dist; PyPI serves it (provenance API)`,
      });
      return;
    }
    for (const [path, content] of [
      [bundlePath, bundle],
      [attestationPath, attestation],
    ] as const) {
      this.#staged.push({ filename, path });
      this.#writes.push(this.#slot(() => writeNew(staged(path), content)).catch((error: unknown) => ({ filename, reason: unwritable(staged(path), error) })));
    }
  }

  /** Gives every staged file its real name. On failure nothing is renamed, what was staged is removed, and the failures are returned. */
  async commit(): Promise<SidecarFailure[]> {
    const written = await Promise.all(this.#writes);
    const failures = written.filter((f): f is SidecarFailure => typeof f !== 'number');
    if (failures.length === 0) {
      const renamed = await Promise.allSettled(this.#staged.map(({ path }, i) => commitOne(path, written[i] as number)));
      renamed.forEach((r, i) => {
        if (r.status === 'rejected') failures.push({ filename: this.#staged[i]!.filename, reason: unwritable(this.#staged[i]!.path, r.reason) });
      });
    }
    if (failures.length > 0) await this.discard();
    return failures;
  }

  /** The dists whose sidecars were not written because their names do not fit (warnings, not failures). */
  notWritten(): SidecarFailure[] {
    return [...this.#tooLong];
  }

  /** Removes the files this run staged (a run that did not attest every dist writes no sidecar); what it could not write is not its own to remove. */
  async discard(): Promise<void> {
    const results = await Promise.all(this.#writes);
    await Promise.allSettled(this.#staged.filter((_, i) => typeof results[i] === 'number').map(({ path }) => rm(staged(path), { force: true })));
  }
}
