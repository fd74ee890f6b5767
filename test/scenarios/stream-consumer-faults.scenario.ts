/*
 * Faults no `catch` sees, and consumers that share tables or change names, on DynamoDB Local: the real
 * bundle, real stream records, the event source mapping model (bisect, retries, timeouts), each invocation
 * in a child process that the fault kills for real (SIGKILL from inside the logic, or the mapping's timeout).
 *
 *   npx jest -c test/scenarios/jest.config.json test/scenarios/stream-consumer-faults.scenario.ts
 */
import { randomBytes } from 'crypto';
import { DeleteItemCommand, PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { compare, Probe, PROBE_CONSUMER_ID, ProbeTables, readState, startProbe, writeVersions } from '../../bench/stream-probe/harness';
import { groupParkedItems, recordOfParked } from '../../src/runtime/parked-records';
import { ParkedRecordsTable } from '../../src/streams/parked-records-table';
import { childStreamFunction, invokeInChild, LocalEventSourceMapping, readStream } from '../../tools/dynamodb-local';

let probe: Probe;
beforeAll(async () => {
  probe = await startProbe();
});
afterAll(async () => {
  await probe?.stop();
});

const ALL = [1, 2, 3, 4, 5, 6];
/** The mapping TableStreamConsumer renders by default: batches of 100, bisect on error, 10 retries. */
const mappingFor = (env: Record<string, string>, functionTimeoutSeconds = 60) =>
  new LocalEventSourceMapping(childStreamFunction(probe.bundlePath, env), {
    batchSize: 100, retryAttempts: 10, bisectBatchOnError: true, functionTimeoutSeconds,
  }, { functionName: 'probe' });

async function expectLogs(t: ProbeTables, expected: Map<string, number[]>): Promise<void> {
  const state = await readState(probe, t);
  expect(compare(state, expected)).toEqual({ inversions: 0, duplicates: 0, missing: 0, extra: 0 });
  expect(Object.fromEntries(state.logs)).toEqual(Object.fromEntries(expected));
  const all = [...expected.values()].flat();
  expect({ records: state.records, sum: state.sum }).toEqual({ records: all.length, sum: all.reduce((a, b) => a + b, 0) });
}

/** The items parked for `key` by `consumer` (heads and chunks), in sort-key order. */
async function parkedItems(t: ProbeTables, key: string, consumer = PROBE_CONSUMER_ID): Promise<Record<string, unknown>[]> {
  const { Items } = await probe.client.send(new QueryCommand({
    TableName: t.parked,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
    ExpressionAttributeValues: { ':pk': { S: `${consumer}#key#[["PK",{"S":"${key}"}]]` }, ':r': { S: 'record#' } },
    ConsistentRead: true,
  }));
  const items = (Items ?? []).map((i) => unmarshall(i));
  // The table's time to live would delete a parked record: none may carry its attribute.
  expect(items.filter((i) => ParkedRecordsTable.TIME_TO_LIVE_ATTRIBUTE in i)).toEqual([]);
  return items;
}

/** The versions of `key` parked by `consumer`, in the order a redrive replays them. */
async function parkedVersions(t: ProbeTables, key: string, consumer = PROBE_CONSUMER_ID): Promise<number[]> {
  return groupParkedItems(await parkedItems(t, key, consumer)).map((e) => Number(recordOfParked(e).dynamodb!.NewImage!.v.N));
}

const redrive = async (env: Record<string, string>) => (await invokeInChild(probe.bundlePath, env, { redriveParkedRecords: {} })).result;

/**
 * A record whose logic kills or hangs its process: it is parked with its key's later records, the other
 * keys are applied, nothing reaches the dead-letter queue, and a redrive with the fix applies b's records
 * once, in order.
 */
async function poisonThatNeverAnswers(prefix: string, fault: Record<string, string>, functionTimeoutSeconds: number) {
  const t = await probe.tables(prefix);
  const records = await writeVersions(probe, t, ['a', 'b', 'c'], ALL);
  const env = probe.env(t, fault);
  const mapping = mappingFor(env, functionTimeoutSeconds);
  const started = Date.now();
  await mapping.deliver({ shardId: 'shard-0', records });
  const seconds = (Date.now() - started) / 1000;

  expect(mapping.onFailure).toEqual([]);
  const died = mapping.invocations.filter((i) => i.outcome === 'error' || i.outcome === 'timeout');
  expect(died.length).toBeGreaterThan(0);
  // Lambda's retry quota is never the limit: bisecting consumes none, and b:3 alone died 3 times at most.
  expect(Math.max(...mapping.invocations.map((i) => i.retriesBefore))).toBeLessThanOrEqual(3);
  await expectLogs(t, new Map([['a', ALL], ['b', [1, 2]], ['c', ALL]]));
  expect(await parkedVersions(t, 'b')).toEqual([3, 4, 5, 6]);

  expect(await redrive(probe.env(t, { ...fault, ACCEPT_POISON: '1' }))).toEqual({ keys: 1, redriven: 4, stillParked: 0, failures: [] });
  await expectLogs(t, new Map([['a', ALL], ['b', ALL], ['c', ALL]]));
  return { invocations: mapping.invocations.length, died: died.length, seconds };
}

test('SIGKILL inside one record\'s logic: parked with its key\'s later records after 3 deaths alone, not discarded', async () => {
  const run = await poisonThatNeverAnswers('kill-in-logic', { KILL_IN_LOGIC: 'b:3' }, 60);
  // eslint-disable-next-line no-console
  console.log(`SIGKILL in logic: ${run.invocations} invocations, ${run.died} killed, ${run.seconds.toFixed(1)} s`);
});

test('a record whose logic hangs past the function timeout: parked the same way, the timeout kills each attempt', async () => {
  const run = await poisonThatNeverAnswers('hang-in-logic', { HANG_IN_LOGIC: 'b:3' }, 5);
  // eslint-disable-next-line no-console
  console.log(`hang past the timeout: ${run.invocations} invocations, ${run.died} timed out, ${run.seconds.toFixed(1)} s`);
});

test('a renamed function (same consumer identity) applies nothing again; a new identity would', async () => {
  const t = await probe.tables('rename');
  const records = await writeVersions(probe, t, ['a', 'b'], [1, 2, 3]);
  await mappingFor(probe.env(t)).deliver({ shardId: 'shard-0', records });
  const once = new Map([['a', [1, 2, 3]], ['b', [1, 2, 3]]]);
  await expectLogs(t, once);

  // The function is replaced under a new name; the stream is read again from TRIM_HORIZON.
  const renamed = mappingFor(probe.env(t, { AWS_LAMBDA_FUNCTION_NAME: 'probe-renamed-1A2B3C' }));
  await renamed.deliver({ shardId: 'shard-0', records });
  expect(renamed.invocations.map((i) => i.outcome)).toEqual(['success']);
  await expectLogs(t, once);

  // What the docs warn of: a changed consumer identity has no markers, so the records still in the stream apply again.
  await mappingFor(probe.env(t, { STREAM_CONSUMER_ID: 'another-consumer' })).deliver({ shardId: 'shard-0', records });
  expect((await readState(probe, t)).logs.get('a')).toEqual([1, 2, 3, 1, 2, 3]);
});

test('two consumers sharing the marker and parked-records tables: each parks, counts and redrives only its own records', async () => {
  const shared = await probe.tables('shared-a');
  const other = await probe.tables('shared-b');
  // Consumer B has its own effect table (other.target) and shares A's markers and parked records.
  const tablesB: ProbeTables = { ...shared, target: other.target };
  const records = await writeVersions(probe, shared, ['a', 'b'], [1, 2, 3, 4], ['b:2']);
  const envA = probe.env(shared, { STREAM_CONSUMER_ID: 'consumer-a' });
  const envB = probe.env(tablesB, { STREAM_CONSUMER_ID: 'consumer-b', AWS_LAMBDA_FUNCTION_NAME: 'probe-b' });
  await mappingFor(envA).deliver({ shardId: 'shard-0', records });
  await mappingFor(envB).deliver({ shardId: 'shard-0', records });
  const parkedState = new Map([['a', [1, 2, 3, 4]], ['b', [1]]]);
  await expectLogs(shared, parkedState);
  await expectLogs(tablesB, parkedState);
  expect(await parkedVersions(shared, 'b', 'consumer-a')).toEqual([2, 3, 4]);
  expect(await parkedVersions(shared, 'b', 'consumer-b')).toEqual([2, 3, 4]);

  // B's fix is deployed first: its redrive sees and moves only its own records and markers.
  expect(await redrive({ ...envB, ACCEPT_POISON: '1' })).toEqual({ keys: 1, redriven: 3, stillParked: 0, failures: [] });
  await expectLogs(tablesB, new Map([['a', [1, 2, 3, 4]], ['b', [1, 2, 3, 4]]]));
  await expectLogs(shared, parkedState);
  expect(await parkedVersions(shared, 'b', 'consumer-a')).toEqual([2, 3, 4]);

  // A later record of b still waits behind A's parked ones, and is applied by B.
  const more = (await writeVersions(probe, shared, ['b'], [5])).slice(records.length);
  await mappingFor(envA).deliver({ shardId: 'shard-0', records: more });
  await mappingFor(envB).deliver({ shardId: 'shard-0', records: more });
  expect(await parkedVersions(shared, 'b', 'consumer-a')).toEqual([2, 3, 4, 5]);
  await expectLogs(tablesB, new Map([['a', [1, 2, 3, 4]], ['b', [1, 2, 3, 4, 5]]]));

  expect(await redrive({ ...envA, ACCEPT_POISON: '1' })).toEqual({ keys: 1, redriven: 4, stillParked: 0, failures: [] });
  await expectLogs(shared, new Map([['a', [1, 2, 3, 4]], ['b', [1, 2, 3, 4, 5]]]));
  await expectLogs(tablesB, new Map([['a', [1, 2, 3, 4]], ['b', [1, 2, 3, 4, 5]]]));
});

test('a 399 KB item with both images: parked as compressed chunks with its key\'s later record, redriven whole', async () => {
  const t = await probe.tables('big-record');
  // Random bytes in base64 barely compress: each image is 399 KB, the record about 800 KB of JSON.
  const pad = () => randomBytes(306_000).toString('base64');
  const put = (k: string, v: number, extra: Record<string, any> = {}) => probe.client.send(new PutItemCommand({
    TableName: t.source, Item: { PK: { S: k }, k: { S: k }, v: { N: String(v) }, ...extra },
  }));
  await put('big', 1, { pad: { S: pad() } });
  await put('a', 1);
  await put('big', 2, { pad: { S: pad() }, poison: { BOOL: true } });
  await put('a', 2);
  await put('big', 3);
  const records = (await readStream(probe.streams, t.streamArn)).flatMap((shard) => shard.records);
  const big = records.find((r) => r.dynamodb!.NewImage!.v.N === '2' && r.dynamodb!.Keys!.PK.S === 'big')!;
  expect(big.eventName).toBe('MODIFY');
  expect(big.dynamodb!.OldImage!.pad.S!.length + big.dynamodb!.NewImage!.pad.S!.length).toBe(2 * 408_000);
  expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(800_000);

  const mapping = mappingFor(probe.env(t));
  await mapping.deliver({ shardId: 'shard-0', records });
  expect(mapping.onFailure).toEqual([]);
  await expectLogs(t, new Map([['a', [1, 2]], ['big', [1]]]));
  const items = await parkedItems(t, 'big');
  const [head] = items;
  // Head and chunks of at most 300,000 bytes each, then the later record's (its old image is 399 KB too).
  expect(head).toMatchObject({ encoding: 'gzip', sequenceNumber: big.dynamodb!.SequenceNumber });
  expect(head.chunks).toBeGreaterThanOrEqual(2);
  expect(items.filter((i) => i.chunkOf === big.dynamodb!.SequenceNumber)).toHaveLength(Number(head.chunks) - 1);
  expect(items.every((i) => (i.body === undefined || (i.body as Uint8Array).byteLength <= 300_000))).toBe(true);
  expect(recordOfParked(groupParkedItems(items)[0])).toEqual(big);
  expect(await parkedVersions(t, 'big')).toEqual([2, 3]);

  expect(await redrive(probe.env(t, { ACCEPT_POISON: '1' }))).toEqual({ keys: 1, redriven: 2, stillParked: 0, failures: [] });
  await expectLogs(t, new Map([['a', [1, 2]], ['big', [1, 2, 3]]]));
  expect(await parkedItems(t, 'big')).toEqual([]);
});

test('99 effects: refused at the record with the count and the limit, parked, never wedged; 97 effects apply and redrive', async () => {
  const t = await probe.tables('many-effects');
  const records = await writeVersions(probe, t, ['a', 'b', 'c'], [1, 2, 3, 4], ['b:2']);
  // b:2 states 97 items (2 of its own and 95 puts) and is poison: parked, then redriven in a transaction of
  // 97 + its marker + its parked item + its key's count = 100 items. c:2 states 99 items: refused.
  const extra = { EXTRA_EFFECTS: 'b:2=95,c:2=97' };
  const mapping = mappingFor(probe.env(t, extra));
  await mapping.deliver({ shardId: 'shard-0', records });
  expect(mapping.onFailure).toEqual([]);
  await expectLogs(t, new Map([['a', [1, 2, 3, 4]], ['b', [1]], ['c', [1]]]));
  expect(await parkedVersions(t, 'b')).toEqual([2, 3, 4]);
  expect(await parkedVersions(t, 'c')).toEqual([2, 3, 4]);
  const [cHead] = await parkedItems(t, 'c');
  expect(cHead.reason).toMatch(/99 items written, more than the 97 a transaction holds beside the record's marker and the parked item\(s\) and key count a redrive of it removes \(3 items\)/);

  // Redriven with the fix of b (no poison) but c still stating 99 items: b's records apply, c's stay parked, refused again.
  const stillMany = await redrive(probe.env(t, { ...extra, ACCEPT_POISON: '1' }));
  expect(stillMany).toMatchObject({ keys: 2, redriven: 3, stillParked: 3 });
  expect(stillMany.failures).toHaveLength(1);
  expect(stillMany.failures[0].error).toMatch(/99 items written/);
  await expectLogs(t, new Map([['a', [1, 2, 3, 4]], ['b', [1, 2, 3, 4]], ['c', [1]]]));

  // c's logic fixed to 97 items: its three records apply, in order, once.
  expect(await redrive(probe.env(t, { EXTRA_EFFECTS: 'c:2=95', ACCEPT_POISON: '1' }))).toEqual({ keys: 1, redriven: 3, stillParked: 0, failures: [] });
  await expectLogs(t, new Map([['a', [1, 2, 3, 4]], ['b', [1, 2, 3, 4]], ['c', [1, 2, 3, 4]]]));
});

test('the README\'s handler on INSERT, MODIFY, REMOVE and a time-to-live REMOVE: counters and audit rows right, once', async () => {
  const t = await probe.tables('readme-handler');
  const audit = await probe.pkTable('readme-handler-Audit');
  const put = (k: string, v: number) => probe.client.send(new PutItemCommand({ TableName: t.source, Item: { PK: { S: k }, v: { N: String(v) } } }));
  const remove = (k: string) => probe.client.send(new DeleteItemCommand({ TableName: t.source, Key: { PK: { S: k } } }));
  await put('a', 1);
  await put('a', 2);
  await remove('a');
  await put('b', 1);
  await remove('b');
  const records = (await readStream(probe.streams, t.streamArn)).flatMap((shard) => shard.records);
  expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE', 'INSERT', 'REMOVE']);
  // DynamoDB Local never expires items: b's REMOVE is given the identity a time-to-live deletion carries.
  records[4] = { ...records[4], userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } };
  expect(records[2].dynamodb!.NewImage).toBeUndefined();

  const env = probe.env(t, { LOCAL_INVOKE_EXPORT: 'readme', TABLE_NAME: t.target, AUDIT_TABLE_NAME: audit });
  for (let delivery = 0; delivery < 2; delivery++) {
    expect((await invokeInChild(probe.bundlePath, env, { Records: records })).result).toEqual({ batchItemFailures: [] });
    const counters = (await probe.client.send(new ScanCommand({ TableName: t.target, ConsistentRead: true }))).Items!.map((i) => unmarshall(i))
      // An add summing to zero (the INSERT's +1 and the REMOVE's -1 in one transaction) writes nothing.
      .map((c): Record<string, unknown> => ({ ...c, live: c.live ?? 0 }));
    expect(counters.sort((x, y) => String(x.PK).localeCompare(String(y.PK)))).toEqual([
      { PK: 'COUNT#a', changes: 3, live: 0 },
      { PK: 'COUNT#b', changes: 2, live: 0 },
    ]);
    const rows = (await probe.client.send(new ScanCommand({ TableName: audit, ConsistentRead: true }))).Items!.map((i) => unmarshall(i));
    expect(rows.map((r) => `${String(r.PK).split('#')[0]} ${r.change}`).sort()).toEqual(['a INSERT', 'a MODIFY', 'a REMOVE', 'b EXPIRED', 'b INSERT']);
  }
});

describe('puts on a table whose keys the handler is not given', () => {
  /** A table the probe only puts in, so its keys cannot be learnt from other effects. */
  const latestTable = (prefix: string) => probe.pkTable(`${prefix}-Latest`);

  async function latestItems(table: string): Promise<Record<string, unknown>[]> {
    const { Items = [] } = await probe.client.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    return Items.map((i) => unmarshall(i)).sort((x, y) => String(x.PK).localeCompare(String(y.PK)));
  }

  const lastKey = (records: DynamoDBRecord[]) => records[records.length - 1].dynamodb!.NewImage!.k.S;
  const transactionSizes = () => probe.proxy.forwarded.filter((r) => r.operation === 'TransactWriteItems').map((r) => r.body.TransactItems.length);

  test('records of different keys put one item: DynamoDB refuses the transaction once, one DescribeTable learns the keys, each record lands once, in order', async () => {
    const t = await probe.tables('latest-shared');
    const latest = await latestTable('latest-shared');
    const records = await writeVersions(probe, t, ['a', 'b', 'c'], ALL);
    const mapping = mappingFor(probe.env(t, { LATEST_TABLE_NAME: latest, LATEST_ITEM: 'shared' }));
    probe.proxy.resetCounts();
    await mapping.deliver({ shardId: 'shard-0', records });

    expect(mapping.onFailure).toEqual([]);
    expect(mapping.invocations.map((i) => i.outcome)).toEqual(['success']);
    await expectLogs(t, new Map([['a', ALL], ['b', ALL], ['c', ALL]]));
    // The stream's last record put the item last (the keys of one version are written concurrently).
    expect(await latestItems(latest)).toEqual([{ PK: 'latest', k: lastKey(records), v: 6 }]);
    expect(probe.proxy.calls.get('DescribeTable')).toBe(1);
    // Refused: a:1, b:1 and c:1 (each a log update, a put and a marker) and the summed total. Then one record per
    // transaction, as every record puts the one item.
    const sizes = transactionSizes();
    expect(sizes[0]).toBe(3 * 3 + 1);
    expect(sizes.length).toBe(1 + records.length);
  });

  test('puts of different items share transactions, with no DescribeTable', async () => {
    const t = await probe.tables('latest-per-key');
    const latest = await latestTable('latest-per-key');
    const records = await writeVersions(probe, t, ['a', 'b', 'c'], ALL);
    probe.proxy.resetCounts();
    await mappingFor(probe.env(t, { LATEST_TABLE_NAME: latest })).deliver({ shardId: 'shard-0', records });

    await expectLogs(t, new Map([['a', ALL], ['b', ALL], ['c', ALL]]));
    expect(await latestItems(latest)).toEqual([{ PK: 'latest#a', v: 6 }, { PK: 'latest#b', v: 6 }, { PK: 'latest#c', v: 6 }]);
    expect(probe.proxy.calls.get('DescribeTable')).toBeUndefined();
    // One version of each key per transaction (each version appends to its key's log item).
    expect(transactionSizes()).toEqual(ALL.map(() => 3 * 3 + 1));
  });

  test('a record that puts one item twice: failed at the record with the reason once the keys are learnt, parked with its key\'s later records', async () => {
    const t = await probe.tables('latest-twice');
    const latest = await latestTable('latest-twice');
    const records = await writeVersions(probe, t, ['a', 'b', 'c'], [1, 2, 3]);
    const mapping = mappingFor(probe.env(t, { LATEST_TABLE_NAME: latest, PUT_TWICE: 'b:2' }));
    probe.proxy.resetCounts();
    await mapping.deliver({ shardId: 'shard-0', records });

    expect(mapping.onFailure).toEqual([]);
    await expectLogs(t, new Map([['a', [1, 2, 3]], ['b', [1]], ['c', [1, 2, 3]]]));
    expect(await parkedVersions(t, 'b')).toEqual([2, 3]);
    const [head] = groupParkedItems(await parkedItems(t, 'b'));
    expect(head.head.reason).toMatch(/^Error: The effects of record \d+ cannot be committed in one transaction: two writes target the same item of latest-twice-Latest \(\[\["PK","latest#b"\]\]\)/);
    // Each invocation runs in a process of its own here, a new execution environment that learns the keys again.
    expect(mapping.invocations.length).toBeGreaterThan(1);
    expect(probe.proxy.calls.get('DescribeTable')).toBe(mapping.invocations.length);
  });

  test('a table that cannot be described: its puts go one record per transaction, each record once, in order', async () => {
    const t = await probe.tables('latest-opaque');
    const latest = await latestTable('latest-opaque');
    const records = await writeVersions(probe, t, ['a', 'b'], [1, 2, 3]);
    probe.proxy.resetCounts();
    probe.proxy.shouldFail = (r) => r.operation === 'DescribeTable';
    try {
      await mappingFor(probe.env(t, { LATEST_TABLE_NAME: latest, LATEST_ITEM: 'shared' })).deliver({ shardId: 'shard-0', records });
    } finally {
      probe.proxy.shouldFail = () => false;
    }

    await expectLogs(t, new Map([['a', [1, 2, 3]], ['b', [1, 2, 3]]]));
    expect(await latestItems(latest)).toEqual([{ PK: 'latest', k: lastKey(records), v: 3 }]);
    expect(probe.proxy.injected.map((r) => r.operation)).toEqual(['DescribeTable']);
    expect(transactionSizes().length).toBe(1 + records.length);
  });
});
