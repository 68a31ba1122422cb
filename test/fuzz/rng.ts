// A seeded PRNG (mulberry32): the same seed gives the same mutants, so a failure can be replayed.
export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

/** Sizes and offsets a hostile archive claims: edges of 16, 31, 32 and 64 bits, and of the file. */
export function hostileNumber(rng: Rng, fileSize: number): number {
  return rng.pick([
    0,
    1,
    0xffff,
    0x7fffffff,
    0x80000000,
    0x90000000,
    0xfffffffe,
    0xffffffff,
    fileSize - 1,
    fileSize,
    fileSize + 1,
    rng.int(fileSize + 1),
    rng.int(0x100000000),
  ]);
}

/** 64-bit claims, beyond what a JavaScript number holds exactly. */
export function hostileBig(rng: Rng, fileSize: number): bigint {
  return rng.pick([
    0n,
    1n,
    BigInt(fileSize),
    BigInt(fileSize) + 1n,
    0xffffffffn,
    0x100000000n,
    2n ** 53n + 1n,
    2n ** 63n,
    2n ** 64n - 1n,
    BigInt(rng.int(fileSize + 1)),
  ]);
}

/** Member names PyPI or an installer must not take at face value. */
export const HOSTILE_NAMES = [
  '../../../etc/passwd',
  '/etc/passwd',
  'a/../../b',
  'a\\..\\..\\b',
  'C:\\Windows\\x',
  'nul\u0000byte',
  'new\nline::error::x',
  '::add-mask::x',
  '\u202eevil',
  'ａｂｃ/ＰＫＧ-ＩＮＦＯ',
  '.',
  '..',
  '',
  '/',
  '//',
  'x/',
  ' ',
  '\u00ff\u00fe',
  'a'.repeat(300),
];
