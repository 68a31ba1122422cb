// An append-only RFC 6962 Merkle tree (leaf = H(0x00‖data), node = H(0x01‖l‖r)) with inclusion proofs,
// so that verifiers walk real audit paths instead of the mock's one-leaf tree.
import { createHash } from 'node:crypto';

const sha256 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

export const leafHash = (data: Buffer): Buffer => sha256(Buffer.from([0]), data);
const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(Buffer.from([1]), left, right);

// Largest power of two strictly less than n (n ≥ 2): RFC 6962's split point.
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export class MerkleTree {
  readonly #leaves: Buffer[] = [];
  // Hashes of complete subtrees (2^k leaves from a multiple of 2^k), keyed "start/n": appending never
  // changes them, so a root or audit path costs O(log n) hashes instead of rehashing the whole log on
  // every entry (the bench's log reaches thousands of entries).
  readonly #complete = new Map<string, Buffer>();

  get size(): number {
    return this.#leaves.length;
  }

  /** Appends an entry's data; returns its index. */
  append(data: Buffer): number {
    this.#leaves.push(leafHash(data));
    return this.#leaves.length - 1;
  }

  /** Root of the first `size` leaves (MTH in RFC 6962 §2.1). */
  root(size = this.size): Buffer {
    return this.#hash(0, size);
  }

  /** Audit path for leaf `index` in the tree of the first `size` leaves, bottom-up (RFC 6962 §2.1.1). */
  proof(index: number, size = this.size): Buffer[] {
    if (index < 0 || index >= size || size > this.size) throw new RangeError(`no leaf ${index} in a tree of ${size}`);
    return this.#path(index, 0, size);
  }

  /**
   * Consistency proof from the tree of the first `first` leaves to that of the first `second`
   * (RFC 6962 §2.1.2, PROOF(m, D[n])): what trillian serves for Rekor's /api/v1/log/proof.
   */
  consistency(first: number, second = this.size): Buffer[] {
    if (first < 1 || first > second || second > this.size) throw new RangeError(`no consistency proof from ${first} to ${second} in a tree of ${this.size}`);
    return this.#subproof(first, 0, second, true);
  }

  /** SUBPROOF(m, D[start:start+n], whole) of RFC 6962 §2.1.2. */
  #subproof(m: number, start: number, n: number, whole: boolean): Buffer[] {
    if (m === n) return whole ? [] : [this.#hash(start, n)];
    const k = split(n);
    return m <= k
      ? [...this.#subproof(m, start, k, whole), this.#hash(start + k, n - k)]
      : [...this.#subproof(m - k, start + k, n - k, false), this.#hash(start, k)];
  }

  #hash(start: number, n: number): Buffer {
    if (n === 0) return sha256();
    if (n === 1) return this.#leaves[start] as Buffer;
    const complete = (n & (n - 1)) === 0;
    const key = `${start}/${n}`;
    const known = complete ? this.#complete.get(key) : undefined;
    if (known) return known;
    const k = split(n);
    const hash = nodeHash(this.#hash(start, k), this.#hash(start + k, n - k));
    if (complete) this.#complete.set(key, hash);
    return hash;
  }

  #path(m: number, start: number, n: number): Buffer[] {
    if (n === 1) return [];
    const k = split(n);
    return m < k ? [...this.#path(m, start, k), this.#hash(start + k, n - k)] : [...this.#path(m - k, start + k, n - k), this.#hash(start, k)];
  }
}
