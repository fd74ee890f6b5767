/*
 * Runs the probe stream consumer (./handler.ts, bundled with esbuild as NodejsFunction bundles it) on
 * DynamoDB Local against real stream records, each invocation in a child process that can be killed where
 * a timeout would kill a function, and reads back what its effects did.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
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

/** The consumer identity the probe's handler runs with (as TableStreamConsumer would set it). */
export const PROBE_CONSUMER_ID = 'probe-consumer';

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
  /** Creates an on-demand table `name` keyed by a string partition key `PK`, without a stream. */
  pkTable(name: string): Promise<string>;
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
    pkTable: async (name) => {
      await create(name, [['PK', 'HASH']]);
      return name;
    },
    env: (t, extra = {}) => ({
      PATH: process.env.PATH ?? '',
      AWS_LAMBDA_FUNCTION_NAME: 'probe',
      STREAM_CONSUMER_ID: PROBE_CONSUMER_ID,
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
    } else if (item.PK.S!.startsWith('log#')) {
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


/** The versions each key should end with, in order: all of them, or up to (not including) a parked one. */
export function expectedLogs(keys: string[], versions: number[]): Map<string, number[]> {
  return new Map(keys.map((k) => [k, [...versions]]));
}
