import { App, CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, InputFormat, MultiRegionConsistency, StreamViewType, Table, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { kinds, migrate, orders, planLines, synth } from './helpers';
import { BlueprintTable, MigrationCheck, MigrationFindingKind } from '../../src';
import { TEST_ENV, testApp } from '../util';

const S = AttributeType.STRING;
const ID = /[0-9A-F]{8}/.source;

function events(scope: Construct, props: Partial<ConstructorParameters<typeof TableV2>[2]> = {}, id = 'Events'): TableV2 {
  return new TableV2(scope, id, { partitionKey: { name: 'id', type: S }, ...props });
}

function legacy(scope: Construct, props: Partial<ConstructorParameters<typeof Table>[2]> = {}, id = 'Legacy'): Table {
  return new Table(scope, id, { partitionKey: { name: 'id', type: S }, ...props });
}

/** A hand-written global table template, for settings the L2 constructs cannot produce. */
function globalTable(properties: Record<string, unknown>): any {
  return {
    Resources: {
      Ledger: {
        Type: 'AWS::DynamoDB::GlobalTable',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
          ...properties,
        },
      },
    },
  };
}

const replicas = (...regions: string[]) => regions.map((Region) => ({ Region }));

describe('a table under a new logical id', () => {
  test('a BlueprintTable whose construct id changed: an error naming both ids, with Retain the old table is orphaned', () => {
    const report = migrate((s) => orders(s), (s) => new BlueprintTable(new Construct(s, 'Sales'), 'Orders', { partitionKey: { name: 'PK', type: S }, sortKey: { name: 'SK', type: S } }));
    expect(kinds(report)).toEqual(['ERROR TABLE_RENAMED']);
    const [finding] = report.findings;
    expect(finding.table).toMatch(new RegExp(`^Orders${ID}$`));
    expect(finding.change).toMatch(new RegExp(`^table Orders${ID} \\(generated name\\) is gone; SalesOrders${ID} \\(generated name\\) with the same keys \\(partition PK \\(S\\), sort SK \\(S\\)\\) appears under a new logical id$`));
    expect(finding.why).toContain(`it creates ${finding.change.match(/SalesOrders[0-9A-F]{8}/)![0]} as a new, empty table.`);
    expect(finding.why).toContain('DeletionPolicy is Retain, so the old table and its data stay in the account, orphaned outside any stack, while the application is switched to the new, empty table.');
    expect(finding.fix).toContain(`overrideLogicalId('${finding.table}')`);
    expect(finding.fix).toContain('export to S3 and import');
    expect(report.safe).toBe(false);
  });

  test('a TableV2 moved into a construct: the same error', () => {
    const report = migrate((s) => events(s), (s) => events(new Construct(s, 'Ingest')));
    expect(kinds(report)).toEqual(['ERROR TABLE_RENAMED']);
    expect(report.findings[0].change).toMatch(new RegExp(`IngestEvents${ID} \\(generated name\\) with the same keys`));
  });

  test('a Table without Retain renamed: the old table is deleted with its data', () => {
    const report = migrate(
      (s) => legacy(s, { removalPolicy: RemovalPolicy.DESTROY }),
      (s) => legacy(s, { removalPolicy: RemovalPolicy.DESTROY }, 'Accounts'),
    );
    expect(kinds(report)).toEqual(['ERROR TABLE_RENAMED']);
    expect(report.findings[0].why).toContain('DeletionPolicy is Delete, so CloudFormation deletes the old table and all its data');
  });

  test('with the same fixed table name, the deployment fails as well', () => {
    const report = migrate((s) => events(s, { tableName: 'events' }), (s) => events(s, { tableName: 'events' }, 'EventLog'));
    expect(kinds(report)).toEqual(['ERROR TABLE_RENAMED']);
    expect(report.findings[0].why).toContain('Both declare the table name events: creating EventLog');
  });

  test('the fix works: overrideLogicalId keeps the deployed table', () => {
    const before = synth((s) => legacy(s));
    const deployedId = Object.keys(before.Resources).find((id) => id.startsWith('Legacy'))!;
    const after = synth((s) => (legacy(s, {}, 'Accounts').node.defaultChild as CfnResource).overrideLogicalId(deployedId));
    expect(kinds(MigrationCheck.compareTemplates(before, after))).toEqual([]);
  });

  test('a planned new table can be accepted by kind and old logical id', () => {
    const before = synth((s) => legacy(s));
    const after = synth((s) => legacy(s, {}, 'Accounts'));
    const oldId = Object.keys(before.Resources).find((id) => id.startsWith('Legacy'))!;
    expect(MigrationCheck.compareTemplates(before, after, { accept: [`TABLE_RENAMED:${oldId}`] }).findings).toEqual([]);
  });

  test('a table leaving while a table with other keys appears is a removal, not a rename', () => {
    const report = migrate((s) => orders(s), (s) => legacy(s));
    expect(kinds(report)).toEqual(['WARNING TABLE_REMOVED']);
  });

  test('each new table is the twin of one old table only', () => {
    const report = migrate((s) => { legacy(s); legacy(s, {}, 'Sessions'); }, (s) => legacy(s, {}, 'Accounts'));
    expect(kinds(report)).toEqual(['ERROR TABLE_RENAMED', 'WARNING TABLE_REMOVED']);
  });

  test('a table moving between stacks: an error naming both stacks and both logical ids', () => {
    const assembly = (moved: boolean) => {
      const app: App = testApp();
      const users = new Stack(app, 'Users', { env: TEST_ENV });
      const billing = new Stack(app, 'Billing', { env: TEST_ENV });
      orders(moved ? billing : users);
      legacy(billing);
      return app.synth().directory;
    };
    const report = MigrationCheck.comparePaths(assembly(false), assembly(true));
    expect(report.findings.map((f) => `${f.severity} ${f.kind} ${f.stack}`)).toEqual(['ERROR TABLE_MOVED_BETWEEN_STACKS Users']);
    const [finding] = report.findings;
    expect(finding.change).toMatch(new RegExp(`^table Orders${ID} \\(generated name\\) leaves stack Users; Billing/Orders${ID} \\(generated name\\) with the same keys \\(partition PK \\(S\\), sort SK \\(S\\)\\) appears in stack Billing$`));
    expect(finding.why).toContain('does not carry data from one logical id to another or from one stack to another');
    expect(finding.fix).toContain('cdk refactor');
    expect(finding.fix).toContain('cdk import');
  });
});

