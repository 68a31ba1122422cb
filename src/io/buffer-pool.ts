// Read buffers handed from one file to the next. A ring of src/io/file-chunks.ts is only a few
// buffers, but each file read got a ring of its own, and V8 frees a dead buffer only when a garbage
// collection runs, which external memory starts only after tens of MB of growth: hashing 30 dists of
// 20 MiB left ~40 MB of dead 1 MiB buffers at bench (e)'s peak, and their uploads ~20 MB more. A
// pool lets the next file reuse them. It keeps buffers only while some file is still being read:
// once the last lease ends, what it held is left to the collector, so a run that reads one file at
// a time holds nothing between them, unless it holds a lease of its own for the whole loop
// (src/dists/digest.ts, keepingReadBuffers).

/** Buffers of one size, lent file by file. */
export class BufferPool {
  readonly size: number;
  readonly #keep: number;
  readonly #free: Buffer[] = [];
  #leases = 0;

  /** `keep`: how many free buffers are held for later; one given back beyond that is left to the collector. */
  constructor(size: number, keep: number) {
    this.size = size;
    this.#keep = keep;
  }

  /** A lease for reading one file; its buffers come back with `end()`. */
  lease(): BufferLease {
    this.#leases++;
    return new BufferLease(
      this.size,
      () => this.#free.pop() ?? Buffer.allocUnsafeSlow(this.size),
      (buffers, reuse) => this.#end(buffers, reuse),
    );
  }

  #end(buffers: Buffer[], reuse: boolean): void {
    this.#leases--;
    if (this.#leases === 0) this.#free.length = 0;
    else if (reuse) for (const buffer of buffers) if (this.#free.length < this.#keep) this.#free.push(buffer);
  }
}

/** The buffers one file's reading took from a pool. */
export class BufferLease {
  readonly size: number;
  readonly #take: () => Buffer;
  readonly #end: (buffers: Buffer[], reuse: boolean) => void;
  readonly #buffers: Buffer[] = [];
  #ended = false;

  constructor(size: number, take: () => Buffer, end: (buffers: Buffer[], reuse: boolean) => void) {
    this.size = size;
    this.#take = take;
    this.#end = end;
  }

  take(): Buffer {
    const buffer = this.#take();
    this.#buffers.push(buffer);
    return buffer;
  }

  /**
   * Ends the lease once. `reuse`: nothing refers to the bytes any more (no read in flight, no chunk
   * held, nothing queued on a socket), so another file may read into them; otherwise they are left
   * to the collector.
   */
  end(reuse: boolean): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#end(this.#buffers.splice(0), reuse);
  }
}
