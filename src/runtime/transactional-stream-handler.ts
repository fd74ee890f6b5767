/*
 * Exactly-once DynamoDB effects for DynamoDB stream consumers: each record's stated writes are committed
 * with its idempotency marker in one TransactWriteItems request, several records per request.
 * Not part of the construct library's jsii API: import it from
 * 'cdk-dynamodb-blueprints-runtime/transactional-stream-handler' in a handler bundled with NodejsFunction.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { deadlineOf, logFields, RecordEffectsHandler, resolveSettings, TransactionalStreamHandlerOptions } from './handler-settings';
import { planBatch } from './invocations';
import { itemKeyOf } from './parked-records';
import { countAttempt, countInvocation, parkedKeys, parkWork, publishParked } from './record-parking';
import { RedriveEvent, RedriveRequest, RedriveResult, redriveParkedRecords } from './redrive';
import { describe } from './retry';
import { applyWork, commitAll, stateEffects, Work } from './transaction-batches';

export { Effects } from './effects';
export type { AddEffect, ConditionCheckEffect, DeleteEffect, PutEffect, UpdateEffect, ItemKey } from './effects';
export { CONSUMER_ID_ENV, IDEMPOTENCY_TABLE_ENV } from './environment';
export { itemKeyOf, PARKED_RECORDS_TABLE_ENV, METRICS_NAMESPACE, PARKED_RECORDS_METRIC } from './parked-records';
export type { RecordEffectsHandler, TransactionalStreamHandlerOptions } from './handler-settings';
export type { RedriveEvent, RedriveRequest, RedriveResult } from './redrive';

/** A Lambda handler for a stream, which also answers a `RedriveEvent`. */
export interface TransactionalStreamHandler {
  (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse>;
  (event: RedriveEvent, context: Context): Promise<RedriveResult>;
  /** Replays the parked records of the given keys (or all), in stream order, each exactly once. */
  redrive(request?: RedriveRequest, context?: Context): Promise<RedriveResult>;
}

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
  const s = resolveSettings(statesEffects, options);
  const { maxAttempts, safetyMarginMs, logger } = s;

  const processBatch = async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
    const timeLeft = deadlineOf(s, context);
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
      [parked, sizes] = await Promise.all([parkedKeys(s, timeLeft), countInvocation(s, records, timeLeft)]);
    } catch (err) {
      logger.error('Could not read which item keys are parked or count the invocation; the batch is retried', { records: records.length, error: describe(err) });
      return { batchItemFailures: records.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })) };
    }

    // A record whose own attempts are used up is parked with its key's later records; otherwise they all fail.
    const failKey = new Map<string, string>();
    const onFailed = async (record: DynamoDBRecord, itemKey: string, error: unknown): Promise<Work | undefined> => {
      const attempt = await countAttempt(s, record, error, timeLeft);
      if (attempt !== undefined && attempt >= maxAttempts) {
        parked.add(itemKey);
        logger.error('Stream record parked', { sequenceNumber: record.dynamodb?.SequenceNumber, eventID: record.eventID, itemKey, attempt, error: describe(error) });
        return parkWork(s, record, itemKey, describe(error), attempt);
      }
      failKey.set(itemKey, record.dynamodb!.SequenceNumber!);
      logger.warn('Stream record failed', { sequenceNumber: record.dynamodb?.SequenceNumber, eventID: record.eventID, itemKey, attempt, maxAttempts, error: describe(error) });
      reportFailure(record);
      return undefined;
    };
    const waitBehind = (record: DynamoDBRecord, itemKey: string): Work | undefined => {
      if (parked.has(itemKey)) {
        logger.warn('Stream record parked behind an earlier parked record of its item key', logFields({ record, itemKey }, { attempt: 0 }));
        return parkWork(s, record, itemKey, 'an earlier record of the item key is parked', 0);
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
      works.push(parkWork(s, first, itemKey, reason, plan.diedAlone));
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
        works.push(applyWork(s, record, itemKey, await stateEffects(s, record, context, timeLeft)));
      } catch (err) {
        const w = await onFailed(record, itemKey, err);
        if (w) {
          works.push(w);
        }
      }
    }

    const { outcomes, unfinished } = await commitAll(s, works, timeLeft, async (work, error, later) => {
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
    publishParked(s, parkedCount, context);
    const unique = [...new Set(failures)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    return { batchItemFailures: unique.map((itemIdentifier) => ({ itemIdentifier })) };
  };

  const redrive = (request: RedriveRequest = {}, context?: Context): Promise<RedriveResult> => redriveParkedRecords(s, request, context);

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

export type { TransactItem } from './effects';