describe('multi-region strong consistency', () => {
  // Test stacks are in us-east-1: with us-east-2 and the witness in us-west-2, the US region set.
  const strong = (s: Stack) => events(s, { multiRegionConsistency: MultiRegionConsistency.STRONG, replicas: [{ region: 'us-east-2' }], witnessRegion: 'us-west-2' });

  test('a TableV2 losing strong consistency and its witness: two errors', () => {
    const report = MigrationCheck.compareTemplates(
      synth(strong),
      synth((s) => events(s, { replicas: [{ region: 'us-east-2' }] })),
    );
    expect(kinds(report)).toEqual(['ERROR MULTI_REGION_CONSISTENCY_CHANGED', 'ERROR WITNESS_CHANGED']);
    expect(report.findings[0].change).toBe('multi-region consistency STRONG -> EVENTUAL');
    expect(report.findings[0].why).toContain('DynamoDB cannot change it afterwards');
    expect(report.findings[1].change).toBe('witness region us-west-2 -> none');
    expect(report.findings[1].why).toContain('can be removed only together with a replica');
  });

  test('turning strong consistency on for a deployed TableV2, with a new witness: two errors', () => {
    const report = MigrationCheck.compareTemplates(
      synth((s) => events(s, { replicas: [{ region: 'us-east-2' }] })),
      synth(strong),
    );
    expect(kinds(report)).toEqual(['ERROR MULTI_REGION_CONSISTENCY_CHANGED', 'ERROR WITNESS_CHANGED']);
    expect(report.findings[1].why).toContain('DynamoDB rejects adding us-west-2 to the existing table');
  });

  test('a witness moved to another region: an error', () => {
    const report = MigrationCheck.compareTemplates(
      globalTable({ MultiRegionConsistency: 'STRONG', Replicas: replicas('eu-west-1', 'eu-west-2'), GlobalTableWitnesses: [{ Region: 'eu-west-3' }] }),
      globalTable({ MultiRegionConsistency: 'STRONG', Replicas: replicas('eu-west-1', 'eu-west-2'), GlobalTableWitnesses: [{ Region: 'eu-central-1' }] }),
    );
    expect(kinds(report)).toEqual(['ERROR WITNESS_CHANGED']);
    expect(report.findings[0].change).toBe('witness region eu-west-3 -> eu-central-1');
  });

  test('a witness leaving together with a replica: a warning that strong consistency ends', () => {
    const report = MigrationCheck.compareTemplates(
      globalTable({ MultiRegionConsistency: 'STRONG', Replicas: replicas('eu-west-1', 'eu-west-2'), GlobalTableWitnesses: [{ Region: 'eu-west-3' }] }),
      globalTable({ MultiRegionConsistency: 'STRONG', Replicas: replicas('eu-west-1') }),
    );
    expect(kinds(report)).toEqual(['WARNING WITNESS_CHANGED']);
    expect(report.findings[0].why).toContain('the remaining replica becomes a single-Region table');
  });
});

