/*
 * Redrive: replaying a key's parked records, in stream order, each exactly once, and the event that asks for it.
 */
import type { AttributeValue, Context } from 'aws-lambda';
import { HandlerSettings, deadlineOf, logFields } from './handler-settings';
import { groupParkedItems, itemKeyOf, recordOfParked } from './parked-records';
import { deleteKeyIfEmpty, parkedKeys, queryParked, redriveWork } from './record-parking';
import { describe } from './retry';
import { commitAll, stateEffects, Work } from './transaction-batches';

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

/** Replays the parked records of the given keys (or all), in stream order, each exactly once. */
export async function redriveParkedRecords(s: HandlerSettings, request: RedriveRequest = {}, context?: Context): Promise<RedriveResult> {
  const { logger } = s;
  const timeLeft = deadlineOf(s, context);
  const keys = request.keys
    ? request.keys.map((k) => itemKeyOf({ dynamodb: { Keys: k } }))
    : [...await parkedKeys(s, timeLeft)];
  let redriven = 0;
  let stillParked = 0;
  const failures: { itemKey: string; sequenceNumber: string; error: string }[] = [];
  for (const itemKey of keys) {
    // New records of the key may be parked while this runs: read again until the key is empty (bounded).
    for (let round = 0; round < 5 && timeLeft() > 0; round++) {
      const parkedItems = groupParkedItems(await queryParked(s, itemKey, timeLeft));
      if (parkedItems.length === 0) {
        await deleteKeyIfEmpty(s, itemKey, timeLeft);
        break;
      }
      const works: Work[] = [];
      let stopped = false;
      for (const entry of parkedItems) {
        const item = entry.head;
        try {
          const record = recordOfParked(entry);
          const operations = await stateEffects(s, record, context ?? ({} as Context), timeLeft);
          works.push(redriveWork(s, record, itemKey, String(item.markerId), entry.chunks.length, operations));
        } catch (err) {
          failures.push({ itemKey, sequenceNumber: String(item.sequenceNumber), error: describe(err) });
          logger.error('Parked record failed again on redrive; it and the later records of its key stay parked', { itemKey, sequenceNumber: item.sequenceNumber, error: describe(err) });
          stopped = true;
          break;
        }
      }
      const { outcomes, unfinished } = await commitAll(s, works, timeLeft, async (work, error, later) => {
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
    stillParked += groupParkedItems(await queryParked(s, itemKey, () => Math.max(timeLeft(), 1000))).length;
  }
  return { keys: keys.length, redriven, stillParked, failures };
}
