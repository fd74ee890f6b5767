/*
 * Stream consumer throughput and correctness on DynamoDB Local, in one run: 1,000 real stream records over
 * 50 item keys (20 versions each), delivered by the local event source mapping in batches of 100 (the
 * TableStreamConsumer default) to the probe's esbuild bundle. Two workloads:
 * - the README's handler (an ADD on a per-key counter and a PutItem of an audit row per record), as the
 *   README writes it (no `keyAttributeNames`), beside the same writes with no guarantee (UpdateItem ADD +
 *   PutItem, sent directly) and through Powertools idempotency (records of a batch in parallel);
 * - the probe (each record appends its version to its key's list, so per-key order is read from what was
 *   applied), with Powertools in order, in parallel, and the transactional handler.
 *
 *   npx ts-node --transpile-only --project tsconfig.dev.json -r tsconfig-paths/register bench/stream-consumer.ts
 *
 * The modes run one after the other in each of ROUNDS rounds (5; `BENCH_ROUNDS` overrides), each on fresh tables,
 * so a change in the machine's load touches every mode alike; the summary gives each mode's median records/s.
 * DynamoDB calls are counted by a proxy in front of DynamoDB Local. Results go to bench/results/stream-consumer.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { compare, expectedLogs, Probe, ProbeTables, readState, startProbe, writeVersions } from './stream-probe/harness';
import { LocalEventSourceMapping, StreamFunction } from '../tools/dynamodb-local';

const KEYS = 50;
const VERSIONS = 20;
const BATCH_SIZE = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const MODES = [
  { name: 'README handler, as written', exportName: 'readme', env: {}, readme: true },
  { name: 'same writes, no guarantee', exportName: 'noGuarantee', env: {}, readme: true },
  { name: 'same writes, Powertools', exportName: 'readmePowertools', env: {}, readme: true },
  { name: 'probe, Powertools in order', exportName: 'handler', env: { RECORD_ORDERING: 'in-order' }, readme: false },
  { name: 'probe, Powertools parallel', exportName: 'handler', env: { RECORD_ORDERING: 'parallel' }, readme: false },
  { name: 'probe, transactional', exportName: 'handler', env: {} as Record<string, string>, readme: false },
];

/** The README workload's outcome: every record counted once on its key's counter, one audit row each. */
async function readmeExact(probe: Probe, t: ProbeTables, audit: string, records: number, keys: number): Promise<boolean> {
  const { Items: counters = [] } = await probe.client.send(new ScanCommand({ TableName: t.target, ConsistentRead: true }));
  const { Count: rows } = await probe.client.send(new ScanCommand({ TableName: audit, ConsistentRead: true, Select: 'COUNT' }));
  const counted = counters.filter((i) => i.PK.S!.startsWith('COUNT#'));
  const changes = counted.reduce((sum, i) => sum + Number(i.changes?.N ?? 0), 0);
  const live = counted.reduce((sum, i) => sum + Number(i.live?.N ?? 0), 0);
  return changes === records && live === keys && rows === records;
}

interface Result {
  readonly mode: string;
  readonly records: number;
  readonly seconds: number;
  readonly recordsPerSecond: number;
  readonly callsPerRecord: number;
  readonly calls: Record<string, number>;
  readonly inversions: number;
  readonly duplicates: number;
  readonly missing: number;
  readonly exact: boolean;
}

async function main(): Promise<void> {
  const probe = await startProbe();
  try {
    const keys = Array.from({ length: KEYS }, (_, i) => `k${String(i).padStart(2, '0')}`);
    const versions = Array.from({ length: VERSIONS }, (_, i) => i + 1);
    const bundleBytes = fs.statSync(probe.bundlePath).size;
    const rounds: Result[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      console.log(`round ${round + 1} of ${ROUNDS}`);
      const results: Result[] = [];
      for (const [i, mode] of MODES.entries()) {
        results.push(await runMode(probe, `bench${round}-${i}`, mode, keys, versions));
      }
      rounds.push(results);
    }
    const summary = MODES.map((mode, i) => summarize(mode.name, rounds.map((r) => r[i])));
    console.log(`\nmedians of ${ROUNDS} interleaved rounds:`);
    summary.forEach(print);
    const [readme, direct, , , parallel, ours] = summary;
    console.log(`\n${summary[0].records} records over ${KEYS} item keys, batches of ${BATCH_SIZE}; probe bundle ${(bundleBytes / 1024).toFixed(1)} KB. `
      + `README handler: ${(readme.recordsPerSecond / direct.recordsPerSecond).toFixed(1)}x the same writes with no guarantee; `
      + `probe transactional: ${(ours.recordsPerSecond / parallel.recordsPerSecond).toFixed(1)}x Powertools parallel records/s.`);
    const out = path.join(__dirname, 'results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'stream-consumer.json'),
      JSON.stringify({ keys: KEYS, versions: VERSIONS, batchSize: BATCH_SIZE, rounds: ROUNDS, bundleBytes, summary, runs: rounds }, null, 2));
  } finally {
    await probe.stop();
  }
}

