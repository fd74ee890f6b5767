import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import {
  LocalEventSourceMapping, MappingSettings, matchesPattern, processFunction, StreamFunction,
} from '../../tools/dynamodb-local';

const seqOf = (n: number) => `1${String(n).padStart(20, '0')}`;
const record = (n: number, key = `K${n}`, createdSeconds?: number): DynamoDBRecord => ({
  eventID: `e${n}`,
  eventName: 'MODIFY',
  eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/2026-12-01T00:00:00.000',
  dynamodb: {
    Keys: { PK: { S: key }, SK: { S: n % 2 ? 'TASK' : 'OPEN_TASKS' } },
    NewImage: { PK: { S: key }, secret: { S: `value-${n}` } },
    SequenceNumber: seqOf(n),
    ...(createdSeconds !== undefined ? { ApproximateCreationDateTime: createdSeconds } : {}),
  },
});
const records = (count: number) => Array.from({ length: count }, (_, i) => record(i));
const ids = (event: DynamoDBStreamEvent) => event.Records.map((r) => r.eventID!);
const shard = (rs: DynamoDBRecord[]) => ({ shardId: 'shard-1', records: rs });
const settings = (s: Partial<MappingSettings> = {}): MappingSettings => ({ batchSize: 10, bisectBatchOnError: false, retryAttempts: 3, ...s });
const summary = (m: LocalEventSourceMapping) => m.invocations.map((i) => `${i.size}:${i.outcome}:r${i.retriesBefore}`);
const succeed: StreamFunction = async () => ({ batchItemFailures: [] });

describe('batching', () => {
  test('delivers a backlog in batches of batchSize, in order', async () => {
    const seen: string[][] = [];
    const mapping = new LocalEventSourceMapping(async (event) => {
      seen.push(ids(event));
    }, settings({ batchSize: 4 }));
    await mapping.deliver(shard(records(10)));
    expect(seen).toEqual([['e0', 'e1', 'e2', 'e3'], ['e4', 'e5', 'e6', 'e7'], ['e8', 'e9']]);
    expect(mapping.onFailure).toEqual([]);
  });

  test('closes a batch before the payload passes 6 MB', async () => {
    // Three records of 2.5 MB each: two make 5 MB, a third would make 7.5 MB > 6 MB.
    const big = (n: number): DynamoDBRecord => ({ ...record(n), dynamodb: { ...record(n).dynamodb, NewImage: { blob: { S: 'x'.repeat(2.5 * 1024 * 1024) } } } });
    const sizes: number[] = [];
    const mapping = new LocalEventSourceMapping(async (event) => {
      sizes.push(event.Records.length);
    }, settings({ batchSize: 100 }));
    await mapping.deliver(shard([big(0), big(1), big(2)]));
    expect(sizes).toEqual([2, 1]);
  });

  test('gathers records for up to the batching window after the first one arrives', async () => {
    // Arrivals at 0, 1, 2 and 10 s. A 5 s window opened at 0 s closes at 5 s: [0, 1, 2], then [10].
    const live = [record(0, 'A', 0), record(1, 'B', 1), record(2, 'C', 2), record(3, 'D', 10)];
    const run = async (maxBatchingWindowSeconds: number, startTime: number) => {
      const sizes: number[] = [];
      await new LocalEventSourceMapping(async (e) => {
        sizes.push(e.Records.length);
      }, settings({ batchSize: 100, maxBatchingWindowSeconds }), { startTime }).deliver(shard(live));
      return sizes;
    };
    expect(await run(5, 0)).toEqual([3, 1]);
    // No window: each record is invoked as soon as it is there (all four arrive at different seconds).
    expect(await run(0, 0)).toEqual([1, 1, 1, 1]);
    // A backlog (every record arrived before the mapping polled) fills one batch, window or not.
    expect(await run(0, 20_000)).toEqual([4]);
  });

  test('drops records that match no filter before batching them', async () => {
    const seen: string[][] = [];
    const mapping = new LocalEventSourceMapping(async (event) => {
      seen.push(ids(event));
    }, settings({ batchSize: 2, filterPatterns: [{ dynamodb: { Keys: { SK: { S: [{ prefix: 'TASK' }] } } } }] }));
    // Odd records are TASK items: e1, e3, e5 pass, in batches of 2.
    await mapping.deliver(shard(records(6)));
    expect(seen).toEqual([['e1', 'e3'], ['e5']]);
  });
});

