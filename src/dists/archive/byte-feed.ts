// A reader written as a generator of "read n bytes" / "skip n bytes" requests, fed from a stream's
// chunks as they come. Python's tarfile reads an archive with blocking reads and seeks
// (src/dists/archive/tarfile.ts follows it line by line); a generator lets that code keep tarfile's
// shape while the bytes arrive in pieces. Only what a `read` asks for is held (the caller bounds it);
// skipped bytes are passed to a callback as they pass and never kept.

/** Bytes to hold and hand back whole, or to pass by (each piece given to `into`). */
export type Want = { read: number } | { skip: number; into?: ((piece: Buffer) => void) | undefined };

/**
 * A reader: each yield asks for bytes and receives a Buffer (for `read`) or the count passed by (for
 * `skip`); either is shorter than asked once the data ended, and the reader must then finish.
 */
export type Reader<T> = Generator<Want, T, Buffer | number>;

const EMPTY = Buffer.alloc(0);

export class ByteFeed {
  /** The reader finished: it reads nothing more. */
  done = false;
  readonly #reader: Reader<void>;
  #want: Want | undefined;
  #held: Buffer[] = [];
  #heldBytes = 0;
  #passed = 0;

  constructor(reader: Reader<void>) {
    this.#reader = reader;
    this.#answer(undefined);
  }

  /** Feeds a chunk; returns the part of it the reader took (none of it once done). Throws what the reader throws. */
  take(chunk: Buffer): Buffer {
    let at = 0;
    while (!this.done && at < chunk.length) {
      const want = this.#want as Want;
      if ('read' in want) {
        const piece = chunk.subarray(at, at + want.read - this.#heldBytes);
        this.#held.push(piece);
        this.#heldBytes += piece.length;
        at += piece.length;
        if (this.#heldBytes === want.read) this.#answer(this.#release());
      } else {
        const piece = chunk.subarray(at, at + want.skip - this.#passed);
        want.into?.(piece);
        this.#passed += piece.length;
        at += piece.length;
        if (this.#passed === want.skip) this.#answer(this.#release());
      }
    }
    return chunk.subarray(0, at);
  }

  /** The data ended: every request from now on is answered short, until the reader finishes. */
  end(): void {
    while (!this.done) this.#answer(this.#release());
  }

  /** What the current request got so far, and the request forgotten. */
  #release(): Buffer | number {
    const want = this.#want as Want;
    const got = 'read' in want ? (this.#held.length === 1 ? (this.#held[0] as Buffer) : Buffer.concat(this.#held)) : this.#passed;
    this.#held = [];
    this.#heldBytes = 0;
    this.#passed = 0;
    return got;
  }

  /** Resumes the reader with `value`; requests for nothing are answered at once. */
  #answer(value: Buffer | number | undefined): void {
    let step = this.#reader.next(value as Buffer | number);
    while (!step.done && ('read' in step.value ? step.value.read : step.value.skip) <= 0) {
      step = this.#reader.next('read' in step.value ? EMPTY : 0);
    }
    if (step.done) {
      this.done = true;
      this.#want = undefined;
    } else {
      this.#want = step.value;
    }
  }
}
