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
const TOO_LONG_HERE = 'the file system of packages-dir takes no file name this long';

const isStaged = (result: StagedFile | SidecarFailure): result is StagedFile => 'ino' in result;

/** The staging name of `path`: hidden, beside it; a digest of its name where the name would not fit. */
const staged = (path: string, short = false): string => {
  const name = `.${basename(path)}.partial`;
  return join(
    dirname(path),
    !short && Buffer.byteLength(name) <= NAME_MAX ? name : `.${createHash('sha256').update(basename(path)).digest('hex').slice(0, 32)}.partial`,
  );
};

/** Where a sidecar was staged, and the inode written there (to know it again at the rename). */
interface StagedFile {
  at: string;
  ino: number;
}

const nameTooLong = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENAMETOOLONG';

/** Stages `content` for `path`; a file system that takes shorter names than NAME_MAX (eCryptfs: 143) gets the digest name. */
async function stage(path: string, content: unknown): Promise<StagedFile> {
  try {
    return { at: staged(path), ino: await writeNew(staged(path), content) };
  } catch (error) {
    if (!nameTooLong(error)) throw error;
    return { at: staged(path, true), ino: await writeNew(staged(path, true), content) };
  }
}

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
async function commitOne(path: string, { at, ino }: StagedFile): Promise<void> {
  const now = await lstat(at);
  if (!now.isFile() || now.ino !== ino) throw Object.assign(new Error('replaced by another file while the run went on'), { code: 'EEXIST' });
  await rename(at, path);
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
  readonly #writes: Promise<StagedFile | SidecarFailure>[] = [];
  /** By dist: the sidecar names left out, and why. */
  readonly #tooLong = new Map<string, { names: string[]; why: string }>();
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
      this.#tooLong.set(filename, { names: tooLong.map((p) => basename(p)), why: `longer than the ${NAME_MAX} bytes a file name may have` });
      return;
    }
    for (const [path, content] of [
      [bundlePath, bundle],
      [attestationPath, attestation],
    ] as const) {
      this.#staged.push({ filename, path });
      // The file the error names (the short staging name, when the long one was refused), else the staging name.
      this.#writes.push(
        this.#slot(() => stage(path, content)).catch((error: unknown) => ({
          filename,
          reason: unwritable((error as NodeJS.ErrnoException).path ?? staged(path), error),
        })),
      );
    }
  }

  /** Gives every staged file its real name. On failure nothing is renamed, what was staged is removed, and the failures are returned. */
  async commit(): Promise<SidecarFailure[]> {
    const written = await Promise.all(this.#writes);
    const failures = written.filter((f): f is SidecarFailure => !isStaged(f));
    if (failures.length === 0) {
      const renamed = await Promise.allSettled(this.#staged.map(({ path }, i) => commitOne(path, written[i] as StagedFile)));
      const leftStaged: string[] = [];
      renamed.forEach((r, i) => {
        if (r.status === 'fulfilled') return;
        const { filename, path } = this.#staged[i]!;
        // A name this file system does not take (it allows fewer than NAME_MAX bytes): left out with a
        // warning, as a name over NAME_MAX is, and its staged file removed.
        if (!nameTooLong(r.reason)) return void failures.push({ filename, reason: unwritable(path, r.reason) });
        const left = this.#tooLong.get(filename) ?? { names: [], why: TOO_LONG_HERE };
        this.#tooLong.set(filename, { ...left, names: [...left.names, basename(path)] });
        leftStaged.push((written[i] as StagedFile).at);
      });
      await Promise.allSettled(leftStaged.map((at) => rm(at, { force: true })));
    }
    if (failures.length > 0) await this.discard();
    return failures;
  }

  /** The dists whose sidecars were not written because their names do not fit here; the caller says what that means. */
  notWritten(): SidecarFailure[] {
    return [...this.#tooLong].map(([filename, { names, why }]) => ({ filename, reason: `${names.join(' and ')} not written: ${why}` }));
  }

  /** Removes the files this run staged (a run that did not attest every dist writes no sidecar); what it could not write is not its own to remove. */
  async discard(): Promise<void> {
    const results = await Promise.all(this.#writes);
    await Promise.allSettled(results.filter(isStaged).map(({ at }) => rm(at, { force: true })));
  }
}
