// print-hash: the incumbent's "Showing hash values of files to be uploaded" block.
//
// SHA-256 comes from the read that checked the dists. MD5 and BLAKE2b-256 are only shown, and cost
// CPU on the one JavaScript thread, so they are computed where that thread would otherwise wait:
// - the smallest dists' from the bytes their checks read (src/dists/digest.ts, digestBytesAll);
// - a small dist's (read whole when checked) in the background while the run goes on to Trusted
//   Publishing and signing, which mostly wait on the network;
// - a large dist's MD5 by another process, one dist at a time from the checks on
//   (src/dists/md5-process.ts), and its BLAKE2b-256 from the chunks its upload reads anyway: hashed
//   by a loop of their own they starved the upload of the thread (docs/architecture.md, "Reading").
//   A large dist whose upload begins before its process started is hashed by the upload alone.
// What neither gave (a dist already on the index, an upload or a process that failed) is read once
// more at the end. The block is printed once the uploads are done, folded on its own, before the run's report.
import { createMultiHasher, digestFile, keepingReadBuffers, type DigestName } from '../dists/digest.ts';
import { md5InAnotherProcess, type MD5Process } from '../dists/md5-process.ts';
import { WHOLE_READ_MAX } from '../tunables.ts';
import type { Digests, Dist } from '../dists/types.ts';
import type { ChunkObserver } from '../pypi/multipart.ts';
import type { Logger } from './runtime.ts';

const SHOWN = ['md5', 'blake2b256'] as const;
type ShownName = (typeof SHOWN)[number];
type Shown = Partial<Pick<Digests, ShownName>>;

const missingOf = (have: Shown | undefined): ShownName[] => SHOWN.filter((n) => !have?.[n]);

function printHashes(dists: Dist[], shown: Map<string, Shown>, log: Logger): void {
  const lines = ['Showing hash values of files to be uploaded:'];
  for (const d of dists) {
    const more = shown.get(d.path);
    lines.push(
      d.path,
      '',
      `SHA256: ${d.digests.sha256 || '(unavailable)'}`,
      `MD5: ${more?.md5 ?? '(unavailable)'}`,
      `BLAKE2-256: ${more?.blake2b256 ?? '(unavailable)'}`,
      '',
    );
  }
  log.info(lines.join('\n'));
}

/** Records digests for a dist beside what it has. */
function record(shown: Map<string, Shown>, dist: Dist, digests: Shown): void {
  shown.set(dist.path, { ...digests, ...shown.get(dist.path) });
}

/** Reads each dist that still misses a shown digest, one at a time. Never rejects. */
function readAndHash(dists: Dist[], shown: Map<string, Shown>, log: Logger): Promise<void> {
  return keepingReadBuffers(async () => {
    for (const d of dists) {
      const missing = missingOf(shown.get(d.path));
      if (missing.length === 0) continue;
      try {
        record(shown, d, await digestFile(d.path, missing));
      } catch (error) {
        log.warning(`${d.path}: could not compute MD5 and BLAKE2-256 for print-hash: ${(error as Error).message}`);
      }
    }
  });
}

/** Large dists' MD5s by other processes, one at a time, in the dists' order. */
interface MD5Queue {
  /** The dist's process when it started and has not failed; otherwise undefined, and it never starts. */
  claim(dist: Dist): MD5Process | undefined;
  /** Every started process has ended; its digests are recorded. */
  done: Promise<void>;
}

function md5Queue(dists: Dist[], shown: Map<string, Shown>, start: (path: string) => MD5Process): MD5Queue {
  // By path, as `shown`: the dists uploaded are the records with their SHA-256.
  const waiting = new Set(dists.map((d) => d.path));
  const started = new Map<string, MD5Process>();
  const done = (async () => {
    for (const d of dists) {
      // An upload that began before this dist's turn hashes it itself.
      if (!waiting.delete(d.path)) continue;
      const job = start(d.path);
      started.set(d.path, job);
      const md5 = await job.md5;
      if (md5) record(shown, d, { md5 });
    }
  })();
  return {
    claim(dist) {
      waiting.delete(dist.path);
      const job = started.get(dist.path);
      return job && !job.failed ? job : undefined;
    },
    done,
  };
}

export interface HashBlock {
  /** For a large dist's upload: a fresh observer per attempt, whose digests count once it saw every chunk. */
  observerFor(dist: Dist): (() => Promise<ChunkObserver>) | undefined;
  /**
   * Computes what is still missing and prints the block, unless it was printed already. `dists`: the
   * same dists with every SHA-256 known, when the run got that far.
   */
  finish(dists?: Dist[]): Promise<void>;
}

export interface HashBlockOptions {
  /** Where a large dist's MD5 comes from (tests: a process that fails, or none). */
  md5Process?: (path: string) => MD5Process;
}

/** Starts hashing the small dists in the background; the block is printed by finish(). */
export function hashBlock(dists: Dist[], log: Logger, options: HashBlockOptions = {}): HashBlock {
  const streamed = (d: Dist) => d.size > WHOLE_READ_MAX;
  const small = dists.filter((d) => !streamed(d));
  // By path: a large dist's record is replaced once its SHA-256 is known.
  const shown = new Map<string, Shown>();
  let printed = false;
  const print = (final: Dist[]) => {
    if (printed) return;
    printed = true;
    log.startGroup?.('Hashes (print-hash)');
    printHashes(final, shown, log);
    log.endGroup?.();
  };
  // Printed at finish(), folded on its own: printed as soon as it was complete, it landed inside
  // whatever stage was running then (the exchange, the signing) and split its group.
  // The smallest dists' digests came with their checks (SHOWN_DIGESTS_WITH_CHECKS_MAX): no second read.
  for (const d of small) if (d.digests.md5 && d.digests.blake2b256) shown.set(d.path, { md5: d.digests.md5, blake2b256: d.digests.blake2b256 });
  const background = readAndHash(small, shown, log);
  const md5s = md5Queue(dists.filter(streamed), shown, options.md5Process ?? md5InAnotherProcess);
  return {
    observerFor(dist) {
      if (!streamed(dist)) return undefined;
      return async () => {
        const names: DigestName[] = md5s.claim(dist) ? ['blake2b256'] : [...SHOWN];
        const hasher = await createMultiHasher(names);
        return {
          update: (chunk) => hasher.update(chunk),
          // The first attempt that read the whole file gives the digests; a retry reads the same bytes.
          complete: () => record(shown, dist, hasher.digest()),
        };
      };
    },
    async finish(final = dists) {
      await Promise.all([background, md5s.done]);
      // Only the large dists: a small one the background could not read was reported there already.
      await readAndHash(final.filter(streamed), shown, log);
      print(final);
    },
  };
}
