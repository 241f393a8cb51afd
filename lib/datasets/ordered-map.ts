type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Applies `work` to up to `concurrency` items at once and yields the results in input order. A failure is rethrown
 * when its turn comes, so everything before it is still yielded first.
 */
export async function* orderedMap<T, R>(
  items: Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const iterator = items[Symbol.iterator]();
  const window: Array<Promise<Settled<R>>> = [];
  const start = (item: T) =>
    work(item).then(
      (value): Settled<R> => ({ ok: true, value }),
      (error): Settled<R> => ({ ok: false, error }),
    );
  const limit = Math.max(1, Math.floor(concurrency));
  for (;;) {
    while (window.length < limit) {
      const next = iterator.next();
      if (next.done) break;
      window.push(start(next.value));
    }
    const head = window.shift();
    if (head === undefined) return;
    const result = await head;
    if (!result.ok) throw result.error;
    yield result.value;
  }
}
