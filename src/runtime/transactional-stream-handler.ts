/*
 * Exactly-once DynamoDB effects for DynamoDB stream consumers: each record's stated writes are committed
 * with its idempotency marker in one TransactWriteItems request, several records per request.
 * Not part of the construct library's jsii API: import it from
 * 'cdk-dynamodb-blueprints-runtime/transactional-stream-handler' in a handler bundled with NodejsFunction.
 */
// The handler's app installs and bundles these; the construct library must not depend on them.
/* eslint-disable import/no-extraneous-dependencies */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand, DynamoDBDocumentClient, QueryCommand, TransactWriteCommand, UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
/* eslint-enable import/no-extraneous-dependencies */
import type { AttributeValue, Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describeKeyNames, foreignTableReason } from './effect-tables';
import { buildTransaction, Effects, invalidUnitReason, learnKeySchemas, Operation, TransactItem, Unit } from './effects';
import { CONSUMER_ID_ENV, IDEMPOTENCY_TABLE_ENV } from './environment';
import { planBatch } from './invocations';
import {
  groupParkedItems, itemKeyOf, METRICS_NAMESPACE, parkedBodyOf, parkedChunkSk, parkedItemCount, PARKED_RECORDS_METRIC, PARKED_RECORDS_TABLE_ENV,
  ParkedRecordItem, ParkedRecordsLayout, parkedRecordSk, recordOfParked, RECORD_SK_PREFIX,
} from './parked-records';
import { BackoffOptions, backoffDelay, DeadlineReachedError, describe, isRetryable, RETRYABLE_CANCELLATION_CODES, sleep, withRetries } from './retry';

export { Effects } from './effects';
export type { AddEffect, ConditionCheckEffect, DeleteEffect, PutEffect, UpdateEffect, ItemKey } from './effects';
export { CONSUMER_ID_ENV, IDEMPOTENCY_TABLE_ENV } from './environment';
export { itemKeyOf, PARKED_RECORDS_TABLE_ENV, METRICS_NAMESPACE, PARKED_RECORDS_METRIC } from './parked-records';

/**
 * States the DynamoDB writes one stream record causes, on `effects`; sends nothing itself. Throw to fail
 * the record. It may run more than once for a record (a retry, a redrive); only one run's writes are committed.
 */
export type RecordEffectsHandler = (record: DynamoDBRecord, effects: Effects, context: Context) => void | Promise<void>;

/** Options of `createTransactionalStreamHandler`. */
export interface TransactionalStreamHandlerOptions {
  /** The table of the records' idempotency markers (partition key `id`, TTL attribute `expiration`). @default process.env.IDEMPOTENCY_TABLE_NAME */
  readonly markerTableName?: string;
  /** The parked-records table (partition key `pk`, sort key `sk`). @default process.env.PARKED_RECORDS_TABLE_NAME */
  readonly parkedRecordsTableName?: string;
  /**
   * After this many failed attempts of one record (counted in the parked-records table, across
   * invocations), it is parked with every later record of its item key, and the shard goes on.
   * @default 3
   */
  readonly maxAttempts?: number;
  /** No transaction is started with less than this left of the invocation; the records not committed are reported as failures. @default 3000 */
  readonly safetyMarginMs?: number;
  /** How long a committed record's marker is kept. A stream keeps records 24 hours. @default 90000 (25 hours) */
  readonly markerExpiresAfterSeconds?: number;
  /**
   * The consumer's stable identity: it names the records' markers and the consumer's items in the
   * parked-records table, so consumers sharing the tables keep theirs apart, and a renamed or replaced
   * function keeps its markers (changing it re-applies the records still in the stream).
   * @default process.env.STREAM_CONSUMER_ID (TableStreamConsumer sets it); without it, the function name
   * names the markers and the parked records are not namespaced (the layout of earlier versions)
   */
  readonly consumerId?: string;
  /** Prefixed to markers, so consumers sharing a marker table keep theirs apart. @default - the consumer identity and `#` */
  readonly markerPrefix?: string;
  /**
   * The key attribute names of tables written with `put`, to tell which puts touch the same item. When not
   * given, learnt from the `Key` of other effects on the table, else from one `DescribeTable` per table per
   * execution environment (`dynamodb:DescribeTable`, which aws-cdk-lib's `grantWriteData` grants); a table
   * that cannot be described gets its puts committed in separate transactions.
   * @default - learnt
   */
  readonly keyAttributeNames?: Record<string, string[]>;
  /** @default - a new client */
  readonly dynamoDBClient?: DynamoDBClient;
  /** Structured logs of failed and parked records. @default - a Powertools Logger, service `stream-consumer` */
  readonly logger?: Logger;
  /** The `ParkedRecords` metric. @default - Powertools Metrics in namespace `CdkDynamoDBBlueprints` */
  readonly metrics?: Metrics;
  readonly backoff?: BackoffOptions;
}

