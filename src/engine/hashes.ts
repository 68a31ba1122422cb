// print-hash: the incumbent's "Showing hash values of files to be uploaded" block, from the digests
// computed while reading the dists (no second read).
import type { Dist } from '../dists/types.ts';
import type { Logger } from './runtime.ts';

export function printHashes(dists: Dist[], log: Logger): void {
  const lines = ['Showing hash values of files to be uploaded:'];
  for (const d of dists) {
    lines.push(d.path, '', `SHA256: ${d.digests.sha256}`, `MD5: ${d.digests.md5}`, `BLAKE2-256: ${d.digests.blake2b256}`, '');
  }
  log.info(lines.join('\n'));
}
