/*
 * The stream consumer's handler as a user builds it: the packed runtime tarball installed in an app of its own
 * (outside this repository, so nothing resolves to src/runtime), the README's handler and NodejsFunction props,
 * `cdk init`'s feature flags, a real synth with that app's aws-cdk-lib and esbuild. The bundle is measured,
 * then loaded and invoked against DynamoDB Local: a small bundle that does not run proves nothing.
 * Run by scripts/ci/stream-runtime.sh after `npx projen package:runtime` (RUNTIME_TARBALL names the tarball).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBLocal, invokeInChild, LOCAL_CREDENTIALS, LOCAL_REGION, localClientConfig, startDynamoDBLocal } from '../../tools/dynamodb-local';

const REPO = path.join(__dirname, '..', '..');
const KB = 1024;

/** The NodejsFunction props of the README and docs/stream-consumers.md, written as they are there. */
const RUNTIME_PROP = 'runtime: Runtime.NODEJS_24_X';
const BUNDLING_PROP = "bundling: { minify: true, externalModules: ['@aws-sdk/*'] }";

/** The README's handler module: the code block that starts with its file name. */
function readmeHandler(): string {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```ts[^\n]*\n([\s\S]*?)```/g)].map((m) => m[1])
    .find((code) => code.startsWith('// handler/open-task-counter.ts'));
  if (!block) {
    throw new Error('README.md has no ts block starting with `// handler/open-task-counter.ts`');
  }
  return block;
}

/** The version this repository's lock file installs, so the app differs from the repository only in how it gets the runtime. */
function locked(name: string): string {
  const lock = JSON.parse(fs.readFileSync(path.join(REPO, 'package-lock.json'), 'utf8'));
  return lock.packages[`node_modules/${name}`].version;
}

function runtimeTarball(): string {
  if (process.env.RUNTIME_TARBALL) {
    return path.resolve(process.env.RUNTIME_TARBALL);
  }
  const dist = path.join(REPO, 'dist', 'js');
  const found = fs.existsSync(dist) ? fs.readdirSync(dist).filter((f) => f.startsWith('cdk-dynamodb-blueprints-runtime-')) : [];
  if (found.length !== 1) {
    throw new Error(`expected one runtime tarball in dist/js, found ${found.length}: run \`npx projen package:runtime\` (scripts/ci/stream-runtime.sh does)`);
  }
  return path.join(dist, found[0]);
}

// The app's synth: one stack per handler, the props given or not, `cdk init`'s flags (cdk.json of a new app).
const SYNTH = `
const { App, Stack } = require('aws-cdk-lib');
const { Runtime } = require('aws-cdk-lib/aws-lambda');
const { NodejsFunction } = require('aws-cdk-lib/aws-lambda-nodejs');
const { CURRENTLY_RECOMMENDED_FLAGS } = require('aws-cdk-lib/cx-api');
const path = require('path');
const fs = require('fs');

const app = new App({ outdir: 'cdk.out', context: { ...CURRENTLY_RECOMMENDED_FLAGS, 'aws:cdk:enable-asset-metadata': true } });
// \`metafile\` only writes esbuild's list of inputs beside the bundle (index.meta.json); the bundle is the same.
const handlers = {
  readme: { entry: 'handler/open-task-counter.ts', runtime: Runtime.NODEJS_24_X, bundling: { minify: true, externalModules: ['@aws-sdk/*'], metafile: true } },
  powertools: { entry: 'handler/powertools-handler.ts', runtime: Runtime.NODEJS_24_X, bundling: { minify: true, externalModules: ['@aws-sdk/*'], metafile: true } },
  noProps: { entry: 'handler/open-task-counter.ts' },
};
for (const [name, props] of Object.entries(handlers)) {
  new NodejsFunction(new Stack(app, name), 'Handler', props);
}
const assembly = app.synth();
const bundles = {};
for (const name of Object.keys(handlers)) {
  const template = assembly.getStackByName(name).template;
  const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
  bundles[name] = path.resolve('cdk.out', fn.Metadata['aws:asset:path'], 'index.js');
}
fs.writeFileSync('bundles.json', JSON.stringify(bundles));
`;

let app: string;
let bundles: Record<'readme' | 'powertools' | 'noProps', string>;
const size = (bundle: string) => fs.statSync(bundle).size;

