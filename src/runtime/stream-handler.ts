/*
 * Lambda-side helpers for DynamoDB stream consumers, built on Powertools for AWS Lambda (TypeScript).
 * Not part of the construct library's jsii API: import them from
 * 'cdk-dynamodb-blueprints-runtime/stream-handler' in a handler bundled with NodejsFunction, with
 * @aws-lambda-powertools/batch, @aws-lambda-powertools/idempotency and @aws-sdk/lib-dynamodb installed.
 */
// The handler's app installs and bundles Powertools; the construct library must not depend on it.
/* eslint-disable import/no-extraneous-dependencies */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBPersistenceOptions } from '@aws-lambda-powertools/idempotency/dynamodb/types';
import type { IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { Logger } from '@aws-lambda-powertools/logger';
/* eslint-enable import/no-extraneous-dependencies */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { IDEMPOTENCY_TABLE_ENV } from './environment';
import { itemKeyOf } from './parked-records';
import { BackoffOptions, DeadlineReachedError, describe, withRetries } from './retry';

export { IDEMPOTENCY_TABLE_ENV } from './environment';
export { itemKeyOf } from './parked-records';

/**
 * How the records of a batch are processed.
 * - `per-key`: records of one item key one after the other, in stream order; different keys at the same time.
 * - `in-order`: one record after the other (Powertools `processInParallel: false`).
 * - `parallel`: all records at the same time (Powertools' default), which loses the per-key order.
 */
export type RecordOrdering = 'per-key' | 'in-order' | 'parallel';

/** Processes one stream record; throw to fail it. */
export type RecordHandler = (record: DynamoDBRecord, context?: Context) => Promise<unknown>;

/** Options of `createStreamHandler`. */
export interface StreamHandlerOptions {
  /** @default 'per-key' */
  readonly ordering?: RecordOrdering;
  /**
   * Apply each record at most once, keyed on its `eventID`, with Powertools idempotency.
   * @default true
   */
  readonly idempotency?: boolean;
  /** @default process.env.IDEMPOTENCY_TABLE_NAME */
  readonly idempotencyTableName?: string;
  /**
   * How long a processed record is remembered. A stream keeps records 24 hours, so no redelivery comes later.
   * @default 86400
   */
  readonly idempotencyExpiresAfterSeconds?: number;
  /** The client the idempotency layer uses. @default - a new client */
  readonly dynamoDBClient?: DynamoDBClient;
  /** With `per-key`, how many item keys are processed at the same time. @default 16 */
  readonly maxConcurrency?: number;
  /** No record is started with less than this left of the invocation; it is reported as a failure instead. @default 3000 */
  readonly safetyMarginMs?: number;
  /** Structured logs of failed records. @default - a Powertools Logger, service `stream-consumer` */
  readonly logger?: Logger;
  /** How throttled or interrupted idempotency-store calls back off between attempts. @default - 20 ms doubling up to 1 s, with jitter */
  readonly backoff?: BackoffOptions;
}

/**
 * Powertools' DynamoDB persistence layer, with each idempotency-store call (the INPROGRESS put, the
 * COMPLETED update, the delete after a failure, the read of an existing record) sent again with backoff
 * while it is throttled or interrupted, until `timeLeftMs()` runs out, instead of failing after the SDK's
 * own few attempts. A COMPLETED write that fails leaves the record INPROGRESS until the invocation's
 * deadline and makes the retry run the effect again; retrying it inside the deadline avoids that.
 *
 * Errors that a retry cannot fix (a failed condition: the record exists) are passed on at once; a call
 * still failing at the deadline fails with `DeadlineReachedError`, which Powertools reports as a
 * persistence-layer error of the record.
 */
export class RetryingDynamoDBPersistenceLayer extends DynamoDBPersistenceLayer {
  constructor(config: DynamoDBPersistenceOptions, private readonly timeLeftMs: () => number, private readonly backoff?: BackoffOptions) {
    super(config);
  }

  protected override _putRecord(record: IdempotencyRecord): Promise<void> {
    return withRetries('saving the INPROGRESS idempotency record', () => super._putRecord(record), this.timeLeftMs, this.backoff);
  }

  protected override _updateRecord(record: IdempotencyRecord): Promise<void> {
    return withRetries('saving the COMPLETED idempotency record', () => super._updateRecord(record), this.timeLeftMs, this.backoff);
  }

  protected override _deleteRecord(record: IdempotencyRecord): Promise<void> {
    return withRetries('deleting the idempotency record of a failed run', () => super._deleteRecord(record), this.timeLeftMs, this.backoff);
  }

  protected override _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    return withRetries('reading the idempotency record', () => super._getRecord(idempotencyKey), this.timeLeftMs, this.backoff);
  }
}

/** Why a record was not processed: an earlier record of the same item key failed in this batch. */
export class EarlierRecordOfKeyFailedError extends Error {
  constructor(public readonly itemKey: string, public readonly failedSequenceNumber: string | undefined) {
    super(`Not processed: record ${failedSequenceNumber} of the same item key ${itemKey} failed earlier in this batch.`);
    this.name = 'EarlierRecordOfKeyFailedError';
  }
}

/**
 * A Powertools `BatchProcessor` for DynamoDB streams that keeps DynamoDB's per-item-key order and still
 * processes different keys in parallel.
 *
 * Records of one item key run one after the other in stream order; once one fails, the later records of
 * that key are failed without running (they must not overtake it), while other keys carry on. Lambda
 * retries the batch from the lowest failed sequence number, so records already applied come again:
 * combine with idempotency.
 */
