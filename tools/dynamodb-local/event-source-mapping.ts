import { ChildProcess, spawn } from 'child_process';
import { createHash, randomUUID } from 'crypto';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { matchesPattern } from './filter-pattern';
import type { ShardRecords } from './streams';

/*
 * A model of a Lambda event source mapping on a DynamoDB stream, for tests and demos on DynamoDB Local.
 * Each rule below cites the Lambda Developer Guide page it follows:
 * - [params]   Lambda parameters for Amazon DynamoDB event source mappings
 *              https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html
 * - [polling]  Using AWS Lambda with Amazon DynamoDB: polling and batching streams, concurrent reads of a shard
 *              https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 * - [partial]  Configuring partial batch response with DynamoDB and Lambda
 *              https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 * - [errors]   Retaining discarded records for a DynamoDB event source in Lambda
 *              https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
 * Where the guide is silent, the model chooses the reading that never skips a record silently, and says so.
 */

/**
 * A handler in the Lambda signature. The model aborts `signal` when the function times out: an in-process
 * function is abandoned (its promise is no longer awaited), a `processFunction` is killed.
 */
export type StreamFunction = ((event: DynamoDBStreamEvent, context: Context, signal?: AbortSignal) => Promise<unknown>) & {
  /** The init phase (a cold start), awaited before the invocation's timeout starts, as Lambda times init apart. */
  readonly init?: () => Promise<void>;
};

/** Settings of the modelled event source mapping, with the names `TableStreamConsumer` renders. */
export interface MappingSettings {
  /** `BatchSize`: the most records per invocation (1 to 10,000). */
  readonly batchSize: number;
  /** `BisectBatchOnFunctionError`. */
  readonly bisectBatchOnError: boolean;
  /** `MaximumRetryAttempts`: -1 retries until the records expire (then bounded only by `maxInvocations`). */
  readonly retryAttempts: number;
  /** `FunctionResponseTypes: [ReportBatchItemFailures]`. @default true (TableStreamConsumer always sets it) */
  readonly reportBatchItemFailures?: boolean;
  /** `MaximumBatchingWindowInSeconds`. @default 0 */
  readonly maxBatchingWindowSeconds?: number;
  /** `MaximumRecordAgeInSeconds`: -1 is no limit. @default -1 */
  readonly maxRecordAgeSeconds?: number;
  /** `ParallelizationFactor` (1 to 10). @default 1 */
  readonly parallelizationFactor?: number;
  /** The function's `Timeout`. @default 3 (Lambda's default function timeout) */
  readonly functionTimeoutSeconds?: number;
  /** The `FilterCriteria` patterns (parsed JSON); a record must match one. @default - every record */
  readonly filterPatterns?: any[];
}

/** Options of the model that are not mapping settings. */
export interface MappingOptions {
  /** The function name the context and on-failure messages carry. @default 'stream-consumer' */
  readonly functionName?: string;
  /** The stream ARN on-failure messages carry. @default - the records' `eventSourceARN` */
  readonly streamArn?: string;
  /** The clock record ages are measured with, in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /**
   * When the mapping starts polling, in epoch milliseconds: records that arrived before are a backlog and
   * fill whole batches; later records are batched by their arrival time and the batching window.
   * @default - now(), when the model is created
   */
  readonly startTime?: number;
  /** A guard against endless retries (`retryAttempts: -1` with a clock that never moves). @default 10000 */
  readonly maxInvocations?: number;
}

/** How one invocation ended. */
export type InvocationOutcome = 'success' | 'partial' | 'error' | 'timeout' | 'invalid-response';

/** One invocation of the function. */
export interface Invocation {
  readonly shardId: string;
  /** The concurrent batch of the shard (0 to parallelizationFactor - 1) the records belong to. */
  readonly lane: number;
  readonly size: number;
  readonly firstSequenceNumber: string;
  readonly lastSequenceNumber: string;
  /** How many retry attempts this batch had consumed before this invocation. */
  readonly retriesBefore: number;
  readonly outcome: InvocationOutcome;
  /** Records reported failed: the whole batch unless the outcome is `success` or `partial`. */
  readonly failedRecords: number;
  /** The error, the timeout, or why the response was refused. */
  readonly reason?: string;
}

