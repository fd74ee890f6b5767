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
import { buildTransaction, Effects, invalidUnitReason, learnKeySchemas, Operation, TransactItem, Unit } from './effects';
import { IDEMPOTENCY_TABLE_ENV } from './environment';
import {
  attemptsKey, itemKeyOf, METRICS_NAMESPACE, PARKED_KEYS_PK, PARKED_RECORDS_METRIC, PARKED_RECORDS_TABLE_ENV, parkedKeyPk, ParkedRecordItem,
  parkedRecordSk, RECORD_SK_PREFIX,
} from './parked-records';
import { BackoffOptions, backoffDelay, DeadlineReachedError, describe, isRetryable, RETRYABLE_CANCELLATION_CODES, sleep, withRetries } from './retry';

export { Effects } from './effects';
export type { AddEffect, ConditionCheckEffect, DeleteEffect, PutEffect, UpdateEffect, ItemKey } from './effects';
export { IDEMPOTENCY_TABLE_ENV } from './environment';
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
  /** Prefixed to markers, so consumers sharing a marker table keep theirs apart. @default - the function name and `#` */
  readonly markerPrefix?: string;
  /**
   * The key attribute names of tables written with `put`, to tell which puts touch the same item. Learnt
   * from the `Key` of other effects on the table when not given; until then two puts on one table go in
   * separate transactions.
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
  const markerPrefix = options.markerPrefix ?? `${process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'stream-consumer'}#`;
  const keySchemas = new Map(Object.entries(options.keyAttributeNames ?? {}).map(([t, names]) => [t, [...names].sort()]));
  keySchemas.set(markerTable, ['id']);
  keySchemas.set(parkedTable, ['pk', 'sk']);
  const doc = DynamoDBDocumentClient.from(options.dynamoDBClient ?? new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const logger = options.logger ?? new Logger({ serviceName: 'stream-consumer' });
  const metrics = options.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'stream-consumer' });

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
    const item: ParkedRecordItem = {
      pk: parkedKeyPk(itemKey),
      sk: parkedRecordSk(record.dynamodb!.SequenceNumber!),
      itemKey: JSON.stringify(record.dynamodb?.Keys ?? {}),
      sequenceNumber: record.dynamodb!.SequenceNumber!,
      eventID: record.eventID ?? '',
      eventName: record.eventName,
      markerId: markerId(record),
      record: JSON.stringify(record),
      reason,
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
        { kind: 'Add', input: { TableName: parkedTable, Key: { pk: PARKED_KEYS_PK, sk: itemKey }, values: { parkedCount: 1 } } },
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

  /** The work that replays a parked record: its effects, the parked item's removal, and the marker moved from PARKED to COMPLETED. */
  const redriveWork = (record: DynamoDBRecord, itemKey: string, marker: string, operations: Operation[]): Work => ({
    kind: 'redrive',
    record,
    itemKey,
    sequenceNumber: record.dynamodb!.SequenceNumber!,
    operations: [
      ...operations,
      { kind: 'Delete', input: { TableName: parkedTable, Key: { pk: parkedKeyPk(itemKey), sk: parkedRecordSk(record.dynamodb!.SequenceNumber!) } } },
      { kind: 'Add', input: { TableName: parkedTable, Key: { pk: PARKED_KEYS_PK, sk: itemKey }, values: { parkedCount: -1 } } },
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

  /** Runs the record's logic; a reason string when its effects cannot be committed as stated. */
  const stateEffects = async (record: DynamoDBRecord, context: Context): Promise<Operation[]> => {
    const effects = new Effects();
    await statesEffects(record, effects, context);
    learnKeySchemas(effects.operations, keySchemas);
    const invalid = invalidUnitReason(effects.operations, keySchemas);
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
        Key: attemptsKey(record),
        UpdateExpression: 'ADD attempts :one SET lastError = :error, expiration = :expiration',
        ExpressionAttributeValues: { ':one': 1, ':error': describe(error).slice(0, 1000), ':expiration': nowSeconds() + markerTtl },
        ReturnValues: 'UPDATED_NEW',
      })), timeLeft, options.backoff);
      return Number(result.Attributes?.attempts);
    } catch (err) {
      logger.warn('Could not count a failed attempt of a stream record', { sequenceNumber: record.dynamodb?.SequenceNumber, error: describe(err) });
      return undefined;
    }
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
        ExpressionAttributeValues: { ':pk': PARKED_KEYS_PK, ':zero': 0 },
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
    let parked: Set<string>;
    try {
      parked = await parkedKeys(timeLeft);
    } catch (err) {
      logger.error('Could not read which item keys are parked; the batch is retried', { records: records.length, error: describe(err) });
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
    for (const record of records) {
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
        works.push(applyWork(record, itemKey, await stateEffects(record, context)));
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
        const parkedItems = await queryParked(itemKey, timeLeft);
        if (parkedItems.length === 0) {
          await deleteKeyIfEmpty(itemKey, timeLeft);
          break;
        }
        const works: Work[] = [];
        let stopped = false;
        for (const item of parkedItems) {
          const record = JSON.parse(String(item.record)) as DynamoDBRecord;
          try {
            works.push(redriveWork(record, itemKey, String(item.markerId), await stateEffects(record, context ?? ({} as Context))));
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
      stillParked += (await queryParked(itemKey, () => Math.max(timeLeft(), 1000))).length;
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
        ExpressionAttributeValues: { ':pk': parkedKeyPk(itemKey), ':prefix': RECORD_SK_PREFIX },
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
        Key: { pk: PARKED_KEYS_PK, sk: itemKey },
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
