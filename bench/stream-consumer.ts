/*
 * Stream consumer throughput on DynamoDB Local: 1,000 stream records over 50 item keys, delivered in batches
 * of 100 (the StreamConsumer default) to the task tracker's bundled handler, in four modes.
 *
 *   npx ts-node --transpile-only --project tsconfig.dev.json -r tsconfig-paths/register bench/stream-consumer.ts
 *
 * Prints records per second, DynamoDB calls per record (counted by a proxy in front of DynamoDB Local)
 * and the handler bundle size, and writes them to bench/results/stream-consumer.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DeleteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { TaskRepository } from '../examples/task-tracker/data-access';
import { deployLocally } from '../examples/task-tracker/local';
import { COUNTER_SK, Task, TaskStatus } from '../examples/task-tracker/model';
import { LocalEventSourceMapping, readStream } from '../tools/dynamodb-local';

const KEYS = 50;
const RECORDS = 1000;
const PROJECTS = 5;

const MODES = [
  { name: 'naive (in order, no idempotency)', env: { RECORD_ORDERING: 'in-order', IDEMPOTENCY: 'off' } },
  { name: 'Powertools, in order', env: { RECORD_ORDERING: 'in-order', IDEMPOTENCY: 'on' } },
  { name: 'Powertools, parallel', env: { RECORD_ORDERING: 'parallel', IDEMPOTENCY: 'on' } },
  { name: 'per-key ordered, parallel', env: { RECORD_ORDERING: 'per-key', IDEMPOTENCY: 'on' } },
];

interface Result {
  readonly mode: string;
  readonly records: number;
  readonly seconds: number;
  readonly recordsPerSecond: number;
  readonly callsPerRecord: number;
  readonly calls: Record<string, number>;
  readonly countsExact: boolean;
  readonly perKeyOrder: string;
}

async function main(): Promise<void> {
  const d = await deployLocally();
  try {
    const repo = new TaskRepository(d.client, d.tasksTable);
    // 50 tasks over 5 projects, each created then changed 19 times: status flips and renames.
    const statuses: TaskStatus[] = ['OPEN', 'IN_PROGRESS', 'DONE', 'OPEN', 'DONE'];
    const base = (k: number): Task => ({
      tenantId: 'bench', taskId: `t-${k}`, projectId: `p-${k % PROJECTS}`, title: `Task ${k}`, status: 'OPEN', assigneeId: `u-${k % 7}`, dueDate: '2026-12-01',
    });
    for (let version = 0; version < RECORDS / KEYS; version++) {
      await Promise.all(Array.from({ length: KEYS }, (_, k) => repo.putTask({
        ...base(k),
        status: statuses[(version + k) % statuses.length],
        title: `Task ${k} v${version}`,
      })));
    }
    const shards = await readStream(d.streams, d.streamArn);
    const records = shards.reduce((n, s) => n + s.records.length, 0);
    const expected = await expectedCounts(repo);
    const bundleBytes = fs.statSync(d.bundlePath).size;
    console.log(`${records} stream records over ${KEYS} item keys, ${shards.length} shard(s); batches of ${d.mapping.batchSize}; handler bundle ${(bundleBytes / 1024).toFixed(1)} KB`);

    const results: Result[] = [];
    for (const [i, mode] of MODES.entries()) {
      await resetCounters(d);
      // A function name per mode: Powertools prefixes idempotency keys with it, so no mode sees another's records.
      const handler = d.loadHandler({ ...mode.env, AWS_LAMBDA_FUNCTION_NAME: `bench-${i}` });
      const mapping = new LocalEventSourceMapping(handler, d.mapping);
      d.proxy.resetCounts();
      const started = process.hrtime.bigint();
      for (const shard of shards) {
        await mapping.deliver({ shardId: shard.shardId, records: shard.records.filter(d.passesFilters) });
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const actual = await actualCounts(repo);
      const result: Result = {
        mode: mode.name,
        records,
        seconds,
        recordsPerSecond: records / seconds,
        callsPerRecord: d.proxy.totalCalls() / records,
        calls: Object.fromEntries(d.proxy.calls),
        countsExact: JSON.stringify(actual) === JSON.stringify(expected),
        perKeyOrder: mode.env.RECORD_ORDERING === 'parallel' ? 'not kept' : 'kept',
      };
      results.push(result);
      console.log(`${result.mode.padEnd(34)} ${result.recordsPerSecond.toFixed(0).padStart(6)} records/s  ${result.callsPerRecord.toFixed(2)} DynamoDB calls/record  `
        + `(${Object.entries(result.calls).map(([k, v]) => `${k} ${v}`).join(', ')})  counts ${result.countsExact ? 'exact' : 'WRONG'}  per-key order ${result.perKeyOrder}`);
    }
    const out = path.join(__dirname, 'results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'stream-consumer.json'), JSON.stringify({ keys: KEYS, records, bundleBytes, results }, null, 2));
  } finally {
    await d.stop();
  }
}

async function expectedCounts(repo: TaskRepository): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (let p = 0; p < PROJECTS; p++) {
    result[`p-${p}`] = (await repo.listProjectTasks('bench', `p-${p}`)).filter((t) => t.status !== 'DONE').length;
  }
  return result;
}

async function actualCounts(repo: TaskRepository): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (let p = 0; p < PROJECTS; p++) {
    result[`p-${p}`] = await repo.openTaskCount('bench', `p-${p}`);
  }
  return result;
}

async function resetCounters(d: Awaited<ReturnType<typeof deployLocally>>): Promise<void> {
  const { Items } = await d.client.send(new ScanCommand({
    TableName: d.tasksTable, FilterExpression: 'SK = :sk', ExpressionAttributeValues: { ':sk': { S: COUNTER_SK } },
  }));
  for (const item of Items ?? []) {
    await d.client.send(new DeleteItemCommand({ TableName: d.tasksTable, Key: { PK: item.PK, SK: item.SK } }));
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
