import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { buildTransaction, Effects, invalidUnitReason, Unit } from '../../src/runtime/effects';
import { parkedRecordSk } from '../../src/runtime/parked-records';
import { backoffDelay, isRetryable, withRetries } from '../../src/runtime/retry';
import { createTransactionalStreamHandler } from '../../src/runtime/transactional-stream-handler';
import { fakeContext } from '../../tools/dynamodb-local';

const schemas = () => new Map([['T', ['PK']], ['M', ['id']]]);

/** A record's unit: its stated effects and a marker. */
function unit(itemKey: string, n: number, state: (e: Effects) => void): Unit {
  const effects = new Effects();
  state(effects);
  return {
    itemKey,
    operations: effects.operations,
    marker: { Put: { TableName: 'M', Item: { id: `m${n}` }, ConditionExpression: 'attribute_not_exists(id)' } },
  };
}
const counter = (itemKey: string, n: number, project: string, by = 1) =>
  unit(itemKey, n, (e) => e.add({ TableName: 'T', Key: { PK: project }, values: { openTasks: by } }));
const setTitle = (itemKey: string, n: number, target: string) =>
  unit(itemKey, n, (e) => e.update({ TableName: 'T', Key: { PK: target }, UpdateExpression: 'SET title = :t', ExpressionAttributeValues: { ':t': n } }));

