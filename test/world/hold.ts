// The `holdUntilOpen` fault (faults.ts): holds matching requests until that many wait at once, then
// lets them all go. A test can then see how many requests a client really keeps open (the route's
// `peak`) without counting on each answer being slow enough for them to overlap.
//
// The gate opens once: a later match of the same fault is not held. It also opens after `capMs`
// with whoever waits, so a client that never opens that many requests shows a low peak (and fails
// its test) instead of hanging the test.

/** What let a held request go: enough requests open at once, the safety cap, or the faults being cleared. */
export type HoldRelease = 'open' | 'cap' | 'cleared';

export const HOLD_RELEASE_HEADER = 'x-world-hold-released-by';

interface Held {
  resolve(by: HoldRelease): void;
  reject(reason: unknown): void;
}

export class OpenGate {
  readonly #size: number;
  readonly #capMs: number;
  /** The server's closing signal: a closing server must not keep held requests (or itself) waiting. */
  readonly #closing: AbortSignal;
  readonly #held: Held[] = [];
  #cap: NodeJS.Timeout | undefined;
  #opened = false;

  constructor(size: number, capMs: number, closing: AbortSignal) {
    this.#size = size;
    this.#capMs = capMs;
    this.#closing = closing;
  }

  /** Resolves with what released the request, or undefined if the gate was already open. */
  wait(): Promise<HoldRelease | undefined> {
    if (this.#opened) return Promise.resolve(undefined);
    if (this.#closing.aborted) return Promise.reject(this.#closing.reason);
    return new Promise((resolve, reject) => {
      this.#held.push({ resolve, reject });
      if (!this.#cap) {
        this.#cap = setTimeout(() => this.open('cap'), this.#capMs);
        // One listener per holding gate, removed when it opens, however many requests it holds.
        this.#closing.addEventListener('abort', this.#abort, { once: true });
      }
      if (this.#held.length >= this.#size) this.open('open');
    });
  }

  /** Lets every held request go; also used when the faults are cleared. */
  open(by: HoldRelease): void {
    for (const held of this.#finish()) held.resolve(by);
  }

  readonly #abort = (): void => {
    for (const held of this.#finish()) held.reject(this.#closing.reason);
  };

  #finish(): Held[] {
    this.#opened = true;
    clearTimeout(this.#cap);
    this.#closing.removeEventListener('abort', this.#abort);
    return this.#held.splice(0);
  }
}
