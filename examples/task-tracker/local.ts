import * as fs from 'fs';
import * as path from 'path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { App } from 'aws-cdk-lib';
import type { DynamoDBRecord } from 'aws-lambda';
import { createStacks, TaskTrackerStack } from './app';
import {
  createTablesFromTemplate, DynamoDBLocal, FaultProxy, LOCAL_CREDENTIALS, LOCAL_REGION, localClientConfig, MappingSettings,
  matchesPattern, startDynamoDBLocal, startFaultProxy, StreamFunction,
} from '../../tools/dynamodb-local';

/** The task tracker deployed on DynamoDB Local: its tables, stream and bundled handler, from the synthesized app. */
export interface LocalDeployment {
  readonly local: DynamoDBLocal;
  /** Sits between the handler and DynamoDB Local: counts the handler's calls and injects throttles. */
  readonly proxy: FaultProxy;
  /** A client straight to DynamoDB Local (not through the proxy), for the app's own reads and writes. */
  readonly client: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly tasksTable: string;
  readonly idempotencyTable: string;
  /** Where records that keep failing are parked, with the later records of their item key. */
  readonly parkedRecordsTable: string;
  readonly streamArn: string;
  /** The consumer's event source mapping settings, read from the template. */
  readonly mapping: MappingSettings;
  /** Whether the mapping's event filters let a record through, read from the template. */
  readonly passesFilters: (record: DynamoDBRecord) => boolean;
  /** The bundled handler file NodejsFunction produced. */
  readonly bundlePath: string;
  /** The synthesized template the tables and the function's environment come from. */
  readonly template: any;
  /** The function's environment, as the template declares it, pointed at the proxy (plus `extraEnv`). */
  handlerEnvironment(extraEnv?: Record<string, string>): Record<string, string>;
  /** Loads a fresh copy of the bundled handler with the function's environment (plus `extraEnv`). */
  loadHandler(extraEnv?: Record<string, string>): StreamFunction;
  stop(): Promise<void>;
}

const REPO = path.join(__dirname, '..', '..');

/** Options of `deployLocally`. */
export interface DeployLocallyOptions {
  /** Changes the stack before it is synthesized (for example `stack.consumer.redriveAfterDeployment()`). @default - none */
  readonly configure?: (stack: TaskTrackerStack) => void;
}

/**
 * Synthesizes the app (NodejsFunction bundles the handler with the local esbuild), starts DynamoDB Local,
 * and creates the template's tables in it.
 */
export async function deployLocally(options: DeployLocallyOptions = {}): Promise<LocalDeployment> {
  // Inside the repository, so the bundle resolves the AWS SDK from node_modules as the Lambda runtime would provide it.
  fs.mkdirSync(path.join(REPO, 'cdk.out'), { recursive: true });
  const outdir = fs.mkdtempSync(path.join(REPO, 'cdk.out', '.local-task-tracker-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { 'aws:cdk:enable-asset-metadata': true } });
  createStacks(app);
  options.configure?.(app.node.findChild('TaskTracker') as TaskTrackerStack);
  const assembly = app.synth();
  const stack = assembly.getStackByName('TaskTracker');
  const template = stack.template;
  const resources: Record<string, any> = template.Resources;

  const fnId = Object.keys(resources).find((id) => resources[id].Type === 'AWS::Lambda::Function' && id.startsWith('OpenTaskCounter'))!;
  const bundleDir = path.join(outdir, resources[fnId].Metadata['aws:asset:path']);
  const bundlePath = path.join(bundleDir, 'index.js');
  const esm = Object.values(resources).find((r: any) => r.Type === 'AWS::Lambda::EventSourceMapping') as any;
  const patterns = (esm.Properties.FilterCriteria?.Filters ?? []).map((f: any) => JSON.parse(f.Pattern));

  const local = await startDynamoDBLocal();
  const client = new DynamoDBClient(localClientConfig(local.endpoint));
  const streams = new DynamoDBStreamsClient(localClientConfig(local.endpoint));
  const proxy = await startFaultProxy(local.endpoint);
  const tables = await createTablesFromTemplate(client, template);
  const nameOf = (logicalId: string) => tables.find((t) => t.logicalId === logicalId)!.tableName;
  const tasks = tables.find((t) => t.logicalId.startsWith('Tasks'))!;
  const idempotency = tables.find((t) => t.logicalId.includes('IdempotencyTable'))!;

  // The function's environment as the template declares it, with table references resolved to local names.
  const declaredEnv: Record<string, any> = resources[fnId].Properties.Environment?.Variables ?? {};
  const functionEnv: Record<string, string> = Object.fromEntries(Object.entries(declaredEnv).map(([k, v]) => [k, typeof v === 'string' ? v : nameOf(v.Ref)]));
  if (functionEnv.PARKED_RECORDS_TABLE_NAME === undefined) {
    // A template whose consumer declares no parked-records table: give the handler one of the same shape.
    await client.send(new CreateTableCommand({
      TableName: 'ParkedRecords',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
    functionEnv.PARKED_RECORDS_TABLE_NAME = 'ParkedRecords';
  }

  const handlerEnvironment = (extraEnv: Record<string, string> = {}): Record<string, string> => ({
    ...functionEnv,
    AWS_LAMBDA_FUNCTION_NAME: 'OpenTaskCounter',
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
    // An injected throttle must reach the handler, not be retried away by the SDK.
    AWS_MAX_ATTEMPTS: '1',
    // Failed and parked records are logged as JSON; keep them out of test and demo output.
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    // So is the ParkedRecords metric (CloudWatch's embedded metric format, on stdout), which nothing reads here.
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...extraEnv,
  });

  return {
    local,
    proxy,
    client,
    streams,
    tasksTable: tasks.tableName,
    idempotencyTable: idempotency.tableName,
    parkedRecordsTable: functionEnv.PARKED_RECORDS_TABLE_NAME,
    streamArn: tasks.streamArn!,
    mapping: {
      batchSize: esm.Properties.BatchSize,
      retryAttempts: esm.Properties.MaximumRetryAttempts,
      bisectBatchOnError: esm.Properties.BisectBatchOnFunctionError,
      maxBatchingWindowSeconds: esm.Properties.MaximumBatchingWindowInSeconds,
      maxRecordAgeSeconds: esm.Properties.MaximumRecordAgeInSeconds,
      parallelizationFactor: esm.Properties.ParallelizationFactor,
      functionTimeoutSeconds: resources[fnId].Properties.Timeout,
    },
    passesFilters: (record) => patterns.length === 0 || patterns.some((p: any) => matchesPattern(p, record)),
    bundlePath,
    template,
    handlerEnvironment,
    loadHandler: (extraEnv = {}) => {
      Object.assign(process.env, handlerEnvironment(extraEnv));
      delete require.cache[require.resolve(bundlePath)];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(bundlePath).handler as StreamFunction;
    },
    stop: async () => {
      client.destroy();
      streams.destroy();
      await proxy.stop();
      await local.stop();
      fs.rmSync(outdir, { recursive: true, force: true });
    },
  };
}
