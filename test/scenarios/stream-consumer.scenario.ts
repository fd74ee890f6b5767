/*
 * Fault scenarios of the exactly-once stream consumer on DynamoDB Local: the real esbuild bundle, real
 * stream records, each invocation in a child process (killed with SIGKILL where a timeout would kill the
 * function). Every scenario checks the final state: each record applied exactly once or parked, per-key
 * order kept (read from the applied effects), nothing lost.
 *
 *   npx jest -c test/scenarios/jest.config.json
 */
import { QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { compare, expectedLogs, Probe, PROBE_CONSUMER_ID, ProbeTables, readState, startProbe, writeVersions } from '../../bench/stream-probe/harness';
import { childStreamFunction, invokeInChild, killChildBefore, killCurrentChild, LocalEventSourceMapping } from '../../tools/dynamodb-local';

let probe: Probe;
beforeAll(async () => {
  probe = await startProbe();
});
afterAll(async () => {
  await probe?.stop();
});
afterEach(() => {
  probe.proxy.shouldFail = () => false;
  probe.proxy.afterForward = () => undefined;
  probe.proxy.resetCounts();
});

const KEYS = ['a', 'b', 'c', 'd'];
const VERSIONS = [1, 2, 3, 4, 5];
const sumOf = (versions: number[]) => versions.reduce((a, b) => a + b, 0);
/** The event source mapping model, each invocation in a child process. */
const mappingFor = (env: Record<string, string>, batchSize = 100) =>
  new LocalEventSourceMapping(childStreamFunction(probe.bundlePath, env), {
    batchSize, retryAttempts: 10, bisectBatchOnError: true, functionTimeoutSeconds: 60,
  }, { functionName: 'probe' });
const invoke = (env: Record<string, string>, event: unknown) => invokeInChild(probe.bundlePath, env, event);

type Setup = { t: ProbeTables; records: DynamoDBRecord[] };
async function setUp(prefix: string, keys = KEYS, versions = VERSIONS, poison: string[] = []): Promise<Setup> {
  const t = await probe.tables(prefix);
  return { t, records: await writeVersions(probe, t, keys, versions, poison) };
}

async function expectExact(t: ProbeTables, expected: Map<string, number[]>): Promise<void> {
  const state = await readState(probe, t);
  expect(compare(state, expected)).toEqual({ inversions: 0, duplicates: 0, missing: 0, extra: 0 });
  expect(Object.fromEntries(state.logs)).toEqual(Object.fromEntries(expected));
  const all = [...expected.values()].flat();
  expect({ records: state.records, sum: state.sum }).toEqual({ records: all.length, sum: sumOf(all) });
}

test('killed right after an effect write: the retry applies the rest, nothing twice', async () => {
  const { t, records } = await setUp('kill-after');
  // Each key's versions touch one log item, so each transaction holds one version of every key: 5 transactions.
  let committed = 0;
  probe.proxy.afterForward = async (req, status) => {
    if (req.operation === 'TransactWriteItems' && status === 200 && ++committed === 2) {
      await killCurrentChild();
    }
  };
  const first = await invoke(probe.env(t), { Records: records });
  expect(first.killed).toBe(true);
  // Two transactions committed, wholly: versions 1 and 2 of every key, with their markers.
  const atKill = await readState(probe, t);
  expect(Object.fromEntries(atKill.logs)).toEqual({ a: [1, 2], b: [1, 2], c: [1, 2], d: [1, 2] });
  expect(atKill.records).toBe(8);

  probe.proxy.afterForward = () => undefined;
  const retry = await invoke(probe.env(t), { Records: records });
  expect(retry.result).toEqual({ batchItemFailures: [] });
  await expectExact(t, expectedLogs(KEYS, VERSIONS));
});

test('killed right before an effect write: nothing of it is applied, the retry applies it once', async () => {
  const { t, records } = await setUp('kill-before');
  probe.proxy.shouldFail = killChildBefore('TransactWriteItems');
  const first = await invoke(probe.env(t), { Records: records });
  expect(first.killed).toBe(true);
  expect((await readState(probe, t)).records).toBe(0);

  probe.proxy.shouldFail = () => false;
  const retry = await invoke(probe.env(t), { Records: records });
  expect(retry.result).toEqual({ batchItemFailures: [] });
  await expectExact(t, expectedLogs(KEYS, VERSIONS));
});

test('the logic throws after stating its effect: that record and its key\'s later ones fail; the retry applies each once', async () => {
  const { t, records } = await setUp('throw-after');
  // Version 3 of every key throws after stating its effects, on the first delivery only.
  const first = await invoke(probe.env(t, { THROW_AFTER_EFFECT: '3' }), { Records: records });
  const failed = (first.result.batchItemFailures as { itemIdentifier: string }[]).map((f) => f.itemIdentifier);
  const v = (seq: string) => Number(records.find((r) => r.dynamodb!.SequenceNumber === seq)!.dynamodb!.NewImage!.v.N);
  // 4 keys x versions 3, 4, 5.
  expect(failed.map(v).sort()).toEqual([3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5]);
  expect(Object.fromEntries((await readState(probe, t)).logs)).toEqual({ a: [1, 2], b: [1, 2], c: [1, 2], d: [1, 2] });

  // Lambda retries from the lowest failed sequence number.
  const lowest = failed.reduce((a, b) => (BigInt(a) < BigInt(b) ? a : b));
  const rest = records.slice(records.findIndex((r) => r.dynamodb!.SequenceNumber === lowest));
  const retry = await invoke(probe.env(t), { Records: rest });
  expect(retry.result).toEqual({ batchItemFailures: [] });
  await expectExact(t, expectedLogs(KEYS, VERSIONS));
});

test('too little time left: no record is started, all are reported as failures, the retry applies them', async () => {
  const { t, records } = await setUp('deadline');
  // 2.5 s left is inside the 3 s safety margin.
  const late = await invokeInChild(probe.bundlePath, probe.env(t), { Records: records }, 2_500);
  expect(late.result.batchItemFailures).toHaveLength(records.length);
  expect(probe.proxy.calls.get('TransactWriteItems') ?? 0).toBe(0);
  expect((await readState(probe, t)).records).toBe(0);
  expect((await invoke(probe.env(t), { Records: records })).result).toEqual({ batchItemFailures: [] });
  await expectExact(t, expectedLogs(KEYS, VERSIONS));
});

test('whole-batch and checkpoint redelivery change nothing', async () => {
  const { t, records } = await setUp('redelivery');
  expect((await invoke(probe.env(t), { Records: records })).result).toEqual({ batchItemFailures: [] });
  for (const batch of [records, records.slice(7), records.slice(13, 17)]) {
    expect((await invoke(probe.env(t), { Records: batch })).result).toEqual({ batchItemFailures: [] });
  }
  await expectExact(t, expectedLogs(KEYS, VERSIONS));
});

test('two invocations on overlapping batches at the same time apply each record once, in order per key', async () => {
  const { t, records } = await setUp('overlap', KEYS, [1, 2, 3, 4, 5, 6, 7, 8]);
  // A timed-out invocation still running while the retry of its batch runs: both start at the checkpoint
  // (a batch never starts past a record not yet reported done), one with fewer records.
  const [one, two] = await Promise.all([
    invoke(probe.env(t), { Records: records.slice(0, 22) }),
    invoke(probe.env(t), { Records: records }),
  ]);
  expect(one.result).toEqual({ batchItemFailures: [] });
  expect(two.result).toEqual({ batchItemFailures: [] });
  await expectExact(t, expectedLogs(KEYS, [1, 2, 3, 4, 5, 6, 7, 8]));
});

test('10% of DynamoDB calls throttled: retried with backoff inside the deadline, nothing dead-lettered, exact', async () => {
  const versions = Array.from({ length: 10 }, (_, i) => i + 1);
  const { t, records } = await setUp('throttle', KEYS, versions);
  // A seeded generator: the same 10% of calls fail on every run.
  let seed = 12;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  probe.proxy.shouldFail = () => random() < 0.1;
  const mapping = mappingFor(probe.env(t), 10);
  await mapping.deliver({ shardId: 'shard-0', records });
  expect(probe.proxy.injected.length).toBeGreaterThan(0);
  expect(mapping.onFailure).toEqual([]);
  await expectExact(t, expectedLogs(KEYS, versions));
});

test('parallelization factor 4: concurrent batches of one shard, 10% of calls throttled, each record once, in order per key', async () => {
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  const versions = [1, 2, 3, 4, 5, 6];
  const { t, records } = await setUp('parallel', keys, versions);
  let seed = 3;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  probe.proxy.shouldFail = () => random() < 0.1;
  // Count invocations running at once: the lanes' batches overlap in time, and their transactions all add
  // to the one `total` item.
  const fn = childStreamFunction(probe.bundlePath, probe.env(t));
  let running = 0;
  let mostRunning = 0;
  const counted: typeof fn = async (event, context) => {
    mostRunning = Math.max(mostRunning, ++running);
    try {
      return await fn(event, context);
    } finally {
      running--;
    }
  };
  const mapping = new LocalEventSourceMapping(counted, {
    batchSize: 5, retryAttempts: 10, bisectBatchOnError: true, functionTimeoutSeconds: 60, parallelizationFactor: 4,
  }, { functionName: 'probe' });
  await mapping.deliver({ shardId: 'shard-0', records });
  expect(new Set(mapping.invocations.map((i) => i.lane)).size).toBeGreaterThan(1);
  expect(mostRunning).toBeGreaterThan(1);
  expect(probe.proxy.injected.length).toBeGreaterThan(0);
  expect(mapping.onFailure).toEqual([]);
  await expectExact(t, expectedLogs(keys, versions));
});

test('Powertools path, 10% of idempotency-store calls throttled: retried inside the deadline, each effect once, nothing dead-lettered', async () => {
  const versions = Array.from({ length: 10 }, (_, i) => i + 1);
  const { t, records } = await setUp('powertools-throttle', KEYS, versions);
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  // Only the idempotency store's calls: the probe's own effect writes are two plain updates, not
  // idempotent when one of them fails, which is the documented limit of this path, not what is tested here.
  probe.proxy.shouldFail = (req) => req.body?.TableName === t.markers && random() < 0.1;
  const mapping = mappingFor(probe.env(t, { RECORD_ORDERING: 'per-key' }), 10);
  await mapping.deliver({ shardId: 'shard-0', records });
  const throttledWrites = probe.proxy.injected.filter((r) => r.operation === 'UpdateItem' || r.operation === 'PutItem');
  expect(throttledWrites.length).toBeGreaterThan(0);
  expect(mapping.onFailure).toEqual([]);
  await expectExact(t, expectedLogs(KEYS, versions));
});

test('a poison record mid-key is parked with its key\'s later records, the shard goes on; a redrive applies them once', async () => {
  const keys = ['a', 'b', 'c'];
  const { t, records } = await setUp('poison', keys, [1, 2, 3, 4, 5, 6], ['b:3']);
  const env = probe.env(t);
  const mapping = mappingFor(env);
  await mapping.deliver({ shardId: 'shard-0', records });
  // Attempts 1 and 2 fail b:3 and b's later 3 records; attempt 3 parks the 4 of them.
  expect(mapping.invocations.map((i) => `${i.outcome}:${i.failedRecords}`)).toEqual(['partial:4', 'partial:4', 'success:0']);
  expect(mapping.onFailure).toEqual([]);
  const expected = new Map([['a', [1, 2, 3, 4, 5, 6]], ['b', [1, 2]], ['c', [1, 2, 3, 4, 5, 6]]]);
  await expectExact(t, expected);
  const parkedVersions = async () => {
    const { Items } = await probe.client.send(new QueryCommand({
      TableName: t.parked,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
      ExpressionAttributeValues: { ':pk': { S: `${PROBE_CONSUMER_ID}#key#[["PK",{"S":"b"}]]` }, ':r': { S: 'record#' } },
      ConsistentRead: true,
    }));
    return (Items ?? []).map((i) => Number((JSON.parse(i.record.S!) as DynamoDBRecord).dynamodb!.NewImage!.v.N));
  };
  expect(await parkedVersions()).toEqual([3, 4, 5, 6]);

  // A later record of the parked key waits behind it; the other keys go on.
  const more = await writeVersions(probe, t, keys, [7]);
  const newer = more.slice(records.length);
  const later = mappingFor(env);
  await later.deliver({ shardId: 'shard-0', records: newer });
  expect(later.invocations.map((i) => i.outcome)).toEqual(['success']);
  expect(await parkedVersions()).toEqual([3, 4, 5, 6, 7]);
  await expectExact(t, new Map([['a', [1, 2, 3, 4, 5, 6, 7]], ['b', [1, 2]], ['c', [1, 2, 3, 4, 5, 6, 7]]]));

  // Without the fix, the redrive stops at the poison record and keeps the key parked.
  const refused = await invoke(env, { redriveParkedRecords: { keys: [{ PK: { S: 'b' } }] } });
  expect(refused.result).toMatchObject({ keys: 1, redriven: 0, stillParked: 5 });
  expect(refused.result.failures[0].error).toMatch(/poison/);

  // With the fix deployed, the redrive replays b's 5 parked records in order, once; a second redrive finds none.
  const fixed = probe.env(t, { ACCEPT_POISON: '1' });
  const redrive = async () => (await invoke(fixed, { redriveParkedRecords: {} })).result;
  expect(await redrive()).toEqual({ keys: 1, redriven: 5, stillParked: 0, failures: [] });
  expect(await redrive()).toEqual({ keys: 0, redriven: 0, stillParked: 0, failures: [] });
  const all = [1, 2, 3, 4, 5, 6, 7];
  await expectExact(t, new Map([['a', all], ['b', all], ['c', all]]));
  const { Items } = await probe.client.send(new ScanCommand({ TableName: t.parked, ConsistentRead: true }));
  // Only the counts of attempts and invocations are left (they expire by TTL).
  expect((Items ?? []).filter((i) => !/^probe-consumer#(attempts|invocations)#/.test(i.pk.S!))).toEqual([]);

  // The stream redelivering the once-parked records applies nothing again.
  const replay = await invoke(env, { Records: [...records, ...newer] });
  expect(replay.result).toEqual({ batchItemFailures: [] });
  await expectExact(t, new Map([['a', all], ['b', all], ['c', all]]));
});

test('killed in the middle of a redrive: the next redrive finishes it, each record once', async () => {
  const keys = ['a', 'b'];
  const { t, records } = await setUp('redrive-kill', keys, [1, 2, 3, 4], ['a:2']);
  const env = probe.env(t);
  const mapping = mappingFor(env);
  await mapping.deliver({ shardId: 'shard-0', records });
  await expectExact(t, new Map([['a', [1]], ['b', [1, 2, 3, 4]]]));

  const fixed = probe.env(t, { ACCEPT_POISON: '1' });
  probe.proxy.afterForward = async (req, status) => {
    if (req.operation === 'TransactWriteItems' && status === 200) {
      await killCurrentChild();
    }
  };
  expect((await invoke(fixed, { redriveParkedRecords: {} })).killed).toBe(true);
  probe.proxy.afterForward = () => undefined;
  const done = await invoke(fixed, { redriveParkedRecords: {} });
  expect(done.result).toMatchObject({ keys: 1, stillParked: 0, failures: [] });
  await expectExact(t, new Map([['a', [1, 2, 3, 4]], ['b', [1, 2, 3, 4]]]));
});
