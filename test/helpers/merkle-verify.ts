// RFC 9162 §2.1.4.2, written from the spec (not from the world's Merkle code): whether a consistency
// proof shows that the tree of `m` leaves is a prefix of the tree of `n`. It judges the world's
// Rekor and the real one alike.
import { createHash } from 'node:crypto';

const node = (left: Buffer, right: Buffer) =>
  createHash('sha256')
    .update(Buffer.from([1]))
    .update(left)
    .update(right)
    .digest();

export function consistent(m: number, n: number, rootM: Buffer, rootN: Buffer, proof: Buffer[]): boolean {
  if (m < 1 || m > n) return false;
  if (m === n) return proof.length === 0 && rootM.equals(rootN);
  if (proof.length === 0) return false;
  // When m is a power of two, its root is a node of the larger tree, and the proof leaves it out.
  const path = (m & (m - 1)) === 0 ? [rootM, ...proof] : [...proof];
  let [fn, sn] = [m - 1, n - 1];
  while (fn & 1) [fn, sn] = [fn >> 1, sn >> 1];
  let [fr, sr] = [path[0]!, path[0]!];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn & 1 || fn === sn) {
      [fr, sr] = [node(c, fr), node(c, sr)];
      while (fn !== 0 && !(fn & 1)) [fn, sn] = [fn >> 1, sn >> 1];
    } else sr = node(sr, c);
    [fn, sn] = [fn >> 1, sn >> 1];
  }
  return fr.equals(rootM) && sr.equals(rootN) && sn === 0;
}
