/*
 * Batching stream records into transactions: a record's stated effects are checked, then committed with its
 * marker, several records per TransactWriteItems, in stream order; a cancelled transaction is sorted out
 * record by record (applied before, failed, or sent again).
 */
// The handler's app installs and bundles these; the construct library must not depend on them.
/* eslint-disable import/no-extraneous-dependencies */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
/* eslint-enable import/no-extraneous-dependencies */
import type { Context, DynamoDBRecord } from 'aws-lambda';
import { describeKeyNames, foreignTableReason } from './effect-tables';
import { buildTransaction, Effects, invalidUnitReason, learnKeySchemas, Operation, sameItemReason, Unit } from './effects';
import { HandlerSettings, markerId, nowSeconds } from './handler-settings';
import { parkedItemCount } from './parked-records';
import { backoffDelay, DeadlineReachedError, describe, isRetryable, RETRYABLE_CANCELLATION_CODES, sleep } from './retry';

/** DynamoDB's refusal of a transaction in which two operations write one item. */
function isSameItemRejection(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  return e?.name === 'ValidationException' && /multiple operations on one item/i.test(e.message ?? '');
}

/**
 * Learns the key attribute names of the tables the units put items in and whose names were not known, with
 * one DescribeTable per table per execution environment: a table that cannot be described gets its puts
 * committed one record per transaction. Returns whether anything was learnt.
 */
async function learnPutKeys(s: HandlerSettings, units: readonly Work[]): Promise<boolean> {
  const tables = new Set(units.flatMap((w) => w.operations).filter((op) => op.kind === 'Put' && !s.keySchemas.has(op.input.TableName!))
    .map((op) => op.input.TableName!));
  for (const table of tables) {
    const names = await describeKeyNames(s.client, table, (error) => s.logger.warn(
      'Could not describe an effect table: its puts are committed one record per transaction; grant dynamodb:DescribeTable or pass `keyAttributeNames`',
      { table, error: describe(error) }));
    if (!s.keySchemas.has(table)) {
      s.keySchemas.set(table, names ?? []);
    }
  }
  return tables.size > 0;
}

/** What a unit of work does to its record: apply it, park it, or replay it from the parked-records table. */
export type Kind = 'apply' | 'park' | 'redrive';

/** One record's writes and marker, committed together. */
export interface Work extends Unit {
  readonly kind: Kind;
  readonly record: DynamoDBRecord;
  readonly sequenceNumber: string;
}

export type Outcome = 'applied' | 'duplicate' | { readonly error: unknown };

/** The work that applies a record: its effects and a marker that must not exist yet. */
export function applyWork(s: HandlerSettings, record: DynamoDBRecord, itemKey: string, operations: Operation[]): Work {
  return {
    kind: 'apply',
    record,
    itemKey,
    sequenceNumber: record.dynamodb!.SequenceNumber!,
    operations,
    marker: {
      Put: {
        TableName: s.markerTable,
        Item: { id: markerId(s, record), status: 'COMPLETED', expiration: nowSeconds() + s.markerTtl },
        ConditionExpression: 'attribute_not_exists(id)',
      },
    },
  };
}

/**
 * Runs the record's logic, which must finish before the deadline (a logic that awaits forever fails
 * the record, and is counted, instead of timing the invocation out); throws when its effects cannot be
 * committed as stated.
 */
export async function stateEffects(s: HandlerSettings, record: DynamoDBRecord, context: Context, timeLeft: () => number): Promise<Operation[]> {
  const { statesEffects, safetyMarginMs, keySchemas } = s;
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
  const foreign = foreignTableReason(effects.operations, await s.regionOfClient(), context?.invokedFunctionArn?.split(':')[4]);
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
}

/**
 * Commits works in transactions, in order, until all are done, failed, or time is up. A failed work
 * takes every later work of its key with it: `onFailed` says what becomes of them.
 */
export async function commitAll(
  s: HandlerSettings,
  works: Work[],
  timeLeft: () => number,
  onFailed: (work: Work, error: unknown, later: Work[]) => Promise<Work[]>,
): Promise<{ outcomes: Map<Work, Outcome>; unfinished: Work[] }> {
  const { keySchemas, safetyMarginMs, doc } = s;
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
      } else if (isSameItemRejection(err) && await learnPutKeys(s, tx.units)) {
        // Two puts of the transaction wrote one item: packed again by the keys now learnt.
        for (const w of pending.filter((p) => p.operations.some((op) => op.kind === 'Put'))) {
          const reason = sameItemReason(w.operations, keySchemas);
          if (reason && pending.includes(w)) {
            await fail(w, new Error(`The effects of record ${w.sequenceNumber} cannot be committed in one transaction: ${reason}.`));
          }
        }
        retries = 0;
        continue;
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
      const delay = backoffDelay(++retries, s.backoff);
      if (delay >= timeLeft()) {
        break;
      }
      await sleep(delay);
    }
  }
  return { outcomes, unfinished: pending };
}