/** The median of each measure over the rounds; exact only if every round was. */
function summarize(mode: string, runs: Result[]): Result {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const operations = [...new Set(runs.flatMap((r) => Object.keys(r.calls)))];
  return {
    mode,
    records: runs[0].records,
    seconds: median(runs.map((r) => r.seconds)),
    recordsPerSecond: median(runs.map((r) => r.recordsPerSecond)),
    callsPerRecord: median(runs.map((r) => r.callsPerRecord)),
    calls: Object.fromEntries(operations.map((op) => [op, median(runs.map((r) => r.calls[op] ?? 0))])),
    inversions: Math.max(...runs.map((r) => r.inversions)),
    duplicates: Math.max(...runs.map((r) => r.duplicates)),
    missing: Math.max(...runs.map((r) => r.missing)),
    exact: runs.every((r) => r.exact),
  };
}

function print(result: Result): void {
  console.log(`${result.mode.padEnd(28)} ${result.recordsPerSecond.toFixed(0).padStart(6)} records/s  ${result.callsPerRecord.toFixed(3)} DynamoDB calls/record  `
    + `per-key order: ${result.inversions} inversions  ${result.exact ? 'exact' : `NOT EXACT (${result.duplicates} duplicates, ${result.missing} missing)`}  `
    + `(${Object.entries(result.calls).map(([k, v]) => `${k} ${v}`).join(', ')})`);
}

/** One mode on fresh tables named with `prefix`: 1,000 records delivered by the local mapping, then checked. */
async function runMode(probe: Probe, prefix: string, mode: typeof MODES[number], keys: string[], versions: number[]): Promise<Result> {
  const t = await probe.tables(prefix);
  const audit = await probe.pkTable(`${prefix}-Audit`);
  const records = await writeVersions(probe, t, keys, versions);
  delete process.env.RECORD_ORDERING;
  Object.assign(process.env, probe.env(t, { ...mode.env, TABLE_NAME: t.target, AUDIT_TABLE_NAME: audit }));
  // A fresh module: a new execution environment, with nothing learnt or cached.
  delete require.cache[require.resolve(probe.bundlePath)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const handler = require(probe.bundlePath)[mode.exportName] as StreamFunction;
  const settings = { batchSize: BATCH_SIZE, retryAttempts: 10, bisectBatchOnError: true, functionTimeoutSeconds: 900 };
  const mapping = new LocalEventSourceMapping(handler, settings, { functionName: 'probe' });
  probe.proxy.resetCounts();
  const started = process.hrtime.bigint();
  await mapping.deliver({ shardId: 'shard-0', records });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const calls = probe.proxy.totalCalls();
  const state = await readState(probe, t);
  const c = mode.readme ? { inversions: 0, duplicates: 0, missing: 0, extra: 0 } : compare(state, expectedLogs(keys, versions));
  const total = keys.length * versions.reduce((a, b) => a + b, 0);
  const exact = mode.readme
    ? await readmeExact(probe, t, audit, records.length, keys.length)
    : c.duplicates === 0 && c.missing === 0 && c.extra === 0 && state.records === records.length && state.sum === total;
  const result: Result = {
    mode: mode.name,
    records: records.length,
    seconds,
    recordsPerSecond: records.length / seconds,
    callsPerRecord: calls / records.length,
    calls: Object.fromEntries(probe.proxy.calls),
    inversions: c.inversions,
    duplicates: c.duplicates,
    missing: c.missing,
    exact,
  };
  print(result);
  return result;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
