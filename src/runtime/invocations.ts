/*
 * What to do with a batch, from the invocations that started with its first record before. A record whose
 * invocation dies (process.exit, SIGKILL, out of memory, a native crash) or hangs until the function's
 * timeout never reaches a `catch`: only a count written before the logic runs can tell that it keeps dying.
 */

/** How a batch is processed. */
export type BatchPlan =
  /** Every record, as usual. */
  | { readonly kind: 'all' }
  /** Only the first record; the others are reported failed, so the event source mapping retries them after it. */
  | { readonly kind: 'first-alone' }
  /** The first record is parked without running its logic; the others are processed as usual. */
  | { readonly kind: 'park-first'; readonly diedAlone: number };

/**
 * Plans a batch from the sizes of every batch that started with its first record, this one last.
 *
 * An invocation that started with the record and did not get past it (a crash, a timeout, or the record
 * failing) is followed by another that starts with it; one that got past it is not (the checkpoint moved),
 * except for a redelivery, where parking an applied record changes nothing (its marker exists).
 * A run is the record's own when it ran alone: a batch of one (bisected down to it), or a batch in which
 * only it ran because it had started `maxAttempts` batches already.
 * - fewer than `maxAttempts` runs: the whole batch;
 * - from the `maxAttempts`-th run (the second at least): the record alone, so a batch that keeps dying from another record of it
 *   cannot park the first one;
 * - after `maxAttempts` runs of its own that did not get past it: parked.
 */
export function planBatch(sizes: readonly number[], maxAttempts: number): BatchPlan {
  // A first delivery always runs whole, even with maxAttempts 1.
  const isolateFrom = Math.max(2, maxAttempts);
  const ranAlone = (size: number, run: number) => size === 1 || run >= isolateFrom;
  let diedAlone = 0;
  for (let i = 0; i < sizes.length - 1; i++) {
    if (ranAlone(sizes[i], i + 1)) {
      diedAlone++;
    }
  }
  if (diedAlone >= maxAttempts) {
    return { kind: 'park-first', diedAlone };
  }
  const run = sizes.length;
  return run >= isolateFrom && sizes[run - 1] > 1 ? { kind: 'first-alone' } : { kind: 'all' };
}
