/*
 * Parking: the works that park a record and replay it, and the parked-records table's reads and writes
 * (attempt and invocation counts, parked keys, a key's parked records).
 */
// The handler's app installs and bundles these; the construct library must not depend on them.
/* eslint-disable import/no-extraneous-dependencies */
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
/* eslint-enable import/no-extraneous-dependencies */
import type { Context, DynamoDBRecord } from 'aws-lambda';
import { Operation } from './effects';
import { HandlerSettings, markerId, nowSeconds } from './handler-settings';
import {
  METRICS_NAMESPACE, parkedBodyOf, parkedChunkSk, PARKED_RECORDS_METRIC, ParkedRecordItem, parkedRecordSk, RECORD_SK_PREFIX,
} from './parked-records';
import { describe, withRetries } from './retry';
import { Work } from './transaction-batches';

/** The work that parks a record: the full record, the key's count, and a marker that holds no expiry (a redrive may come after the TTL). */
export function parkWork(s: HandlerSettings, record: DynamoDBRecord, itemKey: string, reason: string, attempts: number): Work {
  const { markerTable, parkedTable, layout } = s;
  const body = parkedBodyOf(record);
  const sequenceNumber = record.dynamodb!.SequenceNumber!;
  const item: ParkedRecordItem = {
    pk: layout.keyPk(itemKey),
    sk: parkedRecordSk(record.dynamodb!.SequenceNumber!),
    itemKey: JSON.stringify(record.dynamodb?.Keys ?? {}),
    sequenceNumber: record.dynamodb!.SequenceNumber!,
    eventID: record.eventID ?? '',
    eventName: record.eventName,
    markerId: markerId(s, record),
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
        Item: { id: markerId(s, record), status: 'PARKED' },
        ConditionExpression: 'attribute_not_exists(id)',
      },
    },
  };
}

/** The work that replays a parked record: its effects, the parked items' removal, and the marker moved from PARKED to COMPLETED. */
export function redriveWork(
  s: HandlerSettings, record: DynamoDBRecord, itemKey: string, marker: string, chunks: number, operations: Operation[],
): Work {
  const { markerTable, parkedTable, markerTtl, layout } = s;
  return {
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
  };
}

/** Counts a failed attempt of a record, durably; `undefined` when the count could not be written in time. */
export async function countAttempt(s: HandlerSettings, record: DynamoDBRecord, error: unknown, timeLeft: () => number): Promise<number | undefined> {
  const { parkedTable, safetyMarginMs, markerTtl, layout, doc, logger } = s;
  try {
    const result = await withRetries('counting a failed attempt', () => doc.send(new UpdateCommand({
      TableName: parkedTable,
      Key: layout.attemptsKey(record),
      UpdateExpression: 'ADD attempts :one SET lastError = :error, expiration = :expiration',
      ExpressionAttributeValues: { ':one': 1, ':error': describe(error).slice(0, 1000), ':expiration': nowSeconds() + markerTtl },
      ReturnValues: 'UPDATED_NEW',
    })), () => timeLeft() + safetyMarginMs / 2, s.backoff);
    return Number(result.Attributes?.attempts);
  } catch (err) {
    logger.warn('Could not count a failed attempt of a stream record', { sequenceNumber: record.dynamodb?.SequenceNumber, error: describe(err) });
    return undefined;
  }
}

/**
 * Counts this invocation against the batch's first record, before any logic runs, and returns the sizes
 * of every batch that started with it (this one last): one UpdateItem per batch.
 */
export async function countInvocation(s: HandlerSettings, records: DynamoDBRecord[], timeLeft: () => number): Promise<number[]> {
  const { parkedTable, markerTtl, layout, doc } = s;
  const result = await withRetries('counting the invocation', () => doc.send(new UpdateCommand({
    TableName: parkedTable,
    Key: layout.invocationsKey(records[0]),
    UpdateExpression: 'SET sizes = list_append(if_not_exists(sizes, :none), :size), expiration = :expiration',
    ExpressionAttributeValues: { ':none': [], ':size': [records.length], ':expiration': nowSeconds() + markerTtl },
    ReturnValues: 'UPDATED_NEW',
  })), timeLeft, s.backoff);
  return (result.Attributes?.sizes as number[] | undefined ?? [records.length]).map(Number);
}

/** The item keys that have parked records (a later record of them must wait behind): one Query, empty unless something is parked. */
export async function parkedKeys(s: HandlerSettings, timeLeft: () => number): Promise<Set<string>> {
  const { parkedTable, layout, doc } = s;
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
    })), timeLeft, s.backoff);
    for (const item of response.Items ?? []) {
      result.add(String(item.sk));
    }
    start = response.LastEvaluatedKey;
    if (!start) {
      break;
    }
  }
  return result;
}

export function publishParked(s: HandlerSettings, count: number, context: Context | undefined): void {
  const { metrics } = s;
  if (count === 0) {
    return;
  }
  const functionName = context?.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'unknown';
  if (metrics === undefined) {
    process.stdout.write(`${parkedRecordsEmf(count, functionName)}\n`);
    return;
  }
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ FunctionName: functionName });
  metrics.addMetric(PARKED_RECORDS_METRIC, 'Count', count);
  metrics.publishStoredMetrics();
}

/**
 * The `ParkedRecords` metric as one line of CloudWatch embedded metric format, what Powertools Metrics
 * writes for it: one metric, one dimension, so the runtime writes it itself rather than bundle Powertools
 * Metrics (about 12 KB of a 55 KB handler) into every consumer.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export function parkedRecordsEmf(count: number, functionName: string, now: number = Date.now()): string {
  return JSON.stringify({
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [['FunctionName']], Metrics: [{ Name: PARKED_RECORDS_METRIC, Unit: 'Count' }] }],
    },
    FunctionName: functionName,
    [PARKED_RECORDS_METRIC]: count,
  });
}

export async function queryParked(s: HandlerSettings, itemKey: string, timeLeft: () => number): Promise<Record<string, unknown>[]> {
  const { parkedTable, layout, doc } = s;
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await withRetries('reading parked records', () => doc.send(new QueryCommand({
      TableName: parkedTable,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': layout.keyPk(itemKey), ':prefix': RECORD_SK_PREFIX },
      ConsistentRead: true,
      ExclusiveStartKey: start,
    })), timeLeft, s.backoff);
    items.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey;
    if (!start) {
      break;
    }
  }
  return items;
}

export async function deleteKeyIfEmpty(s: HandlerSettings, itemKey: string, timeLeft: () => number): Promise<void> {
  const { parkedTable, layout, doc } = s;
  try {
    await withRetries('clearing a parked key', () => doc.send(new DeleteCommand({
      TableName: parkedTable,
      Key: { pk: layout.parkedKeysPk, sk: itemKey },
      ConditionExpression: 'attribute_not_exists(pk) OR parkedCount <= :zero',
      ExpressionAttributeValues: { ':zero': 0 },
    })), timeLeft, s.backoff);
  } catch (err) {
    // A record was parked meanwhile: it stays, and so does the key.
    if ((err as Error).name !== 'ConditionalCheckFailedException') {
      throw err;
    }
  }
}