/** Why the mapping gave records up. */
export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/**
 * The message an SQS or SNS on-failure destination receives: metadata about the batch, never the records
 * themselves (to get them, read the stream from `startSequenceNumber` within its 24-hour retention). [errors]
 */
export interface OnFailureMessage {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: DiscardCondition;
    readonly approximateInvokeCount: number;
  };
  /** Absent when the records were discarded without being invoked again (`RecordAgeExceeded`). */
  readonly responseContext?: {
    readonly statusCode: number;
    readonly executedVersion: string;
    readonly functionError?: string;
  };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly DDBStreamBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly approximateArrivalOfFirstRecord?: string;
    readonly approximateArrivalOfLastRecord?: string;
    readonly batchSize: number;
    readonly streamArn?: string;
  };
}

/** Records the mapping gave up on: where they are in the stream, and the message the destination got. */
export interface OnFailureRecord {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly batchSize: number;
  readonly condition: DiscardCondition;
  readonly message: OnFailureMessage;
}

/** The invocation payload limit of a synchronous invocation, which bounds a batch. [polling] */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const DEFAULT_TIMEOUT_SECONDS = 3;

type Result =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; readonly checkpoint: number }
  | { readonly kind: 'failure'; readonly functionError: boolean };

interface Lane {
  readonly shardId: string;
  readonly lane: number;
}

/**
 * A model of a Lambda event source mapping on a DynamoDB stream. Per shard, and per concurrent batch of a
 * shard when `parallelizationFactor` > 1:
 * - batches of up to `batchSize` records and 6 MB, gathered for up to the batching window [params, polling];
 * - records older than `maxRecordAgeSeconds` are discarded before an invocation [params, errors];
 * - a partial batch response checkpoints at its lowest failed sequence number and the rest is retried;
 *   an empty, null or unknown `itemIdentifier` fails the whole batch [partial];
 * - a failed invocation (error, timeout, refused response) is retried; with bisect it is split in two,
 *   and a partial response with bisect is split at the checkpoint; splitting consumes no retry attempt,
 *   retrying does [partial, errors];
 * - after `retryAttempts` retries the records go to the on-failure destination as metadata [errors].
 */
export class LocalEventSourceMapping {
  public readonly invocations: Invocation[] = [];
  public readonly onFailure: OnFailureRecord[] = [];

  private readonly now: () => number;
  private readonly startTime: number;
  private readonly functionName: string;
  private readonly invokeCounts = new Map<string, number>();

  constructor(private readonly fn: StreamFunction, private readonly settings: MappingSettings, private readonly options: MappingOptions = {}) {
    validateSettings(settings);
    this.now = options.now ?? Date.now;
    this.startTime = options.startTime ?? this.now();
    this.functionName = options.functionName ?? 'stream-consumer';
  }

  /** Delivers the records of one shard as the mapping would, and resolves when every record is processed or given up on. */
  public async deliver(shard: ShardRecords): Promise<void> {
    // Lambda drops records that match no filter before batching them. [params: FilterCriteria]
    const patterns = this.settings.filterPatterns ?? [];
    const records = patterns.length === 0 ? shard.records : shard.records.filter((r) => patterns.some((p) => matchesPattern(p, r)));
    // "Lambda still ensures in-order processing at the item (partition and sort key) level" with concurrent
    // batches [polling]: the model sends each item key to one of `parallelizationFactor` lanes by a hash of
    // its key, and processes the lanes at the same time. (Lambda does not document its assignment.)
    const factor = this.settings.parallelizationFactor ?? 1;
    const lanes: DynamoDBRecord[][] = Array.from({ length: factor }, () => []);
    for (const record of records) {
      lanes[factor === 1 ? 0 : laneOf(record, factor)].push(record);
    }
    await Promise.all(lanes.map((laneRecords, lane) => this.deliverLane({ shardId: shard.shardId, lane }, laneRecords)));
  }

