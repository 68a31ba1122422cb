// Digests from one read of the file. The upload needs only SHA-256: it is what PyPI checks the
// upload against, what the attestation names and what the simple index lists. MD5 and BLAKE2b-256
// are only shown (print-hash): PyPI computes both itself and uv sends neither, so they are computed
// off the critical path (src/engine/hashes.ts) instead of tripling the time before the first request.
// node:crypto has no BLAKE2b-256 (only blake2b512, and OpenSSL 3 through Node cannot shorten it),
// so BLAKE2b comes from hash-wasm.
//
// Measured on the project machine (page cache warm, Node 24, 1 MiB chunks), MiB/s:
//   read only 1888 · sha256 1668 · md5 763 · BLAKE2b-256 hash-wasm 796 · @noble/hashes 46
//   → sha256 alone ≈ 1.1 s/GiB including the read; all three ≈ 2.8 s/GiB.

import { createHash } from 'node:crypto';
import { createBLAKE2b } from 'hash-wasm';
import { BufferPool } from '../io/buffer-pool.ts';
import { fileChunks } from '../io/file-chunks.ts';
import { DIGEST_BUFFERS_KEPT } from '../tunables.ts';
import type { Digests } from './types.ts';

export type DigestName = keyof Digests;

export interface MultiHasher<K extends DigestName> {
  update(chunk: Uint8Array): void;
  digest(): Pick<Required<Digests>, K>;
}

interface OneHasher {
  update(chunk: Uint8Array): unknown;
  digest(encoding: 'hex'): string;
}

async function hasherFor(name: DigestName): Promise<OneHasher> {
  if (name === 'blake2b256') {
    const blake = await createBLAKE2b(256);
    blake.init();
    return blake;
  }
  return createHash(name);
}

export async function createMultiHasher<K extends DigestName = 'sha256'>(names: readonly K[] = ['sha256'] as unknown as K[]): Promise<MultiHasher<K>> {
  const hashers = await Promise.all(names.map(hasherFor));
  return {
    update(chunk) {
      for (const h of hashers) h.update(chunk);
    },
    digest: () => Object.fromEntries(names.map((n, i) => [n, hashers[i]!.digest('hex')])) as Pick<Required<Digests>, K>,
  };
}

/** The SHA-256 of bytes already in memory. */
export function digestBytes(bytes: Uint8Array): Pick<Digests, 'sha256'> {
  return { sha256: createHash('sha256').update(bytes).digest('hex') };
}

// One BLAKE2b hasher for every small dist: each new one instantiates its WebAssembly module.
let sharedBlake: ReturnType<typeof createBLAKE2b> | undefined;

/**
 * All three digests of bytes already in memory. Between init() and digest() nothing awaits, so
 * the shared BLAKE2b hasher serves one dist at a time.
 */
export async function digestBytesAll(bytes: Uint8Array): Promise<Required<Digests>> {
  const blake = await (sharedBlake ??= createBLAKE2b(256));
  blake.init();
  blake.update(bytes);
  return { ...digestBytes(bytes), md5: createHash('md5').update(bytes).digest('hex'), blake2b256: blake.digest('hex') };
}

// 1 MiB reads: few calls and wasm crossings. The hashers copy what they are given, so a file's
// buffers serve the next file once the loop over its chunks has ended (fileChunks awaits its read).
const readBuffers = new BufferPool(1 << 20, DIGEST_BUFFERS_KEPT);

/**
 * Runs `work`, which hashes files one after another, with the read buffers kept from one file to the
 * next: otherwise each file's end leaves its buffers to the collector (no other file being read), and
 * print-hash's reads of 100 dists of 1 MiB made 100 MB of garbage.
 */
export async function keepingReadBuffers<T>(work: () => Promise<T>): Promise<T> {
  const held = readBuffers.lease();
  try {
    return await work();
  } finally {
    held.end(false);
  }
}

/** Digests of a whole file, read through a ring of buffers reused from file to file. */
export async function digestFile<K extends DigestName = 'sha256'>(
  path: string,
  names?: readonly K[],
  expectedSize?: number,
): Promise<Pick<Required<Digests>, K>> {
  const h = await createMultiHasher(names);
  const lease = readBuffers.lease();
  try {
    for await (const chunk of fileChunks(path, { lease, ...(expectedSize === undefined ? {} : { expectedSize }) })) h.update(chunk);
  } finally {
    lease.end(true);
  }
  return h.digest();
}