describe('partial batch responses', () => {
  test('checkpoints at the lowest failed sequence number and retries from there, consuming one retry', async () => {
    const seen: string[][] = [];
    let calls = 0;
    const mapping = new LocalEventSourceMapping(async (event) => {
      seen.push(ids(event));
      if (calls++ === 0) {
        const s = (i: number) => event.Records[i].dynamodb!.SequenceNumber!;
        return { batchItemFailures: [{ itemIdentifier: s(3) }, { itemIdentifier: s(2) }] };
      }
      return { batchItemFailures: [] };
    }, settings({ batchSize: 5 }));
    await mapping.deliver(shard(records(5)));
    expect(seen).toEqual([['e0', 'e1', 'e2', 'e3', 'e4'], ['e2', 'e3', 'e4']]);
    expect(summary(mapping)).toEqual(['5:partial:r0', '3:success:r1']);
  });

  test.each([
    ['a null response', null],
    ['no response', undefined],
    ['an empty response', {}],
    ['a null batchItemFailures', { batchItemFailures: null }],
    ['an empty batchItemFailures', { batchItemFailures: [] }],
  ])('%s is a complete success', async (_name, response) => {
    const mapping = new LocalEventSourceMapping(async () => response, settings({ batchSize: 3 }));
    await mapping.deliver(shard(records(3)));
    expect(summary(mapping)).toEqual(['3:success:r0']);
  });

  test.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a misspelt key name', { batchItemFailures: [{ itemIdentifer: seqOf(1) }] }],
    ['an unknown sequence number', { batchItemFailures: [{ itemIdentifier: '999' }] }],
    ['a batchItemFailures that is no list', { batchItemFailures: seqOf(1) }],
  ])('%s fails the whole batch: retried whole, nothing skipped, no crash', async (_name, response) => {
    let calls = 0;
    const seen: string[][] = [];
    const mapping = new LocalEventSourceMapping(async (event) => {
      seen.push(ids(event));
      return calls++ === 0 ? response : { batchItemFailures: [] };
    }, settings({ batchSize: 3 }));
    await mapping.deliver(shard(records(3)));
    expect(summary(mapping)).toEqual(['3:invalid-response:r0', '3:success:r1']);
    expect(seen).toEqual([['e0', 'e1', 'e2'], ['e0', 'e1', 'e2']]);
    expect(mapping.invocations[0].failedRecords).toBe(3);
  });

  test('a whole-batch failure from the response goes to the destination whole when retries run out', async () => {
    const mapping = new LocalEventSourceMapping(async () => ({ batchItemFailures: [{ itemIdentifier: '' }] }), settings({ batchSize: 3, retryAttempts: 0 }));
    await mapping.deliver(shard(records(3)));
    expect(mapping.onFailure.map((f) => [f.startSequenceNumber, f.endSequenceNumber, f.batchSize])).toEqual([[seqOf(0), seqOf(2), 3]]);
    // The function did not fail: the destination message carries no functionError.
    expect(mapping.onFailure[0].message.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
  });

  test('without ReportBatchItemFailures a returned failure list is not processed', async () => {
    const mapping = new LocalEventSourceMapping(async (e) => ({ batchItemFailures: [{ itemIdentifier: e.Records[0].dynamodb!.SequenceNumber }] }),
      settings({ batchSize: 3, reportBatchItemFailures: false }));
    await mapping.deliver(shard(records(3)));
    expect(summary(mapping)).toEqual(['3:success:r0']);
  });
});