  private async deliverLane(lane: Lane, records: DynamoDBRecord[]): Promise<void> {
    let closedAt = this.startTime;
    for (let i = 0; i < records.length;) {
      const { size, closesAt } = this.nextBatch(records, i, closedAt);
      closedAt = closesAt;
      await this.process(lane, records.slice(i, i + size), 0);
      i += size;
    }
  }

  /**
   * A batch closes when it holds `batchSize` records, when the next record would take the payload over
   * 6 MB, or when the batching window that opened with its first record has passed. [params, polling]
   */
  private nextBatch(records: DynamoDBRecord[], from: number, previousClose: number): { size: number; closesAt: number } {
    const opens = Math.max(arrivalOf(records[from]), previousClose);
    const closesAt = opens + (this.settings.maxBatchingWindowSeconds ?? 0) * 1000;
    let bytes = Buffer.byteLength('{"Records":[]}');
    let size = 0;
    while (from + size < records.length && size < this.settings.batchSize) {
      const record = records[from + size];
      const recordBytes = Buffer.byteLength(JSON.stringify(record)) + (size > 0 ? 1 : 0);
      if (size > 0 && (bytes + recordBytes > MAX_PAYLOAD_BYTES || arrivalOf(record) > closesAt)) {
        break;
      }
      bytes += recordBytes;
      size++;
    }
    return { size, closesAt };
  }

  /** Processes one batch until it succeeds or is given up on; `retries` is the retry attempts it has consumed. */
  private async process(lane: Lane, batch: DynamoDBRecord[], retries: number): Promise<void> {
    let current = batch;
    while (current.length > 0) {
      const expired = this.expiredPrefix(current);
      if (expired > 0) {
        this.discard(lane, current.slice(0, expired), 'RecordAgeExceeded');
        current = current.slice(expired);
        continue;
      }
      const result = await this.invoke(lane, current, retries);
      if (result.kind === 'success') {
        return;
      }
      if (result.kind === 'partial') {
        // "If the batchItemFailures array contains multiple items, Lambda uses the record with the lowest
        // sequence number as the checkpoint. Lambda then retries all records starting from that checkpoint." [partial]
        // With bisect on, "the batch is bisected at the returned sequence number and Lambda retries only the
        // remaining records" [partial], and splitting a batch does not consume the retry quota [errors]; when the
        // first record failed there is nothing to split off, so that is a retry.
        const rest = current.slice(result.checkpoint);
        if (this.settings.bisectBatchOnError && result.checkpoint > 0) {
          current = rest;
          continue;
        }
        if (this.exhausted(retries)) {
          this.discard(lane, rest, 'RetryAttemptsExhausted', false);
          return;
        }
        retries++;
        current = rest;
        continue;
      }
      // "If your invocation fails and BisectBatchOnFunctionError is turned on, the batch is bisected regardless
      // of your ReportBatchItemFailures setting." [partial] The halves keep the batch's retry count: splitting
      // "does not consume the retry quota" [errors]. A response that fails the whole batch is treated the same.
      if (this.settings.bisectBatchOnError && current.length > 1) {
        const half = Math.ceil(current.length / 2);
        await this.process(lane, current.slice(0, half), retries);
        current = current.slice(half);
        continue;
      }
      if (this.exhausted(retries)) {
        this.discard(lane, current, 'RetryAttemptsExhausted', result.functionError);
        return;
      }
      retries++;
    }
  }

  /** `MaximumRetryAttempts`: -1 means "retried until the record expires". [params] */
  private exhausted(retries: number): boolean {
    return this.settings.retryAttempts >= 0 && retries >= this.settings.retryAttempts;
  }

  /**
   * How many records at the head of the batch are older than `MaximumRecordAgeInSeconds` (-1: no limit) [params];
   * a stream's records are in creation order, so the expired ones come first.
   */
  private expiredPrefix(batch: DynamoDBRecord[]): number {
    const maxAge = this.settings.maxRecordAgeSeconds ?? -1;
    if (maxAge < 0) {
      return 0;
    }
    const now = this.now();
    let n = 0;
    while (n < batch.length && batch[n].dynamodb?.ApproximateCreationDateTime !== undefined
      && now - batch[n].dynamodb!.ApproximateCreationDateTime! * 1000 > maxAge * 1000) {
      n++;
    }
    return n;
  }

