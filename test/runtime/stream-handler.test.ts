import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import { createStreamHandler, itemKeyOf } from '../../src/runtime/stream-handler';

const context = { getRemainingTimeInMillis: () => 60_000, functionName: 'test' } as unknown as Context;

/** A MODIFY record of item `key`, with a 21-digit sequence number that grows with `seq`. */
function record(key: string, seq: number): DynamoDBRecord {
  return {
    eventID: `event-${seq}`,
    eventName: 'MODIFY',
    eventSource: 'aws:dynamodb',
    eventVersion: '1.1',
    awsRegion: 'us-east-1',
    dynamodb: {
      Keys: { PK: { S: key } },
      NewImage: { PK: { S: key }, n: { N: String(seq) } },
      SequenceNumber: `1${String(seq).padStart(20, '0')}`,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/** 4 keys x 5 records, interleaved as a shard would deliver them. */
function batch(): DynamoDBRecord[] {
  const records: DynamoDBRecord[] = [];
  let seq = 0;
  for (let round = 0; round < 5; round++) {
    for (const key of ['A', 'B', 'C', 'D']) {
      records.push(record(key, seq++));
    }
  }
  return records;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seqOf = (r: DynamoDBRecord) => Number(r.dynamodb!.NewImage!.n.N);

describe('per-key ordering', () => {
  test('keeps stream order within each item key and runs different keys at the same time', async () => {
    const applied = new Map<string, number[]>();
    let running = 0;
    let maxRunning = 0;
    const handler = createStreamHandler(async (r) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      // Later records finish sooner: any reordering within a key would show.
      await sleep(20 - seqOf(r));
      const key = r.dynamodb!.Keys!.PK.S!;
      applied.set(key, [...(applied.get(key) ?? []), seqOf(r)]);
      running--;
    }, { idempotency: false });

    const response = await handler({ Records: batch() }, context);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(Object.fromEntries(applied)).toEqual({
      A: [0, 4, 8, 12, 16], B: [1, 5, 9, 13, 17], C: [2, 6, 10, 14, 18], D: [3, 7, 11, 15, 19],
    });
    expect(maxRunning).toBe(4);
  });

  test('after a failure, later records of the same key are failed without running; other keys carry on', async () => {
    const ran: number[] = [];
    const handler = createStreamHandler(async (r) => {
      ran.push(seqOf(r));
      if (seqOf(r) === 5) {
        throw new Error('boom');
      }
    }, { idempotency: false });

    const response = await handler({ Records: batch() }, context);

    // B is records 1, 5, 9, 13, 17: 5 failed, 9, 13 and 17 must wait for it.
    expect(ran.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 14, 15, 16, 18, 19]);
    expect(response.batchItemFailures.map((f) => Number(f.itemIdentifier.slice(1))).sort((a, b) => a - b)).toEqual([5, 9, 13, 17]);
  });

  test('limits how many keys run at the same time', async () => {
    let running = 0;
    let maxRunning = 0;
    const handler = createStreamHandler(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(5);
      running--;
    }, { idempotency: false, maxConcurrency: 2 });
    await handler({ Records: batch() }, context);
    expect(maxRunning).toBe(2);
  });

  test('a batch whose every record fails throws, so Lambda can bisect it', async () => {
    const handler = createStreamHandler(async () => {
      throw new Error('poison');
    }, { idempotency: false });
    await expect(handler({ Records: [record('A', 1), record('B', 2)] }, context)).rejects.toBeInstanceOf(FullBatchFailureError);
  });
});

describe('other orderings', () => {
  test('in-order runs one record at a time, in batch order', async () => {
    const ran: number[] = [];
    let running = 0;
    let maxRunning = 0;
    const handler = createStreamHandler(async (r) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(1);
      ran.push(seqOf(r));
      running--;
    }, { idempotency: false, ordering: 'in-order' });
    await handler({ Records: batch() }, context);
    expect(ran).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(maxRunning).toBe(1);
  });

  test('parallel starts every record before any finishes, so a key\'s later change can overtake its earlier one', async () => {
    let started = 0;
    let startedWhenFirstFinished = -1;
    const handler = createStreamHandler(async () => {
      started++;
      await sleep(1);
      if (startedWhenFirstFinished < 0) {
        startedWhenFirstFinished = started;
      }
    }, { idempotency: false, ordering: 'parallel' });
    await handler({ Records: batch() }, context);
    expect(startedWhenFirstFinished).toBe(20);
  });
});

test('itemKeyOf identifies the item by partition and sort key, whatever the attribute order', () => {
  const r1 = record('A', 1);
  r1.dynamodb!.Keys = { PK: { S: 'A' }, SK: { S: 'x' } };
  const r2 = record('A', 2);
  r2.dynamodb!.Keys = { SK: { S: 'x' }, PK: { S: 'A' } };
  const r3 = record('A', 3);
  r3.dynamodb!.Keys = { PK: { S: 'A' }, SK: { S: 'y' } };
  expect(itemKeyOf(r1)).toBe(itemKeyOf(r2));
  expect(itemKeyOf(r1)).not.toBe(itemKeyOf(r3));
});

test('fails without an idempotency table name', () => {
  const saved = process.env.IDEMPOTENCY_TABLE_NAME;
  delete process.env.IDEMPOTENCY_TABLE_NAME;
  try {
    expect(() => createStreamHandler(async () => undefined)).toThrow(/No idempotency table: set the IDEMPOTENCY_TABLE_NAME environment variable/);
  } finally {
    if (saved !== undefined) {
      process.env.IDEMPOTENCY_TABLE_NAME = saved;
    }
  }
});