describe('bisect and retry attempts', () => {
  const poisonAt = (n: number): StreamFunction => async (event) => {
    if (event.Records.some((r) => r.eventID === `e${n}`)) {
      throw new Error('poison');
    }
  };

  test('splitting a failed batch consumes no retry attempt; the record alone is retried retryAttempts times', async () => {
    // 4 records, e2 poison, 3 retries: [e0-e3] fails, halves [e0,e1] ok and [e2,e3] fails, halves [e2] and [e3].
    // [e2] is invoked once and retried 3 times (retry counts 0, 1, 2, 3), then given up; [e3] succeeds.
    const mapping = new LocalEventSourceMapping(poisonAt(2), settings({ batchSize: 4, bisectBatchOnError: true, retryAttempts: 3 }));
    await mapping.deliver(shard(records(4)));
    expect(summary(mapping)).toEqual(['4:error:r0', '2:success:r0', '2:error:r0', '1:error:r0', '1:error:r1', '1:error:r2', '1:error:r3', '1:success:r0']);
    expect(mapping.onFailure.map((f) => [f.startSequenceNumber, f.endSequenceNumber, f.batchSize, f.condition]))
      .toEqual([[seqOf(2), seqOf(2), 1, 'RetryAttemptsExhausted']]);
    // Invoked 4 times in the whole batch, 2 in halves, 4 alone: 1 + 1 + 4 = 6 invocations included e2.
    expect(mapping.onFailure[0].message.requestContext.approximateInvokeCount).toBe(6);
  });

  test('without bisect the whole batch is retried and then given up whole; the next batch goes on', async () => {
    const mapping = new LocalEventSourceMapping(poisonAt(1), settings({ batchSize: 3, retryAttempts: 2 }));
    await mapping.deliver(shard(records(5)));
    expect(summary(mapping)).toEqual(['3:error:r0', '3:error:r1', '3:error:r2', '2:success:r0']);
    expect(mapping.onFailure.map((f) => [f.startSequenceNumber, f.endSequenceNumber, f.batchSize])).toEqual([[seqOf(0), seqOf(2), 3]]);
    expect(mapping.onFailure[0].message.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
  });

  test('a partial response with bisect is split at the checkpoint without consuming a retry', async () => {
    // e2 always reported failed. Bisect on, 1 retry: [e0-e4] partial at e2 -> split (no retry) -> [e2-e4] partial at
    // its first record (nothing to split: a retry) -> [e2-e4] partial again with the retry spent -> given up.
    const failE2: StreamFunction = async (event) => ({
      batchItemFailures: event.Records.filter((r) => r.eventID === 'e2').map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber })),
    });
    const withBisect = new LocalEventSourceMapping(failE2, settings({ batchSize: 5, bisectBatchOnError: true, retryAttempts: 1 }));
    await withBisect.deliver(shard(records(5)));
    expect(summary(withBisect)).toEqual(['5:partial:r0', '3:partial:r0', '3:partial:r1']);
    // Without bisect the first retry is already the only one: one invocation fewer.
    const withoutBisect = new LocalEventSourceMapping(failE2, settings({ batchSize: 5, bisectBatchOnError: false, retryAttempts: 1 }));
    await withoutBisect.deliver(shard(records(5)));
    expect(summary(withoutBisect)).toEqual(['5:partial:r0', '3:partial:r1']);
    for (const m of [withBisect, withoutBisect]) {
      expect(m.onFailure.map((f) => [f.startSequenceNumber, f.endSequenceNumber, f.batchSize])).toEqual([[seqOf(2), seqOf(4), 3]]);
    }
  });

  test('retryAttempts -1 retries until the records are older than the maximum record age', async () => {
    // Created at 1,000 s; the clock starts there and each invocation takes 30 s. Ages checked: 0, 30, 60 (not
    // above 60: invoked), 90 (discarded). Three invocations, then RecordAgeExceeded with no response context.
    let now = 1_000_000;
    const mapping = new LocalEventSourceMapping(async () => {
      now += 30_000;
      throw new Error('down');
    }, settings({ batchSize: 2, retryAttempts: -1, maxRecordAgeSeconds: 60 }), { now: () => now });
    await mapping.deliver(shard([record(0, 'A', 1000), record(1, 'B', 1000)]));
    expect(summary(mapping)).toEqual(['2:error:r0', '2:error:r1', '2:error:r2']);
    expect(mapping.onFailure.map((f) => [f.batchSize, f.condition])).toEqual([[2, 'RecordAgeExceeded']]);
    expect(mapping.onFailure[0].message.responseContext).toBeUndefined();
  });

  test('stops with an error instead of retrying forever when nothing bounds the retries', async () => {
    const mapping = new LocalEventSourceMapping(async () => {
      throw new Error('down');
    }, settings({ retryAttempts: -1 }), { maxInvocations: 5 });
    await expect(mapping.deliver(shard(records(1)))).rejects.toThrow(/stopped after 5 invocations/);
  });

  test('refuses settings Lambda refuses', () => {
    expect(() => new LocalEventSourceMapping(succeed, settings({ batchSize: 0 }))).toThrow(/`batchSize` is 0; Lambda allows whole numbers from 1 to 10000/);
    expect(() => new LocalEventSourceMapping(succeed, settings({ parallelizationFactor: 11 }))).toThrow(/`parallelizationFactor` is 11/);
  });
});

