/*
 * Runs the probe stream consumer (./handler.ts, bundled with esbuild as NodejsFunction bundles it) on
 * DynamoDB Local against real stream records, each invocation in a child process that can be killed where
 * a timeout would kill a function, and reads back what its effects did.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { buildSync } from 'esbuild';
import {
  DynamoDBLocal, FaultProxy, LOCAL_CREDENTIALS, LOCAL_REGION, localClientConfig, readStream, startDynamoDBLocal, startFaultProxy,
} from '../../tools/dynamodb-local';

/** Bundles the probe handler the way NodejsFunction does (minified CommonJS for Node 24, the AWS SDK left to the runtime). */
export function bundleProbe(outdir: string): string {
  const outfile = path.join(outdir, 'index.js');
  buildSync({
    entryPoints: [path.join(__dirname, 'handler.ts')],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: true,
    external: ['@aws-sdk/*'],
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

export interface ProbeTables {
  readonly source: string;
  readonly target: string;
  readonly markers: string;
  readonly parked: string;
  readonly streamArn: string;
}

/** DynamoDB Local, a fault proxy in front of it, and the bundled probe. */
export interface Probe {
  readonly local: DynamoDBLocal;
  readonly proxy: FaultProxy;
  readonly client: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly bundlePath: string;
  /** Creates a fresh set of tables named with `prefix`. */
  tables(prefix: string): Promise<ProbeTables>;
  /** The handler's environment for `tables`, pointed at the proxy. */
  env(tables: ProbeTables, extra?: Record<string, string>): Record<string, string>;
  stop(): Promise<void>;
}

export async function startProbe(): Promise<Probe> {
  // Inside the repository, so the bundle finds the AWS SDK in node_modules as it would in the Lambda runtime.
  const repo = path.join(__dirname, '..', '..');
  fs.mkdirSync(path.join(repo, 'cdk.out'), { recursive: true });
  const workdir = fs.mkdtempSync(path.join(repo, 'cdk.out', '.stream-probe-'));
  const bundlePath = bundleProbe(workdir);
  const local = await startDynamoDBLocal();
  const client = new DynamoDBClient(localClientConfig(local.endpoint));
  const streams = new DynamoDBStreamsClient(localClientConfig(local.endpoint));
  const proxy = await startFaultProxy(local.endpoint);
  const create = async (name: string, keys: [string, 'HASH' | 'RANGE'][], stream = false) => {
    const created = await client.send(new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: keys.map(([n]) => ({ AttributeName: n, AttributeType: 'S' })),
      KeySchema: keys.map(([n, t]) => ({ AttributeName: n, KeyType: t })),
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: stream ? { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } : undefined,
    }));
    return created.TableDescription?.LatestStreamArn;
  };
  return {
    local,
    proxy,
    client,
    streams,
    bundlePath,
    tables: async (prefix) => {
      const streamArn = await create(`${prefix}-Source`, [['PK', 'HASH']], true);
      await create(`${prefix}-Target`, [['PK', 'HASH']]);
      await create(`${prefix}-Markers`, [['id', 'HASH']]);
      await create(`${prefix}-Parked`, [['pk', 'HASH'], ['sk', 'RANGE']]);
      return { source: `${prefix}-Source`, target: `${prefix}-Target`, markers: `${prefix}-Markers`, parked: `${prefix}-Parked`, streamArn: streamArn! };
    },
    env: (t, extra = {}) => ({
      PATH: process.env.PATH ?? '',
      AWS_LAMBDA_FUNCTION_NAME: 'probe',
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
      AWS_MAX_ATTEMPTS: '1',
      POWERTOOLS_LOG_LEVEL: 'CRITICAL',
      POWERTOOLS_METRICS_DISABLED: 'true',
      TARGET_TABLE_NAME: t.target,
      IDEMPOTENCY_TABLE_NAME: t.markers,
      PARKED_RECORDS_TABLE_NAME: t.parked,
      ...extra,
    }),
    stop: async () => {
      client.destroy();
      streams.destroy();
      await proxy.stop();
      await local.stop();
      fs.rmSync(workdir, { recursive: true, force: true });
    },
  };
}

/**
 * Writes `versions` versions of each of `keys` items to the source table, version by version (so the stream
 * interleaves the keys); returns the stream records. `poison` marks some (key, version) pairs.
 */
export async function writeVersions(
  probe: Probe, t: ProbeTables, keys: string[], versions: number[], poison: string[] = [],
): Promise<DynamoDBRecord[]> {
  for (const v of versions) {
    await Promise.all(keys.map((k) => probe.client.send(new PutItemCommand({
      TableName: t.source,
      Item: { PK: { S: k }, k: { S: k }, v: { N: String(v) }, ...(poison.includes(`${k}:${v}`) ? { poison: { BOOL: true } } : {}) },
    }))));
  }
  const shards = await readStream(probe.streams, t.streamArn);
  return shards.flatMap((s) => s.records);
}

/** What the effects left: each key's applied versions in the order applied, and the totals. */
export interface ProbeState {
  readonly logs: Map<string, number[]>;
  readonly records: number;
  readonly sum: number;
}

export async function readState(probe: Probe, t: ProbeTables): Promise<ProbeState> {
  const { Items } = await probe.client.send(new ScanCommand({ TableName: t.target, ConsistentRead: true }));
  const logs = new Map<string, number[]>();
  let records = 0;
  let sum = 0;
  for (const item of Items ?? []) {
    if (item.PK.S === 'total') {
      records = Number(item.records?.N ?? 0);
      sum = Number(item.sum?.N ?? 0);
    } else {
      logs.set(item.PK.S!.slice('log#'.length), (item.versions?.L ?? []).map((v) => Number(v.N)));
    }
  }
  return { logs, records, sum };
}

/** Order inversions (pairs applied in the wrong order), duplicates and missing versions, against `expected` per key. */
export interface Comparison {
  readonly inversions: number;
  readonly duplicates: number;
  readonly missing: number;
  readonly extra: number;
}

export function compare(state: ProbeState, expected: Map<string, number[]>): Comparison {
  let inversions = 0;
  let duplicates = 0;
  let missing = 0;
  let extra = 0;
  for (const [k, want] of expected) {
    const got = state.logs.get(k) ?? [];
    for (let i = 0; i < got.length; i++) {
      for (let j = i + 1; j < got.length; j++) {
        if (got[i] > got[j]) {
          inversions++;
        }
      }
    }
    duplicates += got.length - new Set(got).size;
    missing += want.filter((v) => !got.includes(v)).length;
    extra += [...new Set(got)].filter((v) => !want.includes(v)).length;
  }
  return { inversions, duplicates, missing, extra };
}


// The child: loads the bundle, builds a context counting down from TIMEOUT_MS, runs one event from stdin.
const CHILD = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const event = JSON.parse(Buffer.concat(chunks).toString());
  const mod = require(process.env.PROBE_BUNDLE);
  const deadline = Date.now() + Number(process.env.TIMEOUT_MS || 60000);
  const context = { functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, awsRequestId: 'child', getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
  try {
    const result = await mod[process.env.PROBE_EXPORT || 'handler'](event, context);
    process.stdout.write('RESULT ' + JSON.stringify(result ?? null) + '\\n');
  } catch (err) {
    process.stdout.write('ERROR ' + JSON.stringify(String(err && err.stack || err)) + '\\n');
  }
});
`;

/** How a child invocation ended. */
export interface ChildOutcome {
  readonly killed: boolean;
  readonly result?: any;
  readonly error?: string;
}

/** The child process of the invocation running now (to kill it from a proxy hook). */
export let currentChild: ChildProcess | undefined;

/** Runs one invocation of the bundled handler in a child process; resolves when it exits (or is killed). */
export function invokeInChild(bundlePath: string, env: Record<string, string>, event: unknown, timeoutMs = 60_000): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD], {
      env: { ...env, PROBE_BUNDLE: bundlePath, TIMEOUT_MS: String(timeoutMs) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    currentChild = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    // A bound on every child: a hung one is killed as Lambda would at its timeout.
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 10_000);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (currentChild === child) {
        currentChild = undefined;
      }
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT ') || l.startsWith('ERROR '));
      if (signal === 'SIGKILL') {
        resolve({ killed: true });
      } else if (line?.startsWith('RESULT ')) {
        resolve({ killed: false, result: JSON.parse(line.slice(7)) });
      } else {
        resolve({ killed: false, error: line ? JSON.parse(line.slice(6)) : `no result; stderr: ${stderr.slice(-2000)}` });
      }
    });
    child.stdin.end(JSON.stringify(event));
  });
}

/** Kills the running child with SIGKILL and waits for it to exit. */
export function killCurrentChild(): Promise<void> {
  const child = currentChild;
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** A stream function for LocalEventSourceMapping that runs each invocation in a fresh child process. */
export function childStreamFunction(
  bundlePath: string, env: Record<string, string>,
): (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse> {
  return async (event, context) => {
    const outcome = await invokeInChild(bundlePath, env, event, context.getRemainingTimeInMillis());
    if (outcome.killed || outcome.error) {
      throw new Error(outcome.error ?? 'killed');
    }
    return outcome.result as DynamoDBBatchResponse;
  };
}

/** The versions each key should end with, in order: all of them, or up to (not including) a parked one. */
export function expectedLogs(keys: string[], versions: number[]): Map<string, number[]> {
  return new Map(keys.map((k) => [k, [...versions]]));
}