beforeAll(() => {
  app = fs.mkdtempSync(path.join(os.tmpdir(), 'runtime-app-'));
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
    name: 'runtime-app',
    private: true,
    dependencies: {
      'cdk-dynamodb-blueprints-runtime': `file:${runtimeTarball()}`,
      // The runtime's peers, as its README says to install them.
      '@aws-sdk/client-dynamodb': locked('@aws-sdk/client-dynamodb'),
      '@aws-sdk/lib-dynamodb': locked('@aws-sdk/lib-dynamodb'),
      'aws-cdk-lib': locked('aws-cdk-lib'),
      'constructs': locked('constructs'),
      'esbuild': locked('esbuild'),
    },
  }, undefined, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, stdio: 'inherit' });
  fs.mkdirSync(path.join(app, 'handler'));
  fs.writeFileSync(path.join(app, 'handler', 'open-task-counter.ts'), readmeHandler());
  fs.copyFileSync(path.join(__dirname, 'fixtures', 'powertools-handler.ts'), path.join(app, 'handler', 'powertools-handler.ts'));
  fs.writeFileSync(path.join(app, 'synth.js'), SYNTH);
  execFileSync(process.execPath, ['synth.js'], { cwd: app, stdio: 'inherit' });
  bundles = JSON.parse(fs.readFileSync(path.join(app, 'bundles.json'), 'utf8'));
  for (const [name, bundle] of Object.entries(bundles)) {
    console.log(`${name}: ${(size(bundle) / KB).toFixed(1)} KB`);
  }
}, 600_000);

afterAll(() => {
  if (app) {
    fs.rmSync(app, { recursive: true, force: true });
  }
});

test('the README handler, bundled from the installed tarball with the README props, is at most 55 KB', () => {
  expect(size(bundles.readme)).toBeLessThanOrEqual(55 * KB);
  // Powertools and the runtime helpers are in it: the bundle is not empty.
  expect(size(bundles.readme)).toBeGreaterThan(20 * KB);
});