  private async invoke(lane: Lane, batch: DynamoDBRecord[], retriesBefore: number): Promise<Result> {
    if (this.invocations.length >= (this.options.maxInvocations ?? 10_000)) {
      throw new Error(`LocalEventSourceMapping stopped after ${this.invocations.length} invocations (\`maxInvocations\`): `
        + 'with `retryAttempts: -1` a failing record is retried until it is older than `maxRecordAgeSeconds`; bound the retries or move the clock.');
    }
    for (const r of batch) {
      this.invokeCounts.set(seq(r), (this.invokeCounts.get(seq(r)) ?? 0) + 1);
    }
    await this.fn.init?.();
    const timeoutMs = (this.settings.functionTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    const deadline = Date.now() + timeoutMs;
    const abort = new AbortController();
    const record = (outcome: InvocationOutcome, failedRecords: number, reason?: string) => this.invocations.push({
      shardId: lane.shardId,
      lane: lane.lane,
      size: batch.length,
      firstSequenceNumber: seq(batch[0]),
      lastSequenceNumber: seq(batch[batch.length - 1]),
      retriesBefore,
      outcome,
      failedRecords,
      reason,
    });

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const running = Promise.resolve()
      .then(() => this.fn({ Records: batch }, invocationContext(this.functionName, deadline), abort.signal))
      .then((value) => ({ value }), (error: unknown) => ({ error }));
    let settled: { value?: unknown; error?: unknown } | 'timeout';
    try {
      settled = await Promise.race([running, timedOut]);
    } finally {
      clearTimeout(timer);
    }
    if (settled === 'timeout') {
      // A timed-out invocation is a function error; Lambda stops the function. The model aborts the signal
      // and no longer awaits the invocation.
      abort.abort(new Error(`Task timed out after ${timeoutMs / 1000} seconds`));
      record('timeout', batch.length, `Task timed out after ${timeoutMs / 1000} seconds`);
      return { kind: 'failure', functionError: true };
    }
    if ('error' in settled) {
      record('error', batch.length, describe(settled.error));
      return { kind: 'failure', functionError: true };
    }
    const response = parseResponse(settled.value, batch, this.settings.reportBatchItemFailures ?? true);
    if ('invalid' in response) {
      record('invalid-response', batch.length, response.invalid);
      return { kind: 'failure', functionError: false };
    }
    if (response.failed === 0) {
      record('success', 0);
      return { kind: 'success' };
    }
    record('partial', response.failed);
    return { kind: 'partial', checkpoint: response.checkpoint };
  }

  private discard(lane: Lane, records: DynamoDBRecord[], condition: DiscardCondition, functionError?: boolean): void {
    const first = records[0];
    const last = records[records.length - 1];
    const arrival = (r: DynamoDBRecord) => (r.dynamodb?.ApproximateCreationDateTime !== undefined
      ? new Date(r.dynamodb.ApproximateCreationDateTime * 1000).toISOString() : undefined);
    const message: OnFailureMessage = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: functionArn(this.functionName),
        condition,
        approximateInvokeCount: this.invokeCounts.get(seq(first)) ?? 0,
      },
      ...(condition === 'RetryAttemptsExhausted' ? {
        responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(functionError ? { functionError: 'Unhandled' } : {}) },
      } : {}),
      version: '1.0',
      timestamp: new Date(this.now()).toISOString(),
      DDBStreamBatchInfo: {
        shardId: lane.shardId,
        startSequenceNumber: seq(first),
        endSequenceNumber: seq(last),
        approximateArrivalOfFirstRecord: arrival(first),
        approximateArrivalOfLastRecord: arrival(last),
        batchSize: records.length,
        streamArn: this.options.streamArn ?? first.eventSourceARN,
      },
    };
    this.onFailure.push({
      shardId: lane.shardId,
      startSequenceNumber: seq(first),
      endSequenceNumber: seq(last),
      batchSize: records.length,
      condition,
      message,
    });
  }
}