describe('buildTransaction', () => {
  test('30 records adding to one counter: 30 markers and one update adding 30', () => {
    const tx = buildTransaction(Array.from({ length: 30 }, (_, i) => counter(`task${i}`, i, 'p1')), schemas());
    expect(tx.units).toHaveLength(30);
    expect(tx.items).toHaveLength(31);
    expect(tx.items.filter((i) => i.Update).map((i) => i.Update!.ExpressionAttributeValues)).toEqual([{ ':a0': 30 }]);
  });

  test('adds that sum to zero write nothing but the markers', () => {
    const tx = buildTransaction([counter('a', 1, 'p1', 1), counter('b', 2, 'p1', -1)], schemas());
    expect(tx.items.map((i) => Object.keys(i)[0])).toEqual(['Put', 'Put']);
  });

  test('adds of several records on one item are summed; 3 + 2 - 1 = 4', () => {
    const tx = buildTransaction([counter('a', 1, 'p1', 3), counter('b', 2, 'p1', 2), counter('c', 3, 'p1', -1), counter('d', 4, 'p2', 1)], schemas());
    expect(tx.items).toHaveLength(4 + 2);
    const updates = tx.items.filter((i) => i.Update).map((i) => [i.Update!.Key, i.Update!.UpdateExpression, i.Update!.ExpressionAttributeValues]);
    expect(updates).toEqual([
      [{ PK: 'p1' }, 'ADD #a0 :a0', { ':a0': 4 }],
      [{ PK: 'p2' }, 'ADD #a0 :a0', { ':a0': 1 }],
    ]);
    // Summed items belong to no single record; markers do.
    expect(tx.owners.filter((o) => o === undefined)).toHaveLength(2);
    expect(tx.isMarker.filter(Boolean)).toHaveLength(4);
  });

  test('two records setting one item go in separate transactions, and the later records of the deferred key wait too', () => {
    const units = [setTitle('a', 1, 'x'), setTitle('b', 2, 'x'), setTitle('b', 3, 'y'), setTitle('c', 4, 'z')];
    const tx = buildTransaction(units, schemas());
    // b#2 conflicts with a#1 on item x; b#3 must not overtake b#2 although y is free; c#4 goes.
    expect(tx.units).toEqual([units[0], units[3]]);
  });

  test('at most 100 items: 49 records of 2 items each fit beside nothing else, the 50th waits', () => {
    const units = Array.from({ length: 60 }, (_, i) => setTitle(`k${i}`, i, `item${i}`));
    const tx = buildTransaction(units, schemas());
    // Each record: its update and its marker. 50 x 2 = 100.
    expect(tx.units).toHaveLength(50);
    expect(tx.items).toHaveLength(100);
  });

  test('puts on a table whose key attributes are not learnt yet share a transaction unless their items are equal', () => {
    const put = (k: string, n: number, item: Record<string, unknown>) => unit(k, n, (e) => e.put({ TableName: 'U', Item: item }));
    expect(buildTransaction([put('a', 1, { id: 'x', n: 1 }), put('b', 2, { id: 'x', n: 2 })], schemas()).units).toHaveLength(2);
    expect(buildTransaction([put('a', 1, { id: 'x', n: 1 }), put('b', 2, { n: 1, id: 'x' })], schemas()).units).toHaveLength(1);
    // Learnt: the key tells.
    const known = new Map([...schemas(), ['U', ['id']]]);
    expect(buildTransaction([put('a', 1, { id: 'x', n: 1 }), put('b', 2, { id: 'x', n: 2 })], known).units).toHaveLength(1);
    expect(buildTransaction([put('a', 1, { id: 'x', n: 1 }), put('b', 2, { id: 'y', n: 2 })], known).units).toHaveLength(2);
    // Could not be learnt: one put on the table per transaction.
    const opaque = new Map([...schemas(), ['U', []]]);
    expect(buildTransaction([put('a', 1, { id: 'x' }), put('b', 2, { id: 'y' })], opaque).units).toHaveLength(1);
  });

  test('an item that records of several keys write changes in stream order, even when its earlier writer waits', () => {
    // b:2 writes x (taken by a:1) and z; c:3 writes z after it in the stream, so it waits for b:2.
    const put = (table: string, id: string, n: number) => (e: Effects) => e.put({ TableName: table, Item: { PK: id, n } });
    const a = unit('a', 1, put('T', 'x', 1));
    const b = unit('b', 2, (e) => { put('T', 'x', 2)(e); put('T', 'z', 2)(e); });
    const c = unit('c', 3, put('T', 'z', 3));
    const cAdds = unit('c', 3, (e) => e.add({ TableName: 'T', Key: { PK: 'z' }, values: { n: 1 } }));
    const d = unit('d', 4, put('T', 'w', 4));
    expect(buildTransaction([a, b, c, d], schemas()).units).toEqual([a, d]);
    expect(buildTransaction([a, b, cAdds, d], schemas()).units).toEqual([a, d]);
    // Adds commute: an add waits only for an earlier write other than an add.
    const addsZ = (k: string, n: number) => unit(k, n, (e) => e.add({ TableName: 'T', Key: { PK: 'z' }, values: { n } }));
    const blocked = unit('b', 2, (e) => { put('T', 'x', 2)(e); e.add({ TableName: 'T', Key: { PK: 'z' }, values: { n: 2 } }); });
    expect(buildTransaction([a, blocked, addsZ('c', 3)], schemas()).units).toEqual([a, expect.objectContaining({ itemKey: 'c' })]);
  });

  test('records of one key share their summed items: 50 keys with 2 records each (an add and a put) take 3 transactions, whatever the keys\' order', () => {
    const record = (k: number, version: number) => unit(`k${k}`, version * 100 + k, (e) => e
      .add({ TableName: 'T', Key: { PK: `COUNT#k${k}` }, values: { changes: 1 } })
      .put({ TableName: 'A', Item: { PK: `k${k}#${version}` } }));
    const known = new Map([...schemas(), ['A', ['PK']]]);
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let trial = 0; trial < 20; trial++) {
      // Each version's keys in a different order, as concurrent writers leave them in the stream.
      const order = () => Array.from({ length: 50 }, (_, k) => k).sort(() => random() - 0.5);
      let pending = [...order().map((k) => record(k, 1)), ...order().map((k) => record(k, 2))];
      const sizes: number[] = [];
      while (pending.length > 0) {
        const tx = buildTransaction(pending, known);
        sizes.push(tx.items.length);
        pending = pending.filter((u) => !tx.units.includes(u));
      }
      // 100 markers, 100 puts and 50 summed adds: 250 items, at least 3 transactions.
      expect(sizes).toEqual([100, 100, 50]);
    }
  });

  test('a unit marked alone goes in a transaction of its own', () => {
    const units = [counter('a', 1, 'p1'), counter('b', 2, 'p1')];
    units[0].alone = true;
    expect(buildTransaction(units, schemas()).units).toEqual([units[0]]);
    units[0].alone = false;
    units[1].alone = true;
    expect(buildTransaction(units, schemas()).units).toEqual([units[0]]);
  });
});