test('fails with a maxConcurrency below 1', () => {
  expect(() => createStreamHandler(async () => undefined, { idempotency: false, maxConcurrency: 0 })).toThrow(/`maxConcurrency` is 0/);
});

test('starts no record inside the safety margin before the deadline, and reports it as failed', async () => {
  let remaining = 10_000;
  const late = { ...context, getRemainingTimeInMillis: () => remaining } as Context;
  const ran: number[] = [];
  const handler = createStreamHandler(async (r) => {
    ran.push(seqOf(r));
    // Each record takes 4 s of the invocation.
    remaining -= 4_000;
  }, { idempotency: false, ordering: 'in-order', safetyMarginMs: 3_000 });
  const response = await handler({ Records: [record('A', 1), record('A', 2), record('B', 3), record('B', 4)] }, late);
  // 10 s: record 1 starts (10 s left), record 2 starts (6 s), record 3 does not (2 s < 3 s), nor 4.
  expect(ran).toEqual([1, 2]);
  expect(response.batchItemFailures.map((f) => Number(f.itemIdentifier.slice(1)))).toEqual([3, 4]);
});

describe('throttled idempotency-store calls', () => {
  /**
   * A DynamoDB client that answers without a network: each command named in `throttles` fails that many
   * times with ProvisionedThroughputExceededException (as an exhausted SDK retry would surface it), then
   * succeeds; every command is counted.
   */
  function throttlingClient(throttles: Record<string, number>, error: () => Error = throttled) {
    const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    const calls: Record<string, number> = {};
    const left = { ...throttles };
    client.middlewareStack.add((_next, ctx) => async () => {
      const command = ctx.commandName!;
      calls[command] = (calls[command] ?? 0) + 1;
      if ((left[command] ?? 0) > 0) {
        left[command]--;
        throw error();
      }
      return { output: { $metadata: {} } as any, response: {} };
    }, { step: 'initialize', name: 'answerLocally' });
    return { client, calls };
  }
  const throttled = () => new ProvisionedThroughputExceededException({ message: 'Throughput exceeds the current capacity', $metadata: {} });
  const backoff = { baseDelayMs: 1, maxDelayMs: 5 };

  test('a COMPLETED write throttled 5 times is sent again until it succeeds: the record succeeds, its effect ran once', async () => {
    const { client, calls } = throttlingClient({ UpdateItemCommand: 5 });
    const effects: number[] = [];
    const handler = createStreamHandler(async (r) => {
      effects.push(seqOf(r));
    }, { idempotencyTableName: 'Idempotency', dynamoDBClient: client, backoff });

    const response = await handler({ Records: [record('A', 1)] }, context);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(effects).toEqual([1]);
    // 1 INPROGRESS put; 5 throttled COMPLETED updates and the one that went through.
    expect(calls).toEqual({ PutItemCommand: 1, UpdateItemCommand: 6 });
  });

  test('a throttled INPROGRESS put is sent again before the effect runs', async () => {
    const { client, calls } = throttlingClient({ PutItemCommand: 3 });
    const effects: number[] = [];
    const handler = createStreamHandler(async (r) => {
      effects.push(seqOf(r));
    }, { idempotencyTableName: 'Idempotency', dynamoDBClient: client, backoff });

    expect(await handler({ Records: [record('A', 1), record('B', 2)] }, context)).toEqual({ batchItemFailures: [] });
    expect(effects.sort()).toEqual([1, 2]);
    expect(calls).toEqual({ PutItemCommand: 5, UpdateItemCommand: 2 });
  });

  /** The errors of a batch whose every record failed (Powertools then fails the invocation, so Lambda can bisect). */
  async function recordErrors(run: Promise<unknown>): Promise<{ name: string; cause?: string }[]> {
    const error = await run.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(FullBatchFailureError);
    return (error as FullBatchFailureError).recordErrors.map((e) => ({ name: e.name, cause: (e.cause as Error | undefined)?.name }));
  }

  test('still throttled at the safety margin: the calls stop before the deadline and the record fails', async () => {
    const { client, calls } = throttlingClient({ UpdateItemCommand: 1_000_000 });
    // 1.2 s left, 1 s of safety margin: 0.2 s to retry in.
    const deadline = Date.now() + 1_200;
    const short = { ...context, getRemainingTimeInMillis: () => deadline - Date.now() } as Context;
    const handler = createStreamHandler(async () => undefined, {
      idempotencyTableName: 'Idempotency', dynamoDBClient: client, backoff: { baseDelayMs: 10, maxDelayMs: 20 }, safetyMarginMs: 1_000,
    });

    const errors = await recordErrors(handler({ Records: [record('A', 1)] }, short));

    expect(errors).toEqual([{ name: 'IdempotencyPersistenceLayerError', cause: 'DeadlineReachedError' }]);
    expect(Date.now()).toBeLessThan(deadline - 700);
    expect(calls.UpdateItemCommand).toBeGreaterThan(1);
  });

  test('an error a retry cannot fix is not sent again', async () => {
    const invalid = () => Object.assign(new Error('One or more parameter values were invalid'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    const { client, calls } = throttlingClient({ UpdateItemCommand: 1 }, invalid);
    const handler = createStreamHandler(async () => undefined, { idempotencyTableName: 'Idempotency', dynamoDBClient: client, backoff });

    const errors = await recordErrors(handler({ Records: [record('A', 1)] }, context));

    expect(errors).toEqual([{ name: 'IdempotencyPersistenceLayerError', cause: 'ValidationException' }]);
    expect(calls.UpdateItemCommand).toBe(1);
  });
});