export class KeyOrderedBatchProcessor extends BatchProcessor {
  private readonly maxConcurrency: number;

  constructor(options: { maxConcurrency?: number } = {}) {
    super(EventType.DynamoDBStreams);
    this.maxConcurrency = options.maxConcurrency ?? 16;
    if (!Number.isInteger(this.maxConcurrency) || this.maxConcurrency < 1) {
      throw new Error(`\`maxConcurrency\` is ${options.maxConcurrency}; it must be a whole number of at least 1.`);
    }
  }

  public override async process(): Promise<Awaited<ReturnType<BatchProcessor['processRecord']>>[]> {
    this.prepare();
    const records = this.records as DynamoDBRecord[];
    const groups = new Map<string, number[]>();
    records.forEach((record, index) => {
      const key = itemKeyOf(record);
      const group = groups.get(key);
      if (group) {
        group.push(index);
      } else {
        groups.set(key, [index]);
      }
    });
    const results: Awaited<ReturnType<BatchProcessor['processRecord']>>[] = new Array(records.length);
    const queue = [...groups.entries()];
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const [key, indexes] = next;
        let failedAt: string | undefined;
        let failed = false;
        for (const index of indexes) {
          const record = records[index];
          if (failed) {
            results[index] = this.failureHandler(record, new EarlierRecordOfKeyFailedError(key, failedAt));
            continue;
          }
          results[index] = await this.processRecord(record);
          if (results[index][0] === 'fail') {
            failed = true;
            failedAt = record.dynamodb?.SequenceNumber;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.maxConcurrency, queue.length) }, worker));
    this.clean();
    return results;
  }
}

/**
 * A Lambda handler for a DynamoDB stream: Powertools batch processing with a partial batch response,
 * each record applied at most once per completed run (idempotency keyed on its `eventID`), in the chosen order.
 *
 * Note: the effect and Powertools' COMPLETED record are two writes. A crash between them (a timeout), a
 * COMPLETED write still failing at the deadline, or a throw after the effect makes the retry run the
 * effect again: effects outside DynamoDB must be idempotent downstream. For DynamoDB effects,
 * `createTransactionalStreamHandler` commits effect and marker in one transaction.
 *
 * Throttled or interrupted idempotency-store calls are sent again with backoff until `safetyMarginMs`
 * before the deadline (`RetryingDynamoDBPersistenceLayer`).
 *
 * Note: the returned handler keeps its batch state between invocations, as Lambda runs one invocation
 * at a time per execution environment; do not call it concurrently.
 *
 * @example
 * export const handler = createStreamHandler(async (record) => { ... });
 */
export function createStreamHandler(
  recordHandler: RecordHandler,
  options: StreamHandlerOptions = {},
): (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse> {
  const ordering = options.ordering ?? 'per-key';
  const safetyMarginMs = options.safetyMarginMs ?? 3000;
  let invocation: Context | undefined;
  let handleRecord: RecordHandler = recordHandler;
  let config: IdempotencyConfig | undefined;
  if (options.idempotency ?? true) {
    const tableName = options.idempotencyTableName ?? process.env[IDEMPOTENCY_TABLE_ENV];
    if (!tableName) {
      throw new Error(`No idempotency table: set the ${IDEMPOTENCY_TABLE_ENV} environment variable (TableStreamConsumer does), pass \`idempotencyTableName\`, or set \`idempotency: false\`.`);
    }
    config = new IdempotencyConfig({
      eventKeyJmesPath: 'eventID',
      expiresAfterSeconds: options.idempotencyExpiresAfterSeconds ?? 86_400,
    });
    const timeLeftMs = () => (invocation?.getRemainingTimeInMillis() ?? 900_000) - safetyMarginMs;
    const persistenceStore = new RetryingDynamoDBPersistenceLayer({ tableName, awsSdkV3Client: options.dynamoDBClient }, timeLeftMs, options.backoff);
    handleRecord = makeIdempotent(recordHandler, { persistenceStore, config });
  }
  const processor = ordering === 'per-key'
    ? new KeyOrderedBatchProcessor({ maxConcurrency: options.maxConcurrency })
    : new BatchProcessor(EventType.DynamoDBStreams);

  const logger = options.logger ?? new Logger({ serviceName: 'stream-consumer' });
  const guarded: RecordHandler = async (record, context) => {
    const itemKey = itemKeyOf(record);
    if ((invocation?.getRemainingTimeInMillis() ?? Infinity) < safetyMarginMs) {
      logger.warn('Stream record not started: too little time left before the deadline', { sequenceNumber: record.dynamodb?.SequenceNumber, eventID: record.eventID, itemKey });
      throw new DeadlineReachedError(`record ${record.dynamodb?.SequenceNumber}`);
    }
    try {
      return await handleRecord(record, context);
    } catch (err) {
      logger.warn('Stream record failed', { sequenceNumber: record.dynamodb?.SequenceNumber, eventID: record.eventID, itemKey, error: describe(err) });
      throw err;
    }
  };

  return async (event, context) => {
    invocation = context;
    config?.registerLambdaContext(context);
    return processPartialResponse(event, guarded, processor, {
      context,
      processInParallel: ordering !== 'in-order',
    }) as Promise<DynamoDBBatchResponse>;
  };
}
