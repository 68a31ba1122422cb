// Bounds on the work one archive may cost. A dist comes from another job's artifact, so it is data to
// distrust: each bound is far above anything a real sdist or wheel holds (see docs/threat-model.md
// for the figures), and an archive past one is refused with a message naming the bound, not read on.

const MIB = 1024 * 1024;

export const ARCHIVE_LIMITS = {
  /** Members in one archive (a ZIP's central directory, capped at 128 MiB, holds at most ~2.9 million). */
  members: 1_000_000,
  /**
   * Bytes of one member name or link target: Linux's PATH_MAX, so no installer can unpack a longer
   * one. A warning, not a bound: PyPI accepts such an sdist.
   */
  nameBytes: 4096,
  /** Bytes of all member names (and link targets) together, kept in memory for the License-File and link checks. */
  totalNameBytes: 64 * MIB,
  /** Bytes of one member's extended (pax) header records. */
  headerBytes: 1 * MIB,
  /**
   * Reading one archive: a base plus a second per MiB of file, far slower than any disk. A .tar.gz
   * has no bound on its expansion besides this one: warehouse reads the whole tar and puts none on
   * it (a ZIP's is PyPI's own rule, `zip-compression-ratio`), and an sdist of well-compressed test
   * data PyPI accepts must pass.
   */
  baseMs: 60_000,
  msPerMiB: 1_000,
} as const;

/** An archive past one of ARCHIVE_LIMITS: the reason names the bound. */
export class ArchiveLimitError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ArchiveLimitError';
  }
}

/** How long reading a file of `size` bytes may take. */
export function readDeadlineMs(size: number): number {
  return ARCHIVE_LIMITS.baseMs + Math.ceil(size / MIB) * ARCHIVE_LIMITS.msPerMiB;
}
