// print-hash: the incumbent's "Showing hash values of files to be uploaded" block.
//
// SHA-256 comes from the read that checked the dists. MD5 and BLAKE2b-256 are only shown, and cost
// CPU on the one JavaScript thread, so they are computed where that thread would otherwise wait:
// - the smallest dists' from the bytes their checks read (src/dists/digest.ts, digestBytesAll);
// - a small dist's (read whole when checked) in the background while the run goes on to Trusted
//   Publishing and signing, which mostly wait on the network;
// - a large dist's from the chunks its upload reads anyway: hashed by a loop of their own they
//   starved the upload of the thread (docs/architecture.md, "Reading").
// What no upload gave (a dist already on the index, an upload that failed) is read once more at the
// end. The block is printed once the uploads are done, folded on its own, before the run's report.
import { createMultiHasher, digestFile } from '../dists/digest.ts';
import { WHOLE_READ_MAX } from '../tunables.ts';
import type { Digests, Dist } from '../dists/types.ts';
import type { ChunkObserver } from '../pypi/multipart.ts';
import type { Logger } from './runtime.ts';

const SHOWN = ['md5', 'blake2b256'] as const;
type Shown = Required<Pick<Digests, (typeof SHOWN)[number]>>;

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

/** Reads each dist that has no shown digests yet, one at a time. Never rejects. */
async function readAndHash(dists: Dist[], shown: Map<string, Shown>, log: Logger): Promise<void> {
  for (const d of dists) {
    if (shown.has(d.path)) continue;
    try {
      shown.set(d.path, await digestFile(d.path, SHOWN));
    } catch (error) {
      log.warning(`${d.path}: could not compute MD5 and BLAKE2-256 for print-hash: ${(error as Error).message}`);
    }
  }
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

/** Starts hashing the small dists in the background; the block is printed by finish(). */
export function hashBlock(dists: Dist[], log: Logger): HashBlock {
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
  return {
    observerFor(dist) {
      if (!streamed(dist)) return undefined;
      return async () => {
        const hasher = await createMultiHasher(SHOWN);
        return {
          update: (chunk) => hasher.update(chunk),
          // The first attempt that read the whole file gives the digests; a retry reads the same bytes.
          complete: () => {
            if (!shown.has(dist.path)) shown.set(dist.path, hasher.digest());
          },
        };
      };
    },
    async finish(final = dists) {
      await background;
      // Only the large dists: a small one the background could not read was reported there already.
      await readAndHash(final.filter(streamed), shown, log);
      print(final);
    },
  };
}