/** Which item keys' parked records to replay. */
export interface RedriveRequest {
  /** Stream item keys (a record's `dynamodb.Keys`, in DynamoDB JSON). @default - every parked key */
  readonly keys?: Record<string, AttributeValue>[];
}

/** The event that makes the handler replay parked records instead of processing a stream batch. */
export interface RedriveEvent {
  readonly redriveParkedRecords: RedriveRequest;
  /**
   * Set by `TableStreamConsumer.redriveAfterDeployment()`: a digest of the function's code and configuration,
   * new with each deployment that changes them. Logged with the redrive's result. @default - none
   */
  readonly deployment?: string;
}

/** What a redrive did. */
export interface RedriveResult {
  /** Item keys looked at. */
  readonly keys: number;
  /** Records applied now (or found applied by a concurrent redrive). */
  readonly redriven: number;
  /** Records left parked, because a record of their key failed again or time ran out. */
  readonly stillParked: number;
  readonly failures: { readonly itemKey: string; readonly sequenceNumber: string; readonly error: string }[];
}

/** A Lambda handler for a stream, which also answers a `RedriveEvent`. */
export interface TransactionalStreamHandler {
  (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse>;
  (event: RedriveEvent, context: Context): Promise<RedriveResult>;
  /** Replays the parked records of the given keys (or all), in stream order, each exactly once. */
  redrive(request?: RedriveRequest, context?: Context): Promise<RedriveResult>;
}

type Kind = 'apply' | 'park' | 'redrive';

interface Work extends Unit {
  readonly kind: Kind;
  readonly record: DynamoDBRecord;
  readonly sequenceNumber: string;
}

type Outcome = 'applied' | 'duplicate' | { readonly error: unknown };

/**
 * A Lambda handler for a DynamoDB stream with exactly-once DynamoDB effects: `statesEffects` states each
 * record's writes, and the handler commits them together with the record's marker (a put conditioned on
 * `attribute_not_exists`) in one `TransactWriteItems`, so a crash at any point leaves all of a record's
 * writes or none, and a redelivered record is skipped.
 *
 * Records go into one transaction, in stream order, while they fit (100 items) and touch different items;
 * `add`s of several records on one item are summed into one update. When a transaction is cancelled, records
 * whose marker condition failed were applied before and are dropped; the rest are sent again. Throttled
 * requests are retried with backoff until the safety margin before the deadline; records not committed by
 * then are reported in the partial batch response.
 *
 * A record that fails (its logic throws, or one of its conditions fails) fails with every later record of
 * its item key, while other keys go on; after `maxAttempts` failed attempts it is parked, with every later
 * record of its key, in the parked-records table, and counted in the `ParkedRecords` metric. `redrive()`
 * (or the event `{ "redriveParkedRecords": {} }`) replays them in order.
 *
 * @example
 * export const handler = createTransactionalStreamHandler((record, effects) => {
 *   effects.add({ TableName: 'Counters', Key: { PK: 'total' }, values: { count: 1 } });
 * });
 */
export function createTransactionalStreamHandler(
  statesEffects: RecordEffectsHandler,
  options: TransactionalStreamHandlerOptions = {},
): TransactionalStreamHandler {
  const markerTable = options.markerTableName ?? process.env[IDEMPOTENCY_TABLE_ENV];
  const parkedTable = options.parkedRecordsTableName ?? process.env[PARKED_RECORDS_TABLE_ENV];
  if (!markerTable) {
    throw new Error(`No marker table: set the ${IDEMPOTENCY_TABLE_ENV} environment variable (TableStreamConsumer does) or pass \`markerTableName\`.`);
  }
  if (!parkedTable) {
    throw new Error(`No parked-records table: set the ${PARKED_RECORDS_TABLE_ENV} environment variable (TableStreamConsumer does) or pass \`parkedRecordsTableName\`.`);
  }
  const maxAttempts = options.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`\`maxAttempts\` is ${options.maxAttempts}; it must be a whole number of at least 1.`);
  }
  const safetyMarginMs = options.safetyMarginMs ?? 3000;
  const markerTtl = options.markerExpiresAfterSeconds ?? 90_000;
  const consumerId = options.consumerId ?? process.env[CONSUMER_ID_ENV];
  if (consumerId !== undefined && (consumerId === '' || consumerId.includes('#'))) {
    throw new Error(`The consumer identity is '${consumerId}'; it must be non-empty and without '#': set \`consumerId\` or ${CONSUMER_ID_ENV} to a name such as 'OpenTaskCounter'.`);
  }
  const layout = new ParkedRecordsLayout(consumerId ?? '');
  const markerPrefix = options.markerPrefix ?? `${consumerId ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'stream-consumer'}#`;
  const keySchemas = new Map(Object.entries(options.keyAttributeNames ?? {}).map(([t, names]) => [t, [...names].sort()]));
  keySchemas.set(markerTable, ['id']);
  keySchemas.set(parkedTable, ['pk', 'sk']);
  const client = options.dynamoDBClient ?? new DynamoDBClient({});
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const logger = options.logger ?? new Logger({ serviceName: 'stream-consumer' });
  const metrics = options.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'stream-consumer' });

  let region: Promise<string | undefined> | undefined;
  const regionOfClient = () => {
    region ??= Promise.resolve().then(() => client.config.region()).catch(() => process.env.AWS_REGION);
    return region;
  };
  const markerId = (record: DynamoDBRecord) => `${markerPrefix}${record.eventID ?? record.dynamodb?.SequenceNumber}`;
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const logFields = (work: { record: DynamoDBRecord; itemKey: string }, extra: Record<string, unknown>) => ({
    sequenceNumber: work.record.dynamodb?.SequenceNumber,
    eventID: work.record.eventID,
    itemKey: work.itemKey,
    ...extra,
  });

  /** The work that applies a record: its effects and a marker that must not exist yet. */
  const applyWork = (record: DynamoDBRecord, itemKey: string, operations: Operation[]): Work => ({
    kind: 'apply',
    record,
    itemKey,
    sequenceNumber: record.dynamodb!.SequenceNumber!,
    operations,
    marker: {
      Put: {
        TableName: markerTable,
        Item: { id: markerId(record), status: 'COMPLETED', expiration: nowSeconds() + markerTtl },
        ConditionExpression: 'attribute_not_exists(id)',
      },
    },
  });

  /** The work that parks a record: the full record, the key's count, and a marker that holds no expiry (a redrive may come after the TTL). */
  const parkWork = (record: DynamoDBRecord, itemKey: string, reason: string, attempts: number): Work => {
    const body = parkedBodyOf(record);
    const sequenceNumber = record.dynamodb!.SequenceNumber!;
    const item: ParkedRecordItem = {
      pk: layout.keyPk(itemKey),
      sk: parkedRecordSk(record.dynamodb!.SequenceNumber!),
      itemKey: JSON.stringify(record.dynamodb?.Keys ?? {}),
      sequenceNumber: record.dynamodb!.SequenceNumber!,
      eventID: record.eventID ?? '',
      eventName: record.eventName,
      markerId: markerId(record),
      ...body.head,
      reason: reason.slice(0, 2000),
      attempts,
      parkedAt: new Date().toISOString(),
    };
    return {
      kind: 'park',
      record,
      itemKey,
      sequenceNumber: record.dynamodb!.SequenceNumber!,
      operations: [
        { kind: 'Put', input: { TableName: parkedTable, Item: { ...item } } },
        ...body.chunks.map((chunk, i): Operation => ({
          kind: 'Put',
          input: { TableName: parkedTable, Item: { pk: item.pk, sk: parkedChunkSk(sequenceNumber, i + 1), chunkOf: sequenceNumber, body: chunk } },
        })),
        { kind: 'Add', input: { TableName: parkedTable, Key: { pk: layout.parkedKeysPk, sk: itemKey }, values: { parkedCount: 1 } } },
      ],
      marker: {
        Put: {
          TableName: markerTable,
          Item: { id: markerId(record), status: 'PARKED' },
          ConditionExpression: 'attribute_not_exists(id)',
        },
      },
    };
  };

  /** The work that replays a parked record: its effects, the parked items' removal, and the marker moved from PARKED to COMPLETED. */
  const redriveWork = (record: DynamoDBRecord, itemKey: string, marker: string, chunks: number, operations: Operation[]): Work => ({
    kind: 'redrive',
    record,
    itemKey,
    sequenceNumber: record.dynamodb!.SequenceNumber!,
    operations: [
      ...operations,
      { kind: 'Delete', input: { TableName: parkedTable, Key: { pk: layout.keyPk(itemKey), sk: parkedRecordSk(record.dynamodb!.SequenceNumber!) } } },
      ...Array.from({ length: chunks }, (_, i): Operation => ({
        kind: 'Delete',
        input: { TableName: parkedTable, Key: { pk: layout.keyPk(itemKey), sk: parkedChunkSk(record.dynamodb!.SequenceNumber!, i + 1) } },
      })),
      { kind: 'Add', input: { TableName: parkedTable, Key: { pk: layout.parkedKeysPk, sk: itemKey }, values: { parkedCount: -1 } } },
    ],
    marker: {
      Update: {
        TableName: markerTable,
        Key: { id: marker },
        UpdateExpression: 'SET #status = :completed, #expiration = :expiration',
        ConditionExpression: '#status = :parked',
        ExpressionAttributeNames: { '#status': 'status', '#expiration': 'expiration' },
        ExpressionAttributeValues: { ':completed': 'COMPLETED', ':parked': 'PARKED', ':expiration': nowSeconds() + markerTtl },
      },
    },
  });

  /**
   * Runs the record's logic, which must finish before the deadline (a logic that awaits forever fails
   * the record, and is counted, instead of timing the invocation out); throws when its effects cannot be
   * committed as stated.
   */
  const stateEffects = async (record: DynamoDBRecord, context: Context, timeLeft: () => number): Promise<Operation[]> => {
    const effects = new Effects();
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`The logic of record ${record.dynamodb?.SequenceNumber} did not finish before the invocation's safety margin (${safetyMarginMs} ms before the timeout).`)),
        Math.max(0, timeLeft()));
    });
    try {
      await Promise.race([Promise.resolve().then(() => statesEffects(record, effects, context)), overdue]);
    } finally {
      clearTimeout(timer);
    }
    learnKeySchemas(effects.operations, keySchemas);
    const undescribed = new Set(effects.operations.filter((op) => op.kind === 'Put' && !keySchemas.has(op.input.TableName!)).map((op) => op.input.TableName!));
    for (const table of undescribed) {
      const names = await describeKeyNames(client, table, (error) => logger.warn(
        'Could not describe an effect table: its puts are committed in separate transactions; grant dynamodb:DescribeTable or pass `keyAttributeNames`',
        { table, error: describe(error) }));
      if (names && names.length > 0 && !keySchemas.has(table)) {
        keySchemas.set(table, names);
      }
    }
    const foreign = foreignTableReason(effects.operations, await regionOfClient(), context?.invokedFunctionArn?.split(':')[4]);
    if (foreign) {
      throw new Error(`The effects of record ${record.dynamodb?.SequenceNumber} cannot be committed: ${foreign}.`);
    }
    // Room for what a redrive of the record adds beside its marker: its parked items and its key's count.
    const invalid = invalidUnitReason(effects.operations, keySchemas, {
      items: 2 + parkedItemCount(record),
      what: 'the record\'s marker and the parked item(s) and key count a redrive of it removes',
    });
    if (invalid) {
      throw new Error(`The effects of record ${record.dynamodb?.SequenceNumber} cannot be committed in one transaction: ${invalid}.`);
    }
    return effects.operations;
  };

  /**
   * Commits works in transactions, in order, until all are done, failed, or time is up. A failed work
   * takes every later work of its key with it: `onFailed` says what becomes of them.
   */
  const commitAll = async (
    works: Work[],
    timeLeft: () => number,
    onFailed: (work: Work, error: unknown, later: Work[]) => Promise<Work[]>,
  ): Promise<{ outcomes: Map<Work, Outcome>; unfinished: Work[] }> => {
    const outcomes = new Map<Work, Outcome>();
    let pending = [...works];
    let retries = 0;
    const fail = async (work: Work, error: unknown) => {
      const later = pending.filter((w) => w !== work && w.itemKey === work.itemKey && pending.indexOf(w) > pending.indexOf(work));
      outcomes.set(work, { error });
      const replacements = await onFailed(work, error, later);
      // The failed work and its key's later works leave; their replacements (parking) take the failed one's place.
      const at = pending.indexOf(work);
      const rest = pending.filter((w) => w !== work && !later.includes(w));
      pending = [...rest.slice(0, at), ...replacements, ...rest.slice(at)];
    };
    while (pending.length > 0 && timeLeft() > 0) {
      const tx = buildTransaction(pending, keySchemas);
      if (tx.units.length === 0) {
        break;
      }
      try {
        // Never wait past the deadline: an abandoned commit is found applied (its markers exist) by the retry.
        const abortSignal = AbortSignal.timeout(Math.max(1, timeLeft() + safetyMarginMs / 2));
        await doc.send(new TransactWriteCommand({ TransactItems: tx.items }), { abortSignal });
        for (const w of tx.units) {
          outcomes.set(w, 'applied');
        }
        pending = pending.filter((w) => !tx.units.includes(w));
        retries = 0;
        continue;
      } catch (err) {
        const e = err as { name?: string; CancellationReasons?: { Code?: string; Message?: string }[] };
        if (e.name === 'TransactionCanceledException' && Array.isArray(e.CancellationReasons)) {
          let progressed = false;
          const failed = new Map<Work, string>();
          let unattributed: string | undefined;
          e.CancellationReasons.forEach((reason, i) => {
            const code = reason?.Code ?? 'None';
            const owner = tx.owners[i];
            if (code === 'None' || RETRYABLE_CANCELLATION_CODES.has(code)) {
              return;
            }
            if (owner && tx.isMarker[i] && code === 'ConditionalCheckFailed') {
              outcomes.set(owner, 'duplicate');
              pending = pending.filter((w) => w !== owner);
              progressed = true;
            } else if (owner) {
              failed.set(owner, `${code}: ${reason.Message ?? 'a condition of the record\'s effects failed'}`);
            } else {
              unattributed = `${code}: ${reason.Message ?? 'an update summing the adds of several records failed'}`;
            }
          });
          for (const [w, message] of failed) {
            if (pending.includes(w)) {
              await fail(w, new Error(`Transaction cancelled for this record: ${message}`));
              progressed = true;
            }
          }
          if (unattributed !== undefined && !progressed) {
            if (tx.units.length === 1) {
              // Alone in its transaction, the record owns every summed item of it: the failure is its own.
              await fail(tx.units[0], new Error(`Transaction cancelled for this record: ${unattributed}`));
            } else {
              // A summed item failed: find the record by committing each alone.
              tx.units.forEach((w) => { w.alone = true; });
            }
            progressed = true;
          }
          if (progressed) {
            retries = 0;
            continue;
          }
        } else if (!isRetryable(err) && !(err instanceof DeadlineReachedError) && (err as Error)?.name !== 'AbortError') {
          if (tx.units.length === 1) {
            await fail(tx.units[0], err);
          } else {
            tx.units.forEach((w) => { w.alone = true; });
          }
          retries = 0;
          continue;
        }
        // Throttled, conflicting or interrupted: the same records again after a wait, inside the deadline.
        const delay = backoffDelay(++retries, options.backoff);
        if (delay >= timeLeft()) {
          break;
        }
        await sleep(delay);
      }
    }
    return { outcomes, unfinished: pending };
  };

  /** Counts a failed attempt of a record, durably; `undefined` when the count could not be written in time. */
  const countAttempt = async (record: DynamoDBRecord, error: unknown, timeLeft: () => number): Promise<number | undefined> => {
    try {
      const result = await withRetries('counting a failed attempt', () => doc.send(new UpdateCommand({
        TableName: parkedTable,
        Key: layout.attemptsKey(record),
        UpdateExpression: 'ADD attempts :one SET lastError = :error, expiration = :expiration',
        ExpressionAttributeValues: { ':one': 1, ':error': describe(error).slice(0, 1000), ':expiration': nowSeconds() + markerTtl },
        ReturnValues: 'UPDATED_NEW',
      })), () => timeLeft() + safetyMarginMs / 2, options.backoff);
      return Number(result.Attributes?.attempts);
    } catch (err) {
      logger.warn('Could not count a failed attempt of a stream record', { sequenceNumber: record.dynamodb?.SequenceNumber, error: describe(err) });
      return undefined;
    }
  };

  /**
   * Counts this invocation against the batch's first record, before any logic runs, and returns the sizes
   * of every batch that started with it (this one last): one UpdateItem per batch.
   */
  const countInvocation = async (records: DynamoDBRecord[], timeLeft: () => number): Promise<number[]> => {
    const result = await withRetries('counting the invocation', () => doc.send(new UpdateCommand({
      TableName: parkedTable,
      Key: layout.invocationsKey(records[0]),
      UpdateExpression: 'SET sizes = list_append(if_not_exists(sizes, :none), :size), expiration = :expiration',
      ExpressionAttributeValues: { ':none': [], ':size': [records.length], ':expiration': nowSeconds() + markerTtl },
      ReturnValues: 'UPDATED_NEW',
    })), timeLeft, options.backoff);
    return (result.Attributes?.sizes as number[] | undefined ?? [records.length]).map(Number);
  };

  /** The item keys that have parked records (a later record of them must wait behind): one Query, empty unless something is parked. */
  const parkedKeys = async (timeLeft: () => number): Promise<Set<string>> => {
    const result = new Set<string>();
    let start: Record<string, unknown> | undefined;
    for (let page = 0; page < 1000; page++) {
      const response = await withRetries('reading parked keys', () => doc.send(new QueryCommand({
        TableName: parkedTable,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'parkedCount > :zero',
        ExpressionAttributeValues: { ':pk': layout.parkedKeysPk, ':zero': 0 },
        ProjectionExpression: 'sk',
        ConsistentRead: true,
        ExclusiveStartKey: start,
      })), timeLeft, options.backoff);
      for (const item of response.Items ?? []) {
        result.add(String(item.sk));
      }
      start = response.LastEvaluatedKey;
      if (!start) {
        break;
      }
    }
    return result;
  };

  const deadlineOf = (context: Context | undefined) => {
    const deadline = Date.now() + (context?.getRemainingTimeInMillis?.() ?? 900_000) - safetyMarginMs;
    return () => deadline - Date.now();
  };

  const publishParked = (count: number, context: Context | undefined) => {
    if (count === 0) {
      return;
    }
    metrics.clearDefaultDimensions();
    metrics.setDefaultDimensions({ FunctionName: context?.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'unknown' });
    metrics.addMetric(PARKED_RECORDS_METRIC, MetricUnit.Count, count);
    metrics.publishStoredMetrics();
  };

  const processBatch = async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
    const timeLeft = deadlineOf(context);
    const records = event.Records ?? [];
    const failures: string[] = [];
    const reportFailure = (record: DynamoDBRecord) => failures.push(record.dynamodb!.SequenceNumber!);
    let parkedCount = 0;

    if (timeLeft() <= 0) {
      logger.warn('Batch not started: too little time left before the deadline', { records: records.length, safetyMarginMs });
      return { batchItemFailures: records.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })) };
    }
    if (records.length === 0) {
      return { batchItemFailures: [] };
    }
    let parked: Set<string>;
    let sizes: number[];
    try {
      [parked, sizes] = await Promise.all([parkedKeys(timeLeft), countInvocation(records, timeLeft)]);
    } catch (err) {
      logger.error('Could not read which item keys are parked or count the invocation; the batch is retried', { records: records.length, error: describe(err) });
      return { batchItemFailures: records.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })) };
    }

    // A record whose own attempts are used up is parked with its key's later records; otherwise they all fail.
    const failKey = new Map<string, string>();
    const onFailed = async (record: DynamoDBRecord, itemKey: string, error: unknown): Promise<Work | undefined> => {
      const attempt = await countAttempt(record, error, timeLeft);
      if (attempt !== undefined && attempt >= maxAttempts) {
        parked.add(itemKey);
        logger.error('Stream record parked', { sequenceNumber: record.dynamodb?.SequenceNumber, eventID: record.eventID, itemKey, attempt, error: describe(error) });
        return parkWork(record, itemKey, describe(error), attempt);
      }
      failKey.set(itemKey, record.dynamodb!.SequenceNumber!);
      logger.warn('Stream record failed', { sequenceNumber: record.dynamodb?.SequenceNumber, eventID: record.eventID, itemKey, attempt, maxAttempts, error: describe(error) });
      reportFailure(record);
      return undefined;
    };
    const waitBehind = (record: DynamoDBRecord, itemKey: string): Work | undefined => {
      if (parked.has(itemKey)) {
        logger.warn('Stream record parked behind an earlier parked record of its item key', logFields({ record, itemKey }, { attempt: 0 }));
        return parkWork(record, itemKey, 'an earlier record of the item key is parked', 0);
      }
      logger.warn('Stream record not processed: an earlier record of its item key failed in this batch', logFields({ record, itemKey }, { failedSequenceNumber: failKey.get(itemKey) }));
      reportFailure(record);
      return undefined;
    };

    const works: Work[] = [];
    const plan = planBatch(sizes, maxAttempts);
    let toRun = records;
    if (plan.kind === 'park-first') {
      // Its invocations keep dying where it runs alone: park it without running its logic again.
      const [first, ...rest] = records;
      const itemKey = itemKeyOf(first);
      const reason = `its invocation ended without an answer (a crash, running out of memory or a timeout) in ${plan.diedAlone} runs where it ran alone`;
      logger.error('Stream record parked', logFields({ record: first, itemKey }, { attempt: plan.diedAlone, error: reason }));
      works.push(parkWork(first, itemKey, reason, plan.diedAlone));
      // Its key's later records come back in the next batch, behind it if the parking commits, or applied
      // if it was applied before (a redelivery: its marker cancels the parking).
      failKey.set(itemKey, first.dynamodb!.SequenceNumber!);
      toRun = rest;
    } else if (plan.kind === 'first-alone') {
      // Find out whether the first record is the one that kills the invocation: it runs alone; the others come back after it.
      logger.warn('Only the first record of the batch is processed: invocations that started with it did not finish', logFields({ record: records[0], itemKey: itemKeyOf(records[0]) }, { runs: sizes.length }));
      records.slice(1).forEach(reportFailure);
      toRun = records.slice(0, 1);
    }
    for (const record of toRun) {
      const itemKey = itemKeyOf(record);
      if (timeLeft() <= 0) {
        logger.warn('Stream record not started: too little time left before the deadline', logFields({ record, itemKey }, {}));
        reportFailure(record);
        continue;
      }
      if (parked.has(itemKey) || failKey.has(itemKey)) {
        const w = waitBehind(record, itemKey);
        if (w) {
          works.push(w);
        }
        continue;
      }
      try {
        works.push(applyWork(record, itemKey, await stateEffects(record, context, timeLeft)));
      } catch (err) {
        const w = await onFailed(record, itemKey, err);
        if (w) {
          works.push(w);
        }
      }
    }

    const { outcomes, unfinished } = await commitAll(works, timeLeft, async (work, error, later) => {
      if (work.kind === 'apply') {
        const replacement = await onFailed(work.record, work.itemKey, error);
        const rest = later.map((w) => waitBehind(w.record, w.itemKey)).filter((w): w is Work => w !== undefined);
        return replacement ? [replacement, ...rest] : rest;
      }
      // A record that cannot even be parked (too large for an item, say) fails, and so does the rest of its key.
      logger.error('Stream record could not be parked', logFields(work, { error: describe(error) }));
      reportFailure(work.record);
      later.forEach((w) => reportFailure(w.record));
      return [];
    });
    for (const w of unfinished) {
      logger.warn('Stream record not committed before the deadline', logFields(w, {}));
      reportFailure(w.record);
    }
    for (const [w, outcome] of outcomes) {
      if (w.kind === 'park' && outcome === 'applied') {
        parkedCount++;
      }
    }
    publishParked(parkedCount, context);
    const unique = [...new Set(failures)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    return { batchItemFailures: unique.map((itemIdentifier) => ({ itemIdentifier })) };
  };

  const redrive = async (request: RedriveRequest = {}, context?: Context): Promise<RedriveResult> => {
    const timeLeft = deadlineOf(context);
    const keys = request.keys
      ? request.keys.map((k) => itemKeyOf({ dynamodb: { Keys: k } }))
      : [...await parkedKeys(timeLeft)];
    let redriven = 0;
    let stillParked = 0;
    const failures: { itemKey: string; sequenceNumber: string; error: string }[] = [];
    for (const itemKey of keys) {
      // New records of the key may be parked while this runs: read again until the key is empty (bounded).
      for (let round = 0; round < 5 && timeLeft() > 0; round++) {
        const parkedItems = groupParkedItems(await queryParked(itemKey, timeLeft));
        if (parkedItems.length === 0) {
          await deleteKeyIfEmpty(itemKey, timeLeft);
          break;
        }
        const works: Work[] = [];
        let stopped = false;
        for (const entry of parkedItems) {
          const item = entry.head;
          try {
            const record = recordOfParked(entry);
            const operations = await stateEffects(record, context ?? ({} as Context), timeLeft);
            works.push(redriveWork(record, itemKey, String(item.markerId), entry.chunks.length, operations));
          } catch (err) {
            failures.push({ itemKey, sequenceNumber: String(item.sequenceNumber), error: describe(err) });
            logger.error('Parked record failed again on redrive; it and the later records of its key stay parked', { itemKey, sequenceNumber: item.sequenceNumber, error: describe(err) });
            stopped = true;
            break;
          }
        }
        const { outcomes, unfinished } = await commitAll(works, timeLeft, async (work, error, later) => {
          failures.push({ itemKey, sequenceNumber: work.sequenceNumber, error: describe(error) });
          logger.error('Parked record failed again on redrive; it and the later records of its key stay parked', logFields(work, { error: describe(error), later: later.length }));
          stopped = true;
          return [];
        });
        redriven += [...outcomes.values()].filter((o) => o === 'applied' || o === 'duplicate').length;
        if (stopped || unfinished.length > 0) {
          break;
        }
      }
      stillParked += groupParkedItems(await queryParked(itemKey, () => Math.max(timeLeft(), 1000))).length;
    }
    return { keys: keys.length, redriven, stillParked, failures };
  };

  const queryParked = async (itemKey: string, timeLeft: () => number): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await withRetries('reading parked records', () => doc.send(new QueryCommand({
        TableName: parkedTable,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': layout.keyPk(itemKey), ':prefix': RECORD_SK_PREFIX },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      })), timeLeft, options.backoff);
      items.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
      if (!start) {
        break;
      }
    }
    return items;
  };

  const deleteKeyIfEmpty = async (itemKey: string, timeLeft: () => number) => {
    try {
      await withRetries('clearing a parked key', () => doc.send(new DeleteCommand({
        TableName: parkedTable,
        Key: { pk: layout.parkedKeysPk, sk: itemKey },
        ConditionExpression: 'attribute_not_exists(pk) OR parkedCount <= :zero',
        ExpressionAttributeValues: { ':zero': 0 },
      })), timeLeft, options.backoff);
    } catch (err) {
      // A record was parked meanwhile: it stays, and so does the key.
      if ((err as Error).name !== 'ConditionalCheckFailedException') {
        throw err;
      }
    }
  };

  const handler = (async (event: DynamoDBStreamEvent | RedriveEvent, context: Context) => {
    const redriveEvent = event as RedriveEvent;
    if (redriveEvent.redriveParkedRecords !== undefined) {
      const result = await redrive(redriveEvent.redriveParkedRecords, context);
      // An asynchronous redrive (after a deployment) has no caller to answer: its result is in the log.
      const summary = { deployment: redriveEvent.deployment, keys: result.keys, redriven: result.redriven, stillParked: result.stillParked };
      if (result.stillParked > 0) {
        logger.error('Redrive finished with records still parked', summary);
      } else {
        logger.info('Redrive finished', summary);
      }
      return result;
    }
    return processBatch(event as DynamoDBStreamEvent, context);
  }) as TransactionalStreamHandler;
  handler.redrive = redrive;
  return handler;
}

export type { TransactItem };
