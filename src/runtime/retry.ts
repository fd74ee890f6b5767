/*
 * Retries of throttled or interrupted DynamoDB calls inside the invocation's deadline.
 */

/** Error names of DynamoDB calls that may succeed when sent again. */
const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionInProgressException',
  'TransactionConflictException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
]);

/** Whether a DynamoDB error is worth sending again (throttling, a conflict, a dropped connection). */
export function isRetryable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  return RETRYABLE.has(e?.name ?? '') || RETRYABLE.has(e?.code ?? '') || e?.$retryable !== undefined
    || (e?.$metadata?.httpStatusCode ?? 0) >= 500;
}

/** Cancellation reason codes of `TransactWriteItems` that a retry of the same items may get past. */
export const RETRYABLE_CANCELLATION_CODES = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'InternalServerError']);

/** How to back off between attempts. */
export interface BackoffOptions {
  /** The first wait. @default 20 */
  readonly baseDelayMs?: number;
  /** The longest wait. @default 1000 */
  readonly maxDelayMs?: number;
}

/**
 * Exponential backoff with full jitter: the wait before retry `attempt` (1, 2, ...) is a random time up to
 * `base * 2^(attempt-1)`, capped.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = options.baseDelayMs ?? 20;
  const max = options.maxDelayMs ?? 1000;
  return Math.floor(random() * Math.min(max, base * 2 ** (attempt - 1)));
}

/** Thrown when the deadline comes before a call succeeded; the work was not done (or not known to be done). */
export class DeadlineReachedError extends Error {
  constructor(what: string, public readonly lastError?: unknown) {
    super(`${what}: no time left before the invocation's safety margin${lastError ? ` (last error: ${describe(lastError)})` : ''}.`);
    this.name = 'DeadlineReachedError';
  }
}

/**
 * Calls `fn` until it succeeds, a non-retryable error is thrown, or the time left (`timeLeftMs()`) cannot
 * hold the next wait; never starts a call with no time left.
 */
export async function withRetries<T>(what: string, fn: () => Promise<T>, timeLeftMs: () => number, options: BackoffOptions = {}): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; ; attempt++) {
    if (timeLeftMs() <= 0) {
      throw new DeadlineReachedError(what, lastError);
    }
    try {
      return await fn();
    } catch (err) {
      if (!isRetryable(err)) {
        throw err;
      }
      lastError = err;
    }
    const delay = backoffDelay(attempt, options);
    if (delay >= timeLeftMs()) {
      throw new DeadlineReachedError(what, lastError);
    }
    await sleep(delay);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** An error as `Name: message`, for logs. */
export function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
