/*
 * Stream consumer throughput and correctness on DynamoDB Local, in one run: 1,000 real stream records over
 * 50 item keys (20 versions each), delivered by the local event source mapping in batches of 100 (the
 * TableStreamConsumer default) to the probe consumer's esbuild bundle, in three modes:
 *   Powertools, in order      one record after the other, idempotency per record
 *   Powertools, parallel      every record of a batch at once, idempotency per record
 *   transactional (ours)      effects and markers in TransactWriteItems, several records each
 *
 *   npx ts-node --transpile-only --project tsconfig.dev.json -r tsconfig-paths/register bench/stream-consumer.ts
 *
 * Per-key order is read from the applied effects: each record appends its version to its key's list, and
 * inversions (pairs applied in the wrong order) and duplicates are counted in the lists. Exactness: every
 * list holds each version once and the total of all records and versions matches. DynamoDB calls are
 * counted by a proxy in front of DynamoDB Local. Results go to bench/results/stream-consumer.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compare, expectedLogs, readState, startProbe, writeVersions } from './stream-probe/harness';
import { LocalEventSourceMapping, StreamFunction } from '../tools/dynamodb-local';

const KEYS = 50;
const VERSIONS = 20;
const BATCH_SIZE = 100;

const MODES = [
  { name: 'Powertools, in order', env: { RECORD_ORDERING: 'in-order' } },
  { name: 'Powertools, parallel', env: { RECORD_ORDERING: 'parallel' } },
  { name: 'transactional (ours)', env: {} as Record<string, string> },
];

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
    const results: Result[] = [];
    for (const [i, mode] of MODES.entries()) {
      const t = await probe.tables(`bench${i}`);
      const records = await writeVersions(probe, t, keys, versions);
      delete process.env.RECORD_ORDERING;
      Object.assign(process.env, probe.env(t, mode.env));
      delete require.cache[require.resolve(probe.bundlePath)];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const handler = require(probe.bundlePath).handler as StreamFunction;
      const settings = { batchSize: BATCH_SIZE, retryAttempts: 10, bisectBatchOnError: true, functionTimeoutSeconds: 900 };
      const mapping = new LocalEventSourceMapping(handler, settings, { functionName: 'probe' });
      probe.proxy.resetCounts();
      const started = process.hrtime.bigint();
      await mapping.deliver({ shardId: 'shard-0', records });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const calls = probe.proxy.totalCalls();
      const state = await readState(probe, t);
      const c = compare(state, expectedLogs(keys, versions));
      const total = keys.length * versions.reduce((a, b) => a + b, 0);
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
        exact: c.duplicates === 0 && c.missing === 0 && c.extra === 0 && state.records === records.length && state.sum === total,
      };
      results.push(result);
      console.log(`${result.mode.padEnd(24)} ${result.recordsPerSecond.toFixed(0).padStart(6)} records/s  ${result.callsPerRecord.toFixed(3)} DynamoDB calls/record  `
        + `per-key order: ${result.inversions} inversions  ${result.exact ? 'exact' : `NOT EXACT (${result.duplicates} duplicates, ${result.missing} missing)`}  `
        + `(${Object.entries(result.calls).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    }
    const ours = results[2];
    const parallel = results[1];
    console.log(`\n${results[0].records} records over ${KEYS} item keys, batches of ${BATCH_SIZE}; probe bundle ${(bundleBytes / 1024).toFixed(1)} KB. `
      + `Transactional: ${(ours.recordsPerSecond / parallel.recordsPerSecond).toFixed(1)}x Powertools parallel records/s.`);
    const out = path.join(__dirname, 'results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'stream-consumer.json'), JSON.stringify({ keys: KEYS, versions: VERSIONS, batchSize: BATCH_SIZE, bundleBytes, results }, null, 2));
  } finally {
    await probe.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