describe('invalidUnitReason', () => {
  test('refuses two writes to one item in one record', () => {
    const u = unit('a', 1, (e) => e.update({ TableName: 'T', Key: { PK: 'x' }, UpdateExpression: 'SET a = :a' }).delete({ TableName: 'T', Key: { PK: 'x' } }));
    expect(invalidUnitReason(u.operations, schemas())).toMatch(/two writes target the same item of T/);
  });

  test('refuses more than 99 items beside the marker', () => {
    const u = unit('a', 1, (e) => {
      for (let i = 0; i < 100; i++) {
        e.add({ TableName: 'T', Key: { PK: `c${i}` }, values: { n: 1 } });
      }
    });
    expect(invalidUnitReason(u.operations, schemas())).toMatch(/100 items written, more than the 99/);
  });

  test('counts each put on a table whose keys could not be learnt as an item of its own', () => {
    const u = unit('a', 1, (e) => {
      for (let i = 0; i < 99; i++) {
        e.put({ TableName: 'U', Item: { id: `p${i}` } });
      }
    });
    expect(invalidUnitReason(u.operations, new Map([...schemas(), ['U', []]]))).toBeUndefined();
    expect(invalidUnitReason(u.operations, new Map([...schemas(), ['U', []]]), { items: 2, what: 'two items' }))
      .toMatch(/99 items written, more than the 98 a transaction holds beside two items/);
  });

  test('tells two equal puts in one record apart from two puts of one key only once the key is learnt', () => {
    const u = unit('a', 1, (e) => e.put({ TableName: 'U', Item: { id: 'x', n: 1 } }).put({ TableName: 'U', Item: { id: 'x', n: 2 } }));
    expect(invalidUnitReason(u.operations, schemas())).toBeUndefined();
    expect(invalidUnitReason(u.operations, new Map([...schemas(), ['U', ['id']]]))).toMatch(/two writes target the same item of U/);
    const same = unit('a', 1, (e) => e.put({ TableName: 'U', Item: { id: 'x', n: 1 } }).put({ TableName: 'U', Item: { id: 'x', n: 1 } }));
    expect(invalidUnitReason(same.operations, schemas())).toMatch(/two writes target the same item of U/);
  });

  test('accepts two adds to one item (they are summed)', () => {
    const u = unit('a', 1, (e) => e.add({ TableName: 'T', Key: { PK: 'c' }, values: { n: 1 } }).add({ TableName: 'T', Key: { PK: 'c' }, values: { n: 2 } }));
    expect(invalidUnitReason(u.operations, schemas())).toBeUndefined();
  });
});

test('add() refuses a value that is not a finite number', () => {
  expect(() => new Effects().add({ TableName: 'T', Key: { PK: 'c' }, values: { n: Number.NaN } })).toThrow(/the value of `n` is NaN; it must be a finite number/);
});

test('parked records sort by sequence number whatever its length', () => {
  const sks = ['100000000000000000009', '99999999999999999999', '1000000000000000000000000000001'].map(parkedRecordSk);
  expect([...sks].sort()).toEqual([sks[1], sks[0], sks[2]]);
});

describe('retries', () => {
  test('throttling and conflicts are retried; a validation error or a failed condition is not', () => {
    expect(isRetryable({ name: 'ProvisionedThroughputExceededException' })).toBe(true);
    expect(isRetryable({ name: 'TransactionConflictException' })).toBe(true);
    expect(isRetryable({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } })).toBe(false);
    expect(isRetryable({ name: 'ConditionalCheckFailedException', $metadata: { httpStatusCode: 400 } })).toBe(false);
  });

  test('backoff doubles up to the cap, with full jitter', () => {
    const top = (attempt: number) => backoffDelay(attempt, { baseDelayMs: 20, maxDelayMs: 1000 }, () => 0.999999);
    // 20, 40, 80, ..., capped at 1000 (minus the jitter's last fraction).
    expect([1, 2, 3, 6, 7, 10].map(top)).toEqual([19, 39, 79, 639, 999, 999]);
    expect(backoffDelay(5, {}, () => 0)).toBe(0);
  });

  test('a throttled call is sent again until it succeeds', async () => {
    let calls = 0;
    const result = await withRetries('x', async () => {
      if (++calls < 3) {
        throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
      }
      return 'ok';
    }, () => 10_000, { baseDelayMs: 1 });
    expect([result, calls]).toEqual(['ok', 3]);
  });

  test('no call is started once the deadline has passed', async () => {
    let calls = 0;
    await expect(withRetries('writing a marker', async () => { calls++; }, () => 0)).rejects.toThrow(/writing a marker: no time left/);
    expect(calls).toBe(0);
  });
});