/** The installed package folders (`node_modules/...`) esbuild took files from: the files' paths inside them, the bytes they left in the bundle. */
function bundledPackages(bundle: string): Map<string, { files: string[]; bytes: number }> {
  const meta = JSON.parse(fs.readFileSync(path.join(path.dirname(bundle), 'index.meta.json'), 'utf8'));
  const output: any = Object.values(meta.outputs).find((o: any) => o.entryPoint);
  const packages = new Map<string, { files: string[]; bytes: number }>();
  for (const input of Object.keys(meta.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(input);
    if (match) {
      const found = packages.get(match[1]) ?? { files: [], bytes: 0 };
      packages.set(match[1], { files: [...found.files, match[2]], bytes: found.bytes + (output?.inputs[input]?.bytesInOutput ?? 0) });
    }
  }
  return packages;
}

/**
 * Checks a bundle took ES modules only, from the runtime and from Powertools (which ship lib/esm and lib/cjs),
 * one copy of each package (a package nested under another is a second copy) and nothing of the AWS SDK.
 * Returns each package with the bytes it left in the bundle, for the log.
 */
function expectEsModulesOnce(bundle: string): string[] {
  const packages = bundledPackages(bundle);
  for (const [folder, { files }] of packages) {
    const commonJs = files.filter((f) => f.includes('/cjs/') || (folder.endsWith('/cdk-dynamodb-blueprints-runtime') && !f.startsWith('esm/')));
    expect({ folder, commonJs }).toEqual({ folder, commonJs: [] });
  }
  const names = [...packages.keys()].map((folder) => folder.replace(/^.*node_modules\//, ''));
  expect({ copiedTwice: names.filter((name, i) => names.indexOf(name) !== i), sdk: names.filter((name) => name.startsWith('@aws-sdk/')) })
    .toEqual({ copiedTwice: [], sdk: [] });
  return [...packages].map(([folder, { bytes }]) => `${folder.replace(/^.*node_modules\//, '')} ${(bytes / KB).toFixed(1)} KB`);
}

test("the README handler's bundle takes the runtime's and Powertools' ES modules, one copy of each package, and leaves the AWS SDK out", () => {
  expect(bundledPackages(bundles.readme).get('node_modules/cdk-dynamodb-blueprints-runtime')?.files).toContain('esm/transactional-stream-handler.mjs');
  console.log(`README handler bundles: ${expectEsModulesOnce(bundles.readme).join(', ')}`);
  expect(fs.readFileSync(bundles.readme, 'utf8')).toMatch(/require\("@aws-sdk\/client-dynamodb"\)/);
});

test('the Powertools-path handler (createStreamHandler: batch, idempotency with its JMESPath, logger) is at most 80 KB with the same props, ES modules once', () => {
  expect(size(bundles.powertools)).toBeLessThanOrEqual(80 * KB);
  expect(size(bundles.powertools)).toBeGreaterThan(40 * KB);
  console.log(`Powertools-path handler bundles: ${expectEsModulesOnce(bundles.powertools).join(', ')}`);
});

test("without the props, cdk init's flags pick NODEJS_LATEST and the whole AWS SDK is bundled", () => {
  // The reason for the props: more than 10 times the limit.
  expect(size(bundles.noProps)).toBeGreaterThan(600 * KB);
});

test('the README and docs/stream-consumers.md show exactly these props', () => {
  for (const file of ['README.md', 'docs/stream-consumers.md']) {
    const text = fs.readFileSync(path.join(REPO, file), 'utf8');
    expect(text).toContain(RUNTIME_PROP);
    expect(text).toContain(BUNDLING_PROP);
  }
});

describe('the bundles run', () => {
  let ddb: DynamoDBLocal;
  let client: DynamoDBClient;

  beforeAll(async () => {
    // A patient start: CI's machine is shared by the steps that run beside this one.
    ddb = await startDynamoDBLocal({ startTimeoutMs: 90_000 });
    client = new DynamoDBClient(localClientConfig(ddb.endpoint));
    const table = (name: string, keys: string[]) => client.send(new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: keys.map((k) => ({ AttributeName: k, AttributeType: 'S' })),
      KeySchema: keys.map((k, i) => ({ AttributeName: k, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
    }));
    await table('OpenTasks', ['PK']);
    await table('Audit', ['PK']);
    await table('Markers', ['id']);
    await table('Parked', ['pk', 'sk']);
  }, 120_000);

  afterAll(async () => {
    client?.destroy();
    await ddb?.stop();
  });

  /** The environment TableStreamConsumer gives the function, pointed at DynamoDB Local; the SDK from the app's node_modules. */
  const environment = () => ({
    PATH: process.env.PATH ?? '',
    AWS_ENDPOINT_URL: ddb.endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_LAMBDA_FUNCTION_NAME: 'OpenTaskCounter',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TABLE_NAME: 'OpenTasks',
    AUDIT_TABLE_NAME: 'Audit',
    IDEMPOTENCY_TABLE_NAME: 'Markers',
    PARKED_RECORDS_TABLE_NAME: 'Parked',
  });

  const event = {
    Records: [{
      eventID: 'c81e728d9d4c2f636f067f89cc14862c',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: LOCAL_REGION,
      eventSourceARN: `arn:aws:dynamodb:${LOCAL_REGION}:123456789012:table/Tasks/stream/2026-12-07T00:00:00.000`,
      dynamodb: {
        ApproximateCreationDateTime: 1796601600,
        Keys: { PK: { S: 'PROJECT#apollo' } },
        NewImage: { PK: { S: 'PROJECT#apollo' }, status: { S: 'OPEN' } },
        SequenceNumber: '100000000000000000000',
        SizeBytes: 40,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    }],
  };

  test("the README handler applies a record's effects once, and a replay of the batch changes nothing", async () => {
    const get = async (table: string, pk: string) =>
      (await client.send(new GetItemCommand({ TableName: table, Key: { PK: { S: pk } }, ConsistentRead: true }))).Item;
    const counter = async () => {
      const item = await get('OpenTasks', 'COUNT#PROJECT#apollo');
      return { changes: item?.changes?.N, live: item?.live?.N };
    };
    const first = await invokeInChild(bundles.readme, environment(), event);
    expect(first).toEqual({ killed: false, result: { batchItemFailures: [] } });
    expect(await counter()).toEqual({ changes: '1', live: '1' });
    expect((await get('Audit', 'PROJECT#apollo#100000000000000000000'))?.change?.S).toBe('INSERT');
    const replay = await invokeInChild(bundles.readme, environment(), event);
    expect(replay).toEqual({ killed: false, result: { batchItemFailures: [] } });
    expect(await counter()).toEqual({ changes: '1', live: '1' });
  }, 120_000);
});

test('the Powertools-path bundle loads and exports its handler (its effect, an HTTP call, is not run here)', () => {
  const env = { PATH: process.env.PATH ?? '', AWS_REGION: LOCAL_REGION, IDEMPOTENCY_TABLE_NAME: 'Markers', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const loaded = execFileSync(process.execPath, ['-e', `process.stdout.write(typeof require(${JSON.stringify(bundles.powertools)}).handler)`], { env }).toString();
  expect(loaded).toBe('function');
});