describe('maximum record age and the on-failure destination', () => {
  test('records older than the maximum age are discarded before the invocation; the rest are invoked', async () => {
    // Now is 10,000 s; ages 200, 150 and 50 s against a 100 s maximum: e0 and e1 discarded, e2 invoked.
    const seen: string[][] = [];
    const mapping = new LocalEventSourceMapping(async (e) => {
      seen.push(ids(e));
    }, settings({ maxRecordAgeSeconds: 100 }), { now: () => 10_000_000 });
    await mapping.deliver(shard([record(0, 'A', 9800), record(1, 'B', 9850), record(2, 'C', 9950)]));
    expect(seen).toEqual([['e2']]);
    expect(mapping.onFailure.map((f) => [f.startSequenceNumber, f.endSequenceNumber, f.condition])).toEqual([[seqOf(0), seqOf(1), 'RecordAgeExceeded']]);
    expect(mapping.onFailure[0].message.requestContext.approximateInvokeCount).toBe(0);
  });

  test('the destination receives batch metadata only, never the records', async () => {
    const mapping = new LocalEventSourceMapping(async () => {
      throw new Error('down');
    }, settings({ batchSize: 2, retryAttempts: 0 }), { functionName: 'counter', now: () => Date.UTC(2026, 11, 1) });
    await mapping.deliver(shard([record(0, 'A', 1_764_547_200), record(1, 'B', 1_764_547_201)]));
    const message = mapping.onFailure[0].message;
    expect(message).toEqual({
      requestContext: { requestId: expect.any(String), functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:counter', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2026-12-01T00:00:00.000Z',
      DDBStreamBatchInfo: {
        shardId: 'shard-1',
        startSequenceNumber: seqOf(0),
        endSequenceNumber: seqOf(1),
        approximateArrivalOfFirstRecord: '2025-12-01T00:00:00.000Z',
        approximateArrivalOfLastRecord: '2025-12-01T00:00:01.000Z',
        batchSize: 2,
        streamArn: record(0).eventSourceARN,
      },
    });
    expect(JSON.stringify(message)).not.toMatch(/value-0|NewImage|Keys/);
  });
});

describe('function timeout', () => {
  test('the remaining time counts down from the function timeout to a real deadline', async () => {
    const remaining: number[] = [];
    const mapping = new LocalEventSourceMapping(async (_e, context) => {
      remaining.push(context.getRemainingTimeInMillis());
      await new Promise((r) => setTimeout(r, 60));
      remaining.push(context.getRemainingTimeInMillis());
    }, settings({ functionTimeoutSeconds: 2 }));
    await mapping.deliver(shard(records(1)));
    expect(remaining[0]).toBeLessThanOrEqual(2000);
    expect(remaining[0]).toBeGreaterThan(1900);
    expect(remaining[0] - remaining[1]).toBeGreaterThanOrEqual(50);
  });

  test('an invocation that outlives the timeout is aborted and counted as a function error', async () => {
    const aborted: boolean[] = [];
    let calls = 0;
    const mapping = new LocalEventSourceMapping(async (_e, _c, signal) => {
      if (calls++ === 0) {
        await new Promise((r) => setTimeout(r, 400));
        aborted.push(signal!.aborted);
      }
    }, settings({ batchSize: 2, functionTimeoutSeconds: 0.1 }));
    await mapping.deliver(shard(records(2)));
    expect(summary(mapping)).toEqual(['2:timeout:r0', '2:success:r1']);
    expect(mapping.invocations[0].reason).toBe('Task timed out after 0.1 seconds');
    await new Promise((r) => setTimeout(r, 400));
    // The abandoned invocation saw its signal aborted.
    expect(aborted).toEqual([true]);
  });

  test('a function in a child process is killed at the timeout: its later writes never happen', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esm-'));
    const marker = path.join(dir, 'written');
    const module = path.join(dir, 'handler.js');
    // The first invocation writes its effect 500 ms in, after a 200 ms timeout; later ones are quick.
    fs.writeFileSync(module, `let n = 0; exports.handler = async () => { if (n++ === 0 && !require('fs').existsSync(${JSON.stringify(marker)} + '.started')) {
      require('fs').writeFileSync(${JSON.stringify(marker)} + '.started', '');
      await new Promise((r) => setTimeout(r, 500)); require('fs').writeFileSync(${JSON.stringify(marker)}, 'late'); }
      return { batchItemFailures: [] }; };`);
    const fn = processFunction(module);
    try {
      const mapping = new LocalEventSourceMapping(fn, settings({ batchSize: 2, functionTimeoutSeconds: 0.2 }));
      await mapping.deliver(shard(records(2)));
      expect(summary(mapping)).toEqual(['2:timeout:r0', '2:success:r1']);
      await new Promise((r) => setTimeout(r, 600));
      expect(fs.existsSync(marker)).toBe(false);
      // The killed process was replaced: a cold start for the retry.
      expect(fn.starts).toBe(2);
    } finally {
      fn.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parallelization factor', () => {
  // 8 item keys, 5 changes each: 40 records, interleaved as a table's writes are.
  const interleaved = Array.from({ length: 40 }, (_, i) => record(i, `K${i % 8}`));

  async function run(parallelizationFactor: number, poisonKey?: string) {
    let active = 0;
    let maxActive = 0;
    const applied: string[] = [];
    const mapping = new LocalEventSourceMapping(async (event) => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 15));
      active--;
      const poison = event.Records.findIndex((r) => r.dynamodb!.Keys!.PK.S === poisonKey);
      const ok = poison < 0 ? event.Records : event.Records.slice(0, poison);
      applied.push(...ok.map((r) => r.eventID!));
      return poison < 0 ? {} : { batchItemFailures: [{ itemIdentifier: event.Records[poison].dynamodb!.SequenceNumber }] };
    }, settings({ batchSize: 4, parallelizationFactor, retryAttempts: 1 }));
    await mapping.deliver(shard(interleaved));
    return { mapping, maxActive, applied };
  }

  const keyOf = (eventId: string) => `K${Number(eventId.slice(1)) % 8}`;

  test('processes up to parallelizationFactor batches of a shard at once, each item key in order', async () => {
    const one = await run(1);
    expect(one.maxActive).toBe(1);
    const four = await run(4);
    expect(four.maxActive).toBeGreaterThan(1);
    expect(four.maxActive).toBeLessThanOrEqual(4);
    expect(new Set(four.mapping.invocations.map((i) => i.lane)).size).toBeGreaterThan(1);
    expect([...four.applied].sort()).toEqual(interleaved.map((r) => r.eventID!).sort());
    for (let k = 0; k < 8; k++) {
      const mine = four.applied.filter((id) => keyOf(id) === `K${k}`).map((id) => Number(id.slice(1)));
      expect(mine).toEqual([k, k + 8, k + 16, k + 24, k + 32]);
    }
  });

  test('a failing item key holds back only its own lane', async () => {
    const { mapping, applied } = await run(4, 'K3');
    const within = (r: DynamoDBRecord, first: string, last: string) =>
      BigInt(r.dynamodb!.SequenceNumber!) >= BigInt(first) && BigInt(r.dynamodb!.SequenceNumber!) <= BigInt(last);
    const lanes = new Map(mapping.invocations.flatMap((i) => interleaved
      .filter((r) => within(r, i.firstSequenceNumber, i.lastSequenceNumber))
      .map((r) => [keyOf(r.eventID!), i.lane] as const)));
    const poisonLane = lanes.get('K3');
    // Keys in other lanes are applied in full; the given-up ranges are all in the poison key's lane.
    for (const [key, lane] of lanes) {
      if (lane !== poisonLane) {
        expect(applied.filter((id) => keyOf(id) === key)).toHaveLength(5);
      }
    }
    expect(mapping.onFailure.length).toBeGreaterThan(0);
    expect(mapping.invocations.filter((i) => i.outcome === 'partial').every((i) => i.lane === poisonLane)).toBe(true);
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
