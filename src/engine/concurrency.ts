// Bounded parallelism without a dependency: results keep the input order.

/** `fn` over every item, at most `limit` at once, started in the items' order. */
export function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const run = limiter(limit);
  return Promise.all(items.map((item, index) => run(() => fn(item, index))));
}

/** A bound shared by tasks that arrive over time: at most `limit` run at once, the others wait in the order they came. */
export function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  // A finished task hands its slot straight to the next one waiting, if any.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async (task) => {
    if (running < Math.max(1, limit)) running++;
    else await new Promise<void>((start) => waiting.push(start));
    try {
      return await task();
    } finally {
      release();
    }
  };
}