describe('createTransactionalStreamHandler', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  test('fails without a marker table or a parked-records table, naming the variable', () => {
    delete process.env.IDEMPOTENCY_TABLE_NAME;
    delete process.env.PARKED_RECORDS_TABLE_NAME;
    expect(() => createTransactionalStreamHandler(() => undefined)).toThrow(/No marker table: set the IDEMPOTENCY_TABLE_NAME environment variable/);
    expect(() => createTransactionalStreamHandler(() => undefined, { markerTableName: 'M' }))
      .toThrow(/No parked-records table: set the PARKED_RECORDS_TABLE_NAME environment variable/);
  });

  test('fails with maxAttempts below 1', () => {
    expect(() => createTransactionalStreamHandler(() => undefined, { markerTableName: 'M', parkedRecordsTableName: 'P', maxAttempts: 0 }))
      .toThrow(/`maxAttempts` is 0; it must be a whole number of at least 1/);
  });

  test('fails with key attribute names that are not one or two names', () => {
    const create = (keyAttributeNames: Record<string, string[]>) => () =>
      createTransactionalStreamHandler(() => undefined, { markerTableName: 'M', parkedRecordsTableName: 'P', keyAttributeNames });
    expect(create({ Tasks: [] })).toThrow(/`keyAttributeNames` gives \[\] for table 'Tasks'; give its partition key name.*\{ 'Tasks': \['PK', 'SK'\] \}/);
    expect(create({ Tasks: ['PK', 'SK', 'GSI1PK'] })).toThrow(/gives \["PK","SK","GSI1PK"\] for table 'Tasks'/);
    expect(create({ Tasks: ['PK', 'SK'] })).not.toThrow();
  });
});

describe('a failing add', () => {
  /** A MODIFY record of item `key` that adds 1 to the counter item `target`. */
  function record(key: string, seq: number, target: string): DynamoDBRecord {
    return {
      eventID: `e${seq}`,
      eventName: 'MODIFY',
      dynamodb: { Keys: { PK: { S: key } }, NewImage: { PK: { S: key }, counter: { S: target } }, SequenceNumber: `${100 + seq}` },
    };
  }

  /**
   * A client answering without a network: a transaction holding an update of the counter `bad` is
   * cancelled with a ValidationError on that update (as DynamoDB cancels an ADD to an attribute that is
   * not a number); other transactions commit. Attempt counts and parked-key reads succeed.
   */
  function client() {
    const c = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    const transactions: { committed: boolean; markers: string[] }[] = [];
    const attemptsCounted: string[] = [];
    c.middlewareStack.add((_next, ctx) => async (args: any) => {
      const answer = (output: object) => ({ output: { ...output, $metadata: {} }, response: {} }) as any;
      switch (ctx.commandName) {
        case 'QueryCommand':
          return answer({ Items: [] });
        case 'UpdateItemCommand':
          attemptsCounted.push(args.input.Key.pk);
          return answer({ Attributes: { attempts: 1 } });
        case 'TransactWriteItemsCommand': {
          const items: any[] = args.input.TransactItems;
          const markers = items.filter((i) => i.Put?.TableName === 'M').map((i) => i.Put.Item.id);
          const bad = items.map((i) => i.Update?.Key?.PK === 'bad');
          transactions.push({ committed: !bad.includes(true), markers });
          if (bad.includes(true)) {
            throw new TransactionCanceledException({
              message: 'Transaction cancelled',
              $metadata: {},
              CancellationReasons: bad.map((b) => (b ? { Code: 'ValidationError', Message: 'An operand in the update expression has an incorrect data type' } : { Code: 'None' })),
            });
          }
          return answer({});
        }
        default:
          throw new Error(`unexpected ${ctx.commandName}`);
      }
    }, { step: 'initialize', name: 'answerLocally' });
    return { c, transactions, attemptsCounted };
  }

  test('fails the record whose add it is, once that record is alone; its key\'s later record waits, the other keys go on', async () => {
    const { c, transactions, attemptsCounted } = client();
    const handler = createTransactionalStreamHandler((r, effects) => {
      effects.add({ TableName: 'T', Key: { PK: r.dynamodb!.NewImage!.counter.S! }, values: { n: 1 } });
    }, { markerTableName: 'M', parkedRecordsTableName: 'P', markerPrefix: '', dynamoDBClient: c, logger: new Logger({ logLevel: 'SILENT' }) });
    const started = Date.now();
    const response = await handler({ Records: [record('a', 1, 'bad'), record('b', 2, 'good'), record('a', 3, 'good')] }, fakeContext('test', 10_000));

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['101', '103']);
    // b's record committed; a's first record failed alone, and only its attempt was counted (beside the
    // invocation, counted once against the batch's first record before the logic ran).
    expect(transactions.filter((t) => t.committed).map((t) => t.markers)).toEqual([['e2']]);
    expect(attemptsCounted.filter((k) => k.startsWith('attempts#'))).toEqual(['attempts#e1']);
    expect(attemptsCounted.filter((k) => k.startsWith('invocations#'))).toEqual(['invocations#e1']);
    // Found out at once, not by retrying until the deadline.
    expect(transactions.length).toBeLessThanOrEqual(4);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