/**
 * Reads a response as Lambda does with `ReportBatchItemFailures` [partial]:
 * - a complete success: a null or empty response, a null or empty `batchItemFailures`;
 * - a complete failure: an empty string or null `itemIdentifier`, or a misspelt key name (so no `itemIdentifier`).
 * The guide does not say what an `itemIdentifier` that is no sequence number of the batch, a `batchItemFailures`
 * that is no list, or a response that is no object do: the model fails the whole batch, which never skips a record.
 * Without `ReportBatchItemFailures`, "Lambda does not process these responses" [partial]: a returned value is a success.
 */
function parseResponse(response: unknown, batch: DynamoDBRecord[], reportBatchItemFailures: boolean):
{ failed: number; checkpoint: number } | { invalid: string } {
  const none = { failed: 0, checkpoint: -1 };
  if (!reportBatchItemFailures || response === undefined || response === null) {
    return none;
  }
  if (typeof response !== 'object' || Array.isArray(response)) {
    return { invalid: `the response ${JSON.stringify(response)} is not an object` };
  }
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) {
    return none;
  }
  if (!Array.isArray(failures)) {
    return { invalid: `batchItemFailures is ${JSON.stringify(failures)}, not a list` };
  }
  const positions = batch.map(seq);
  let checkpoint = Number.POSITIVE_INFINITY;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (id === undefined || id === null || id === '') {
      return { invalid: `an itemIdentifier is ${id === '' ? 'empty' : 'missing or null'} in ${JSON.stringify(failure)}` };
    }
    const index = typeof id === 'string' ? positions.indexOf(id) : -1;
    if (index < 0) {
      return { invalid: `the itemIdentifier ${JSON.stringify(id)} is no sequence number of the batch` };
    }
    // Sequence numbers grow along the shard, so the lowest failed one is the earliest position.
    checkpoint = Math.min(checkpoint, index);
  }
  return failures.length === 0 ? none : { failed: failures.length, checkpoint };
}

function validateSettings(s: MappingSettings): void {
  const check = (name: string, value: number | undefined, min: number, max: number) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
      throw new Error(`LocalEventSourceMapping: \`${name}\` is ${value}; Lambda allows whole numbers from ${min} to ${max}.`);
    }
  };
  // Ranges from [params].
  check('batchSize', s.batchSize, 1, 10_000);
  check('retryAttempts', s.retryAttempts, -1, 10_000);
  check('maxBatchingWindowSeconds', s.maxBatchingWindowSeconds, 0, 300);
  check('maxRecordAgeSeconds', s.maxRecordAgeSeconds, -1, 604_800);
  check('parallelizationFactor', s.parallelizationFactor, 1, 10);
  if (s.functionTimeoutSeconds !== undefined && !(s.functionTimeoutSeconds > 0 && s.functionTimeoutSeconds <= 900)) {
    throw new Error(`LocalEventSourceMapping: \`functionTimeoutSeconds\` is ${s.functionTimeoutSeconds}; a Lambda function times out after 1 to 900 seconds.`);
  }
}

function seq(record: DynamoDBRecord): string {
  const n = record.dynamodb?.SequenceNumber;
  if (!n) {
    throw new Error(`LocalEventSourceMapping: record ${record.eventID} has no dynamodb.SequenceNumber; stream records always carry one.`);
  }
  return n;
}

/** When a record reached the stream, in epoch milliseconds (0 when unknown: it is there from the start). */
function arrivalOf(record: DynamoDBRecord): number {
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  return seconds === undefined ? 0 : seconds * 1000;
}

