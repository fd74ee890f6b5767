import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { LocalEventSourceMapping, matchesPattern } from '../../tools/dynamodb-local';

const record = (n: number, key = `K${n}`): DynamoDBRecord => ({
  eventID: `e${n}`,
  eventName: 'MODIFY',
  dynamodb: { Keys: { PK: { S: key }, SK: { S: n % 2 ? 'TASK' : 'OPEN_TASKS' } }, SequenceNumber: `1${String(n).padStart(20, '0')}` },
});
const records = (count: number) => Array.from({ length: count }, (_, i) => record(i));
const ids = (event: DynamoDBStreamEvent) => event.Records.map((r) => r.eventID);

describe('LocalEventSourceMapping', () => {
  test('delivers a shard in batches of batchSize, in order', async () => {
    const seen: string[][] = [];
    const mapping = new LocalEventSourceMapping(async (event) => {
      seen.push(ids(event) as string[]);
      return { batchItemFailures: [] };
    }, { batchSize: 4, bisectBatchOnError: true, retryAttempts: 3 });
    await mapping.deliver({ shardId: 's', records: records(10) });
    expect(seen).toEqual([['e0', 'e1', 'e2', 'e3'], ['e4', 'e5', 'e6', 'e7'], ['e8', 'e9']]);
    expect(mapping.onFailure).toEqual([]);
  });

  test('retries a partial failure from the lowest failed sequence number', async () => {
    const seen: string[][] = [];
    let failed = false;
    const mapping = new LocalEventSourceMapping(async (event) => {
      seen.push(ids(event) as string[]);
      if (!failed) {
        failed = true;
        const seq = (i: number) => event.Records[i].dynamodb!.SequenceNumber!;
        return { batchItemFailures: [{ itemIdentifier: seq(3) }, { itemIdentifier: seq(2) }] };
      }
      return { batchItemFailures: [] };
    }, { batchSize: 5, bisectBatchOnError: true, retryAttempts: 3 });
    await mapping.deliver({ shardId: 's', records: records(5) });
    expect(seen).toEqual([['e0', 'e1', 'e2', 'e3', 'e4'], ['e2', 'e3', 'e4']]);
  });

  test('bisects a failing batch and gives up on the failing record after retryAttempts (each split counts as one)', async () => {
    const mapping = new LocalEventSourceMapping(async (event) => {
      if (event.Records.some((r) => r.eventID === 'e2')) {
        throw new Error('poison');
      }
      return { batchItemFailures: [] };
    }, { batchSize: 4, bisectBatchOnError: true, retryAttempts: 3 });
    await mapping.deliver({ shardId: 's', records: records(4) });
    expect(mapping.invocations.map((i) => `${i.size}:${i.outcome}`)).toEqual(['4:error', '2:success', '2:error', '1:error', '1:error', '1:success']);
    expect(mapping.onFailure).toEqual([{
      shardId: 's', startSequenceNumber: record(2).dynamodb!.SequenceNumber, endSequenceNumber: record(2).dynamodb!.SequenceNumber, batchSize: 1, condition: 'RetryAttemptsExhausted',
    }]);
  });
});

describe('matchesPattern', () => {
  test('prefix, exact values and nesting', () => {
    const pattern = { eventName: ['MODIFY', 'INSERT'], dynamodb: { Keys: { SK: { S: [{ prefix: 'TASK' }] } } } };
    expect(matchesPattern(pattern, record(1))).toBe(true);
    expect(matchesPattern(pattern, record(2))).toBe(false);
    expect(matchesPattern(pattern, { ...record(1), eventName: 'REMOVE' })).toBe(false);
  });

  test('fails on an operator it does not know, rather than ignoring it', () => {
    expect(() => matchesPattern({ eventName: [{ numeric: ['>', 1] }] }, record(1))).toThrow(/Unsupported filter operator/);
  });
});