describe('properties CloudFormation replaces the table for, or refuses to update', () => {
  test('ImportSourceSpecification added to a deployed Table replaces it', () => {
    const report = migrate((s) => legacy(s), (s) => legacy(s, {
      importSource: { bucket: Bucket.fromBucketName(s, 'Exports', 'exports'), inputFormat: InputFormat.dynamoDBJson(), keyPrefix: 'legacy/' },
    }));
    expect(kinds(report)).toEqual(['ERROR IMPORT_SOURCE_CHANGED']);
    expect(report.findings[0].change).toBe('import source none -> DYNAMODB_JSON from s3://exports/legacy/');
    expect(report.findings[0].why).toContain('"Update requires: Replacement"');
  });

  test('a lower warm throughput on a TableV2 fails', () => {
    const report = migrate(
      (s) => events(s, { warmThroughput: { readUnitsPerSecond: 15000, writeUnitsPerSecond: 5000 } }),
      (s) => events(s, { warmThroughput: { readUnitsPerSecond: 12000, writeUnitsPerSecond: 5000 } }),
    );
    expect(kinds(report)).toEqual(['ERROR WARM_THROUGHPUT_DECREASED']);
    expect(report.findings[0].change).toBe('warm throughput lowered: table ReadUnitsPerSecond 15000 -> 12000');
  });

  test('a lower warm throughput on a Table GSI fails; a higher one passes', () => {
    const withIndex = (write: number) => (s: Stack) => legacy(s, { billingMode: undefined }).addGlobalSecondaryIndex({
      indexName: 'byOwner', partitionKey: { name: 'owner', type: S }, warmThroughput: { readUnitsPerSecond: 12000, writeUnitsPerSecond: write },
    });
    expect(kinds(migrate(withIndex(6000), withIndex(4000)))).toEqual(['ERROR WARM_THROUGHPUT_DECREASED']);
    expect(migrate(withIndex(6000), withIndex(4000)).findings[0].change).toBe('warm throughput lowered: index byOwner WriteUnitsPerSecond 6000 -> 4000');
    expect(kinds(migrate(withIndex(4000), withIndex(6000)))).toEqual([]);
  });

  test('moving TTL to another attribute of a BlueprintTable fails and takes two deployments', () => {
    const report = migrate((s) => orders(s, { timeToLiveAttribute: 'expiresAt' }), (s) => orders(s, { timeToLiveAttribute: 'ttl' }));
    expect(kinds(report)).toEqual(['ERROR TIME_TO_LIVE_ATTRIBUTE_CHANGED']);
    expect(report.findings[0].change).toBe('time-to-live attribute expiresAt -> ttl');
    expect(planLines(report)).toEqual(['1: Orders turn time to live off', '2: Orders turn time to live on with ttl (at least an hour later)']);
  });

  test('turning off the stream of a Table is a warning; of a replicated global table, an error', () => {
    const table = migrate((s) => legacy(s, { stream: StreamViewType.NEW_IMAGE }), (s) => legacy(s));
    expect(kinds(table)).toEqual(['WARNING STREAM_DISABLED']);
    expect(table.findings[0].why).toContain('a stream turned on later has a new ARN');
    const replicated = globalTable({ Replicas: replicas('us-east-1', 'eu-west-1') });
    const withoutStream = globalTable({ Replicas: replicas('us-east-1', 'eu-west-1') });
    delete withoutStream.Resources.Ledger.Properties.StreamSpecification;
    const report = MigrationCheck.compareTemplates(replicated, withoutStream);
    expect(kinds(report)).toEqual(['ERROR STREAM_DISABLED']);
    expect(report.findings[0].why).toContain('with replicas in us-east-1, eu-west-1, DynamoDB refuses to turn it off');
  });

  test('a BlueprintTable stream turned off is a warning', () => {
    expect(kinds(migrate((s) => orders(s, { dynamoStream: StreamViewType.NEW_IMAGE }), (s) => orders(s)))).toEqual(['WARNING STREAM_DISABLED']);
  });
});

test('every finding kind is documented in docs/migration-check.md', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const doc: string = require('fs').readFileSync(require('path').join(__dirname, '..', '..', 'docs', 'migration-check.md'), 'utf-8');
  const missing = Object.values(MigrationFindingKind).filter((kind) => !doc.includes(`| \`${kind}\` |`));
  expect(missing).toEqual([]);
});