/** The lane of an item key: a hash of its key attributes, so every record of one item goes to one lane. */
function laneOf(record: DynamoDBRecord, factor: number): number {
  const keys = record.dynamodb?.Keys ?? {};
  const text = JSON.stringify(Object.keys(keys).sort().map((k) => [k, keys[k]]));
  return parseInt(createHash('sha256').update(text).digest('hex').slice(0, 8), 16) % factor;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function functionArn(functionName: string): string {
  return `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`;
}

function invocationContext(functionName: string, deadline: number): Context {
  return {
    ...fakeContext(functionName),
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/**
 * A Lambda context outside the mapping. Its remaining time counts down from `timeoutMs` from the moment
 * the context is made, as an invocation's deadline does.
 */
export function fakeContext(functionName = 'stream-consumer', timeoutMs = 60_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn(functionName),
    memoryLimitInMB: '512',
    awsRequestId: 'local',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Options of `processFunction`. */
export interface ProcessFunctionOptions {
  /** The exported handler's name. @default 'handler' */
  readonly handlerName?: string;
  /** The function's environment, added to this process's. @default - none */
  readonly env?: Record<string, string>;
}

/** A `StreamFunction` running in a child process; `close()` stops the process. */
export interface ProcessFunction extends StreamFunction {
  /** How many processes were started: 1 plus one per timeout (a killed sandbox starts cold). */
  readonly starts: number;
  close(): void;
}

/** The child's side: load the handler once, run each invocation with the parent's deadline. */
const RUNNER = `
const handler = require(process.env.LOCAL_ESM_MODULE)[process.env.LOCAL_ESM_HANDLER];
process.send({ ready: true });
process.on('message', async ({ id, event, context, deadline }) => {
  const ctx = { ...context, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {}, fail() {}, succeed() {} };
  try {
    const value = await handler(event, ctx);
    process.send({ id, value: value === undefined ? null : value });
  } catch (e) {
    process.send({ id, error: (e && e.name ? e.name + ': ' : '') + (e && e.message ? e.message : String(e)) });
  }
});
`;

/**
 * Runs a bundled handler in a child process, kept warm between invocations as a Lambda sandbox is. When the
 * mapping aborts an invocation (its function timeout), the process is killed with SIGKILL, as Lambda stops
 * a timed-out function: writes the handler had not made yet never happen. The next invocation starts a new process.
 */
export function processFunction(modulePath: string, options: ProcessFunctionOptions = {}): ProcessFunction {
  let child: ChildProcess | undefined;
  let ready: Promise<void> | undefined;
  let starts = 0;
  let nextId = 0;
  const alive = () => child !== undefined && child.exitCode === null && child.signalCode === null && !child.killed;
  const start = (): ChildProcess => {
    starts++;
    const c = spawn(process.execPath, ['-e', RUNNER], {
      env: { ...process.env, ...options.env, LOCAL_ESM_MODULE: modulePath, LOCAL_ESM_HANDLER: options.handlerName ?? 'handler' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    c.unref();
    ready = new Promise<void>((resolve, reject) => {
      c.once('message', () => resolve());
      c.once('exit', (code, sig) => reject(new Error(`The function process exited (${sig ?? code}) while loading ${modulePath}`)));
    });
    // Awaited by init(); a process killed before it loaded must not be an unhandled rejection.
    ready.catch(() => undefined);
    return c;
  };
  const init = async () => {
    if (!alive()) {
      child = start();
    }
    await ready;
  };
  const invoke = (event: DynamoDBStreamEvent, context: Context, signal?: AbortSignal) => new Promise<unknown>((resolve, reject) => {
    if (!alive()) {
      child = start();
    }
    const c = child!;
    const id = nextId++;
    const { getRemainingTimeInMillis, done, fail, succeed, ...plain } = context;
    const onMessage = (m: { id: number; value?: unknown; error?: string }) => {
      if (m.id !== id) {
        return;
      }
      cleanup();
      return m.error !== undefined ? reject(new Error(m.error)) : resolve(m.value);
    };
    const onExit = (code: number | null, sig: string | null) => {
      cleanup();
      reject(new Error(`The function process exited (${sig ?? code}) during the invocation`));
    };
    const onAbort = () => {
      cleanup();
      c.kill('SIGKILL');
      reject(signal!.reason);
    };
    const cleanup = () => {
      c.off('message', onMessage);
      c.off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
    };
    c.on('message', onMessage);
    c.on('exit', onExit);
    signal?.addEventListener('abort', onAbort);
    c.send({ id, event, context: plain, deadline: Date.now() + getRemainingTimeInMillis() });
  });
  const fn = Object.assign(invoke, { init, close: () => void child?.kill('SIGKILL') });
  return Object.defineProperty(fn, 'starts', { get: () => starts }) as ProcessFunction;
}
