/**
 * BlueprintTable against TableV2: for every case, the same props (with BlueprintTable's opinions set
 * explicitly to TableV2's values) must render the same resources.
 *
 * TableV2 leaves encryption, deletion protection, point-in-time recovery and contributor insights
 * unset by default; BlueprintTable cannot (unset means its opinion), so every case spells TableV2's
 * choice out on both sides: a DynamoDB-owned key, deletion protection off, PITR off, contributor
 * insights off (`OPINIONS_AT_TABLEV2_VALUES`). Indexes name their projection type, because
 * TableV2's default is ALL and BlueprintTable's is INCLUDE. TableV2's removal policy default is
 * RETAIN, as BlueprintTable's.
 *
 * All cases go into one stack per side (two synths in all), each under a construct `CaseNN`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  AttributeType, Billing, Capacity, ContributorInsightsMode, GlobalSecondaryIndexPropsV2, GlobalTableSettingsReplicationMode,
  LocalSecondaryIndexProps, MultiRegionConsistency, ProjectionType, ReplicaGlobalSecondaryIndexOptions, ReplicaTableProps,
  StreamViewType, TableClass, TableEncryptionV2, TablePropsV2, TableV2, TableV2MultiAccountReplica, TableV2MultiAccountReplicaProps,
} from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { BlueprintMultiAccountReplica, BlueprintTable } from '../../src';
import { TEST_ENV } from '../util';

const S = AttributeType.STRING;
const N = AttributeType.NUMBER;
const B = AttributeType.BINARY;
const PK = { name: 'PK', type: S };
const SK = { name: 'SK', type: S };
const KEYS_ARN = (region: string) => `arn:aws:kms:${region}:123456789012:key/00000000-0000-0000-0000-000000000000`;
const AUTOSCALED = () => Capacity.autoscaled({ minCapacity: 2, maxCapacity: 20 });

const OPINIONS_AT_TABLEV2_VALUES = {
  encryption: TableEncryptionV2.dynamoOwnedKey(),
  deletionProtection: false,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
  contributorInsightsSpecification: { enabled: false },
};

interface Case {
  readonly props: (scope: Construct) => TablePropsV2;
  /** Calls made on the table after construction, the same on both sides. */
  readonly after?: (table: TableV2, scope: Construct) => void;
}

function policy(): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], principals: [new iam.AccountRootPrincipal()], resources: ['*'] })],
  });
}

const gsi = (name: string, extra: Partial<GlobalSecondaryIndexPropsV2> = {}): GlobalSecondaryIndexPropsV2 => ({
  indexName: name, partitionKey: { name: `${name}PK`, type: S }, projectionType: ProjectionType.KEYS_ONLY, ...extra,
});
const lsi = (name: string, extra: Partial<LocalSecondaryIndexProps> = {}): LocalSecondaryIndexProps => ({
  indexName: name, sortKey: { name: `${name}SK`, type: S }, projectionType: ProjectionType.KEYS_ONLY, ...extra,
});
const onDemandReplicas = (...replicas: ReplicaTableProps[]) => ({ encryption: TableEncryptionV2.awsManagedKey(), replicas });
const provisioned = () => Billing.provisioned({ readCapacity: AUTOSCALED(), writeCapacity: AUTOSCALED() });

const CASES: Record<string, Case> = {
  'partition key only (S)': { props: () => ({ partitionKey: PK }) },
  'number partition key': { props: () => ({ partitionKey: { name: 'id', type: N } }) },
  'binary partition key and number sort key': { props: () => ({ partitionKey: { name: 'id', type: B }, sortKey: { name: 'at', type: N } }) },
  'string sort key, binary sort key': { props: () => ({ partitionKey: PK, sortKey: { name: 'blob', type: B } }) },
  'table name': { props: () => ({ partitionKey: PK, sortKey: SK, tableName: 'app-prod-orders' }) },
  'on demand, no maximum': { props: () => ({ partitionKey: PK, billing: Billing.onDemand() }) },
  'on demand with maximum read and write units': {
    props: () => ({ partitionKey: PK, billing: Billing.onDemand({ maxReadRequestUnits: 1000, maxWriteRequestUnits: 500 }) }),
  },
  'provisioned, auto scaled reads and writes': { props: () => ({ partitionKey: PK, billing: provisioned() }) },
  'provisioned with seed capacity and target utilization': {
    props: () => ({
      partitionKey: PK,
      billing: Billing.provisioned({
        readCapacity: Capacity.autoscaled({ minCapacity: 5, maxCapacity: 50, seedCapacity: 10, targetUtilizationPercent: 50 }),
        writeCapacity: Capacity.autoscaled({ maxCapacity: 40, targetUtilizationPercent: 80 }),
      }),
    }),
  },
  'warm throughput on the table': { props: () => ({ partitionKey: PK, warmThroughput: { readUnitsPerSecond: 15000, writeUnitsPerSecond: 5000 } }) },
  'GSI KEYS_ONLY': { props: () => ({ partitionKey: PK, globalSecondaryIndexes: [gsi('byA')] }) },
  'GSI ALL with a sort key': { props: () => ({ partitionKey: PK, globalSecondaryIndexes: [gsi('byA', { projectionType: ProjectionType.ALL, sortKey: { name: 'at', type: N } })] }) },
  'GSI INCLUDE': {
    props: () => ({ partitionKey: PK, globalSecondaryIndexes: [gsi('byA', { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: ['title', 'total'] })] }),
  },
  'GSI with multi-attribute partition and sort keys': {
    props: () => ({
      partitionKey: PK,
      globalSecondaryIndexes: [{
        indexName: 'byTenantStatus',
        partitionKeys: [{ name: 'tenant', type: S }, { name: 'region', type: S }],
        sortKeys: [{ name: 'status', type: S }, { name: 'at', type: N }],
        projectionType: ProjectionType.KEYS_ONLY,
      }],
    }),
  },
  'GSI on-demand maximum and warm throughput': {
    props: () => ({
      partitionKey: PK,
      globalSecondaryIndexes: [gsi('byA', { maxReadRequestUnits: 100, maxWriteRequestUnits: 50, warmThroughput: { readUnitsPerSecond: 12000, writeUnitsPerSecond: 4000 } })],
    }),
  },
  'GSI auto scaling of its own on a provisioned table': {
    props: () => ({
      partitionKey: PK,
      billing: provisioned(),
      globalSecondaryIndexes: [gsi('byA', { readCapacity: Capacity.autoscaled({ maxCapacity: 30 }), writeCapacity: Capacity.autoscaled({ maxCapacity: 30 }) }), gsi('byB')],
    }),
  },
  'LSIs of each projection': {
    props: () => ({
      partitionKey: PK,
      sortKey: SK,
      localSecondaryIndexes: [
        lsi('byA'),
        lsi('byB', { projectionType: ProjectionType.ALL }),
        lsi('byC', { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: ['title'] }),
      ],
    }),
  },
  'GSIs and LSIs together': {
    props: () => ({ partitionKey: PK, sortKey: SK, globalSecondaryIndexes: [gsi('byA'), gsi('byB')], localSecondaryIndexes: [lsi('byC')] }),
  },
  'time to live': { props: () => ({ partitionKey: PK, timeToLiveAttribute: 'expiresAt' }) },
  'stream KEYS_ONLY': { props: () => ({ partitionKey: PK, dynamoStream: StreamViewType.KEYS_ONLY }) },
  'stream NEW_IMAGE': { props: () => ({ partitionKey: PK, dynamoStream: StreamViewType.NEW_IMAGE }) },
  'stream OLD_IMAGE': { props: () => ({ partitionKey: PK, dynamoStream: StreamViewType.OLD_IMAGE }) },
  'stream NEW_AND_OLD_IMAGES with a stream resource policy': {
    props: () => ({ partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES, streamResourcePolicy: policy() }),
  },
  'table class STANDARD_INFREQUENT_ACCESS': { props: () => ({ partitionKey: PK, tableClass: TableClass.STANDARD_INFREQUENT_ACCESS }) },
  'table class STANDARD': { props: () => ({ partitionKey: PK, tableClass: TableClass.STANDARD }) },
  'Kinesis data stream': { props: (scope) => ({ partitionKey: PK, kinesisStream: new kinesis.Stream(scope, 'Stream', { retentionPeriod: Duration.hours(24) }) }) },
  'resource policy': { props: () => ({ partitionKey: PK, resourcePolicy: policy() }) },
  'tags': { props: () => ({ partitionKey: PK, tags: [{ key: 'team', value: 'orders' }, { key: 'env', value: 'prod' }] }) },
  'removal policy DESTROY': { props: () => ({ partitionKey: PK, removalPolicy: RemovalPolicy.DESTROY }) },
  'removal policy SNAPSHOT': { props: () => ({ partitionKey: PK, removalPolicy: RemovalPolicy.SNAPSHOT }) },
  'removal policy RETAIN': { props: () => ({ partitionKey: PK, removalPolicy: RemovalPolicy.RETAIN }) },
  'deletion protection, PITR with 7 days, contributor insights THROTTLED_KEYS': {
    props: () => ({
      partitionKey: PK,
      globalSecondaryIndexes: [gsi('byA')],
      deletionProtection: true,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 7 },
      contributorInsightsSpecification: { enabled: true, mode: ContributorInsightsMode.THROTTLED_KEYS },
    }),
  },
  'PITR and contributor insights shorthand': {
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    props: () => ({ partitionKey: PK, globalSecondaryIndexes: [gsi('byA')], pointInTimeRecovery: true, contributorInsights: true }),
  },
  'encryption: AWS managed key': { props: () => ({ partitionKey: PK, encryption: TableEncryptionV2.awsManagedKey() }) },
  'encryption: DynamoDB owned key': { props: () => ({ partitionKey: PK, encryption: TableEncryptionV2.dynamoOwnedKey() }) },
  'encryption: customer-managed key': {
    props: (scope) => ({ partitionKey: PK, encryption: TableEncryptionV2.customerManagedKey(new kms.Key(scope, 'Key')) }),
  },
  'encryption: customer-managed key with a key per replica region': {
    props: (scope) => ({
      partitionKey: PK,
      encryption: TableEncryptionV2.customerManagedKey(new kms.Key(scope, 'Key'), { 'eu-west-1': KEYS_ARN('eu-west-1'), 'us-west-2': KEYS_ARN('us-west-2') }),
      replicas: [{ region: 'eu-west-1' }, { region: 'us-west-2' }],
    }),
  },
  'replicas, plain': { props: () => ({ partitionKey: PK, ...onDemandReplicas({ region: 'eu-west-1' }, { region: 'ap-southeast-2' }) }) },
  'replica with its own deletion protection, table class and tags': {
    props: () => ({
      partitionKey: PK,
      ...onDemandReplicas({ region: 'eu-west-1', deletionProtection: true, tableClass: TableClass.STANDARD_INFREQUENT_ACCESS, tags: [{ key: 'copy', value: 'eu' }] }),
    }),
  },
  'replica with its own PITR and contributor insights specifications': {
    props: () => ({
      partitionKey: PK,
      globalSecondaryIndexes: [gsi('byA')],
      ...onDemandReplicas({
        region: 'eu-west-1',
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 14 },
        contributorInsightsSpecification: { enabled: true, mode: ContributorInsightsMode.ACCESSED_AND_THROTTLED_KEYS },
      }),
    }),
  },
  'replica PITR and contributor insights shorthand under table shorthand': {
    props: () => ({
      partitionKey: PK,
      globalSecondaryIndexes: [gsi('byA')],
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      pointInTimeRecovery: true,
      contributorInsights: true,
      ...onDemandReplicas({ region: 'eu-west-1', pointInTimeRecovery: false, contributorInsights: false }),
    }),
  },
  'replica with its own Kinesis stream, resource policy and stream resource policy': {
    props: (scope) => ({
      partitionKey: PK,
      resourcePolicy: policy(),
      streamResourcePolicy: policy(),
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      ...onDemandReplicas({
        region: 'eu-west-1',
        kinesisStream: kinesis.Stream.fromStreamArn(scope, 'EuStream', 'arn:aws:kinesis:eu-west-1:123456789012:stream/eu'),
        resourcePolicy: policy(),
        streamResourcePolicy: policy(),
      }),
    }),
  },
  'replica on-demand maximum and replica index options': {
    props: () => ({
      partitionKey: PK,
      globalSecondaryIndexes: [gsi('byA'), gsi('byB')],
      ...onDemandReplicas({
        region: 'eu-west-1',
        maxReadRequestUnits: 300,
        globalSecondaryIndexOptions: {
          byA: { maxReadRequestUnits: 50, contributorInsightsSpecification: { enabled: true } } as ReplicaGlobalSecondaryIndexOptions,
        },
      }),
    }),
  },
  'replica index contributor insights shorthand under table shorthand': {
    props: () => ({
      partitionKey: PK,
      globalSecondaryIndexes: [gsi('byA')],
      contributorInsights: false,
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      ...onDemandReplicas({ region: 'eu-west-1', globalSecondaryIndexOptions: { byA: { contributorInsights: true } } }),
    }),
  },
  'provisioned replicas with auto scaling per replica and per replica index': {
    props: () => ({
      partitionKey: PK,
      billing: provisioned(),
      globalSecondaryIndexes: [gsi('byA', { readCapacity: Capacity.autoscaled({ maxCapacity: 15 }) })],
      ...onDemandReplicas({
        region: 'eu-west-1',
        readCapacity: Capacity.autoscaled({ maxCapacity: 40 }),
        globalSecondaryIndexOptions: { byA: { readCapacity: Capacity.autoscaled({ maxCapacity: 25 }) } },
      }),
    }),
  },
  'replicas with settings replication': {
    props: () => ({
      partitionKey: PK,
      globalTableSettingsReplicationMode: GlobalTableSettingsReplicationMode.ALL,
      ...onDemandReplicas({ region: 'eu-west-1' }),
    }),
  },
  'replicas with the stream view type given': {
    props: () => ({ partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES, ...onDemandReplicas({ region: 'eu-west-1' }) }),
  },
  'multi-region strong consistency with a witness': {
    props: () => ({
      partitionKey: PK,
      multiRegionConsistency: MultiRegionConsistency.STRONG,
      witnessRegion: 'us-west-2',
      ...onDemandReplicas({ region: 'us-east-2' }),
    }),
  },
  'multi-region strong consistency with three replicas': {
    props: () => ({ partitionKey: PK, multiRegionConsistency: MultiRegionConsistency.STRONG, ...onDemandReplicas({ region: 'us-east-2' }, { region: 'us-west-2' }) }),
  },
  'multi-region eventual consistency, explicit': {
    props: () => ({ partitionKey: PK, multiRegionConsistency: MultiRegionConsistency.EVENTUAL, ...onDemandReplicas({ region: 'eu-west-1' }) }),
  },
  'indexes and a replica added after construction': {
    props: () => ({ partitionKey: PK, sortKey: SK, encryption: TableEncryptionV2.awsManagedKey() }),
    after: (table) => {
      table.addGlobalSecondaryIndex(gsi('late', { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: ['x'] }));
      table.addLocalSecondaryIndex(lsi('lateLocal', { projectionType: ProjectionType.ALL }));
      table.addReplica({ region: 'eu-west-1', deletionProtection: true });
    },
  },
  'everything at once': {
    props: (scope) => ({
      partitionKey: { name: 'tenant', type: S },
      sortKey: { name: 'at', type: N },
      tableName: 'everything',
      billing: provisioned(),
      globalSecondaryIndexes: [gsi('byA', { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: ['t'] }), gsi('byB', { sortKey: { name: 'bSK', type: B } })],
      localSecondaryIndexes: [lsi('byC')],
      timeToLiveAttribute: 'ttl',
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      tableClass: TableClass.STANDARD_INFREQUENT_ACCESS,
      kinesisStream: new kinesis.Stream(scope, 'Stream', { retentionPeriod: Duration.hours(24) }),
      tags: [{ key: 'a', value: 'b' }],
      resourcePolicy: policy(),
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: true,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      contributorInsightsSpecification: { enabled: true },
      encryption: TableEncryptionV2.customerManagedKey(new kms.Key(scope, 'Key'), { 'eu-west-1': KEYS_ARN('eu-west-1') }),
      replicas: [{ region: 'eu-west-1', tableClass: TableClass.STANDARD, readCapacity: Capacity.autoscaled({ maxCapacity: 9 }) }],
    }),
  },
};

const NAMES = Object.keys(CASES);
const caseId = (i: number) => `Case${String(i).padStart(2, '0')}`;

function build(kind: 'TableV2' | 'BlueprintTable'): Record<string, unknown> {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Differential', { env: TEST_ENV });
  NAMES.forEach((name, i) => {
    const scope = new Construct(stack, caseId(i));
    const given = CASES[name].props(scope);
    const props: TablePropsV2 = {
      ...OPINIONS_AT_TABLEV2_VALUES,
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      ...(given.pointInTimeRecovery !== undefined ? { pointInTimeRecoverySpecification: undefined } : {}),
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      ...(given.contributorInsights !== undefined ? { contributorInsightsSpecification: undefined } : {}),
      ...given,
    };
    const table = kind === 'TableV2' ? new TableV2(scope, 'Table', props) : new BlueprintTable(scope, 'Table', props);
    CASES[name].after?.(table, scope);
  });
  return Template.fromStack(stack).toJSON().Resources;
}

function resourcesOf(resources: Record<string, unknown>, i: number): Record<string, unknown> {
  return Object.fromEntries(Object.entries(resources).filter(([logicalId]) => logicalId.startsWith(caseId(i))));
}

describe('BlueprintTable renders what TableV2 renders', () => {
  let tableV2: Record<string, unknown>;
  let blueprint: Record<string, unknown>;
  beforeAll(() => {
    tableV2 = build('TableV2');
    blueprint = build('BlueprintTable');
  });

  test('the matrix has at least 40 cases', () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(40);
  });

  test.each(NAMES.map((name, i) => [name, i] as const))('%s', (_name, i) => {
    const expected = resourcesOf(tableV2, i);
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(resourcesOf(blueprint, i)).toEqual(expected);
  });
});

describe('in a region-agnostic stack (cdk init app)', () => {
  test('BlueprintTable renders what TableV2 renders, for every encryption TableV2 can render there', () => {
    const render = (kind: 'TableV2' | 'BlueprintTable') => {
      const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S');
      const props = (encryption: TableEncryptionV2): TablePropsV2 => ({
        ...OPINIONS_AT_TABLEV2_VALUES,
        encryption,
        partitionKey: PK,
        sortKey: SK,
        globalSecondaryIndexes: [gsi('byA')],
        dynamoStream: StreamViewType.NEW_IMAGE,
        timeToLiveAttribute: 'ttl',
      });
      [TableEncryptionV2.dynamoOwnedKey(), TableEncryptionV2.awsManagedKey()].forEach((encryption, i) => {
        const Table = kind === 'TableV2' ? TableV2 : BlueprintTable;
        new Table(stack, `Table${i}`, props(encryption));
      });
      return Template.fromStack(stack).toJSON().Resources;
    };
    const expected = render('TableV2');
    expect(Object.keys(expected)).toHaveLength(2);
    expect(render('BlueprintTable')).toEqual(expected);
  });
});

describe('where an opinion refuses or changes a TableV2 input, the test says so', () => {
  function synthBoth(props: (scope: Construct) => TablePropsV2) {
    const results = (['TableV2', 'BlueprintTable'] as const).map((kind) => {
      const app = new App({ builtinCloudFormationValidation: false });
      const stack = new Stack(app, 'S', { env: TEST_ENV });
      const p = { ...OPINIONS_AT_TABLEV2_VALUES, ...props(stack) };
      if (kind === 'TableV2') {
        new TableV2(stack, 'Table', p);
      } else {
        new BlueprintTable(stack, 'Table', p);
      }
      return () => Template.fromStack(stack).toJSON();
    });
    return { tableV2: results[0], blueprint: results[1] };
  }
  const replica = (t: any, region: string) => Object.values(t.Resources as Record<string, any>)
    .find((r) => r.Type === 'AWS::DynamoDB::GlobalTable').Properties.Replicas.find((r: any) => r.Region === region);

  test('fixed provisioned read capacity: TableV2 renders it, BlueprintTable refuses it at synth', () => {
    const { tableV2, blueprint } = synthBoth(() => ({
      partitionKey: PK,
      billing: Billing.provisioned({ readCapacity: Capacity.fixed(5), writeCapacity: AUTOSCALED() }),
    }));
    expect(replica(tableV2(), 'us-east-1').ReadProvisionedThroughputSettings).toEqual({ ReadCapacityUnits: 5 });
    expect(blueprint).toThrow(/`billing` sets `readCapacity` to `Capacity.fixed\(5\)`/);
  });

  test('an index without projectionType: TableV2 projects ALL, BlueprintTable asks for the attributes', () => {
    const { tableV2, blueprint } = synthBoth(() => ({ partitionKey: PK, globalSecondaryIndexes: [{ indexName: 'byA', partitionKey: { name: 'A', type: S } }] }));
    const gsis = (Object.values(tableV2().Resources as Record<string, any>)[0]).Properties.GlobalSecondaryIndexes;
    expect(gsis[0].Projection).toEqual({ ProjectionType: 'ALL' });
    expect(blueprint).toThrow(/projects INCLUDE \(the default\) but names no attributes/);
  });

  test('a replica\'s PITR shorthand under a table-level specification: TableV2 ignores it, BlueprintTable honours it', () => {
    const { tableV2, blueprint } = synthBoth(() => ({
      partitionKey: PK,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      ...onDemandReplicas({ region: 'eu-west-1', pointInTimeRecovery: false }),
    }));
    expect(replica(tableV2(), 'eu-west-1').PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 });
    expect(replica(blueprint(), 'eu-west-1').PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: false });
  });

  test('a replica\'s contributor insights shorthand under a table-level specification: TableV2 fails, BlueprintTable renders it', () => {
    const { tableV2, blueprint } = synthBoth(() => ({
      partitionKey: PK,
      globalSecondaryIndexes: [gsi('byA')],
      contributorInsightsSpecification: { enabled: true },
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      ...onDemandReplicas({ region: 'eu-west-1', contributorInsights: false, globalSecondaryIndexOptions: { byA: { contributorInsights: false } } }),
    }));
    expect(tableV2).toThrow(/`contributorInsightsSpecification` and `contributorInsights` are set/);
    const eu = replica(blueprint(), 'eu-west-1');
    expect(eu.ContributorInsightsSpecification).toEqual({ Enabled: false });
    expect(eu.GlobalSecondaryIndexes).toEqual([{ IndexName: 'byA', ContributorInsightsSpecification: { Enabled: false } }]);
    expect(replica(blueprint(), 'us-east-1').ContributorInsightsSpecification).toEqual({ Enabled: true });
  });
});

/** The prop names of an interface in aws-cdk-lib's declaration file, with those of the interfaces it extends there. */
function declaredProps(file: string, name: string): string[] {
  const source = fs.readFileSync(path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'aws-dynamodb', 'lib', file), 'utf8');
  const match = new RegExp(`export interface ${name}(?: extends ([\\w, ]+))? \\{([\\s\\S]*?)\\n\\}`).exec(source);
  if (!match) {
    throw new Error(`interface ${name} not found in aws-dynamodb/lib/${file}`);
  }
  const own = [...match[2].matchAll(/^ {4}readonly (\w+)\??:/gm)].map((m) => m[1]);
  const bases = (match[1] ?? '').split(',').map((b) => b.trim()).filter((b) => b && !b.startsWith('I'));
  const inherited = bases.flatMap((base) => declaredProps(base === 'SecondaryIndexProps' ? 'shared.d.ts' : file, base));
  return [...new Set([...own, ...inherited])].sort();
}

describe('the matrix covers every prop of the pinned aws-cdk-lib', () => {
  // One synth-free pass over the cases, collecting which props they set.
  const used = {
    table: new Set<string>(), replica: new Set<string>(), gsi: new Set<string>(), lsi: new Set<string>(), replicaIndex: new Set<string>(),
  };
  const stack = new Stack(new App(), 'Collect', { env: TEST_ENV });
  NAMES.forEach((name, i) => {
    const props = CASES[name].props(new Construct(stack, caseId(i)));
    Object.keys({ ...OPINIONS_AT_TABLEV2_VALUES, ...props }).forEach((k) => used.table.add(k));
    for (const r of props.replicas ?? []) {
      Object.keys(r).forEach((k) => used.replica.add(k));
      Object.values(r.globalSecondaryIndexOptions ?? {}).forEach((o) => Object.keys(o).forEach((k) => used.replicaIndex.add(k)));
    }
    (props.globalSecondaryIndexes ?? []).forEach((g) => Object.keys(g).forEach((k) => used.gsi.add(k)));
    (props.localSecondaryIndexes ?? []).forEach((l) => Object.keys(l).forEach((k) => used.lsi.add(k)));
  });

  test.each([
    ['TablePropsV2', 'table-v2.d.ts', used.table],
    ['ReplicaTableProps', 'table-v2.d.ts', used.replica],
    ['GlobalSecondaryIndexPropsV2', 'table-v2.d.ts', used.gsi],
    ['LocalSecondaryIndexProps', 'shared.d.ts', used.lsi],
    ['ReplicaGlobalSecondaryIndexOptions', 'table-v2.d.ts', used.replicaIndex],
  ] as const)('%s: a prop aws-cdk-lib adds fails this test until a case covers it', (name, file, set) => {
    const declared = declaredProps(file, name);
    expect(declared.length).toBeGreaterThan(3);
    expect(declared.filter((p) => !set.has(p))).toEqual([]);
  });

  test('BlueprintTableProps extends TablePropsV2 and re-declares none of its props', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'table', 'blueprint-table.ts'), 'utf8');
    const match = /export interface BlueprintTableProps extends (\w+) \{([\s\S]*?)\n\}/.exec(source);
    expect(match?.[1]).toBe('TablePropsV2');
    const own = [...match![2].matchAll(/^ {2}readonly (\w+)\??:/gm)].map((m) => m[1]);
    expect(own.length).toBeGreaterThan(0);
    expect(own.filter((p) => declaredProps('table-v2.d.ts', 'TablePropsV2').includes(p))).toEqual([]);
  });
});

/**
 * BlueprintMultiAccountReplica against TableV2MultiAccountReplica, the same way: every case spells
 * TableV2MultiAccountReplica's unset opinions out on both sides (`REPLICA_OPINIONS_AT_BASE_VALUES`).
 * The source is in account 111111111111 / us-east-1, the replicas in 222222222222 / eu-west-1.
 */
const REPLICA_OPINIONS_AT_BASE_VALUES = {
  encryption: TableEncryptionV2.dynamoOwnedKey(),
  deletionProtection: false,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
  contributorInsightsSpecification: { enabled: false },
};
const SOURCE_TABLE_ARN = 'arn:aws:dynamodb:us-east-1:111111111111:table/orders';

interface ReplicaCase {
  readonly props: (scope: Construct, sourceStack: Stack) => TableV2MultiAccountReplicaProps;
}

const imported = (scope: Construct) => TableV2.fromTableArn(scope, 'Source', SOURCE_TABLE_ARN);
const REPLICA_CASES: Record<string, ReplicaCase> = {
  'an imported source alone': { props: (s) => ({ replicaSourceTable: imported(s) }) },
  'a source TableV2 of the same app (its resource policy gains the association)': {
    props: (s, sourceStack) => ({ replicaSourceTable: new TableV2(sourceStack, `${s.node.id}Source`, { partitionKey: PK }) }),
  },
  'its own name: the source\'s': { props: (s) => ({ replicaSourceTable: imported(s), tableName: 'orders' }) },
  'all protections on': {
    props: (s) => ({
      replicaSourceTable: imported(s),
      deletionProtection: true,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 7 },
      contributorInsightsSpecification: { enabled: true, mode: ContributorInsightsMode.THROTTLED_KEYS },
    }),
  },
  'a customer-managed key given': {
    props: (s) => ({ replicaSourceTable: imported(s), encryption: TableEncryptionV2.customerManagedKey(new kms.Key(s, 'GivenKey')) }),
  },
  'an AWS managed key': { props: (s) => ({ replicaSourceTable: imported(s), encryption: TableEncryptionV2.awsManagedKey() }) },
  'table class, tags, a Kinesis stream': {
    props: (s) => ({
      replicaSourceTable: imported(s),
      tableClass: TableClass.STANDARD_INFREQUENT_ACCESS,
      tags: [{ key: 'team', value: 'orders' }],
      kinesisStream: new kinesis.Stream(s, 'Changes'),
    }),
  },
  'resource policies of the table and its stream': {
    props: (s) => ({ replicaSourceTable: imported(s), resourcePolicy: policy(), streamResourcePolicy: policy() }),
  },
  'settings replication mode and index permissions': {
    props: (s) => ({
      replicaSourceTable: imported(s),
      globalTableSettingsReplicationMode: GlobalTableSettingsReplicationMode.ALL,
      grantIndexPermissions: true,
    }),
  },
  'removal policy DESTROY': { props: (s) => ({ replicaSourceTable: imported(s), removalPolicy: RemovalPolicy.DESTROY }) },
};
const REPLICA_NAMES = Object.keys(REPLICA_CASES);

function buildReplicas(kind: 'TableV2MultiAccountReplica' | 'BlueprintMultiAccountReplica'): { replicas: Record<string, unknown>; sources: Record<string, unknown> } {
  const app = new App({ builtinCloudFormationValidation: false });
  const sourceStack = new Stack(app, 'Source', { env: { account: '111111111111', region: 'us-east-1' } });
  const stack = new Stack(app, 'Replicas', { env: { account: '222222222222', region: 'eu-west-1' } });
  REPLICA_NAMES.forEach((name, i) => {
    const scope = new Construct(stack, caseId(i));
    const props: TableV2MultiAccountReplicaProps = { ...REPLICA_OPINIONS_AT_BASE_VALUES, ...REPLICA_CASES[name].props(scope, sourceStack) };
    const replica = kind === 'TableV2MultiAccountReplica'
      ? new TableV2MultiAccountReplica(scope, 'Replica', props)
      : new BlueprintMultiAccountReplica(scope, 'Replica', props);
    replica.grants.readData(new iam.Role(scope, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
  });
  return { replicas: Template.fromStack(stack).toJSON().Resources, sources: Template.fromStack(sourceStack).toJSON().Resources };
}

describe('BlueprintMultiAccountReplica renders what TableV2MultiAccountReplica renders', () => {
  let base: ReturnType<typeof buildReplicas>;
  let blueprint: ReturnType<typeof buildReplicas>;
  beforeAll(() => {
    base = buildReplicas('TableV2MultiAccountReplica');
    blueprint = buildReplicas('BlueprintMultiAccountReplica');
  });

  test.each(REPLICA_NAMES.map((name, i) => [name, i] as const))('%s', (_name, i) => {
    const expected = resourcesOf(base.replicas, i);
    expect(Object.keys(expected).length).toBeGreaterThan(1);
    expect(resourcesOf(blueprint.replicas, i)).toEqual(expected);
  });

  test('the source stack is the same on both sides', () => {
    expect(Object.keys(base.sources).length).toBeGreaterThan(0);
    expect(blueprint.sources).toEqual(base.sources);
  });

  test('the key it creates gets the statement TableV2MultiAccountReplica adds to a given key, with a Sid', () => {
    const keyStatements = (kind: 'TableV2MultiAccountReplica' | 'BlueprintMultiAccountReplica') => {
      const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'R', { env: { account: '222222222222', region: 'eu-west-1' } });
      if (kind === 'TableV2MultiAccountReplica') {
        new TableV2MultiAccountReplica(stack, 'Replica', { replicaSourceTable: imported(stack), encryption: TableEncryptionV2.customerManagedKey(new kms.Key(stack, 'Key')) });
      } else {
        new BlueprintMultiAccountReplica(stack, 'Replica', { replicaSourceTable: imported(stack) });
      }
      const [key] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key')) as any[];
      return key.Properties.KeyPolicy.Statement.filter((st: any) => st.Principal?.Service === 'replication.dynamodb.amazonaws.com');
    };
    const theirs = keyStatements('TableV2MultiAccountReplica');
    expect(theirs).toHaveLength(1);
    const ours = keyStatements('BlueprintMultiAccountReplica');
    expect(ours).toEqual([{ ...theirs[0], Sid: 'DynamoDBReplicationUsesKey' }]);
  });

  test('the PITR and contributor insights shorthands: TableV2MultiAccountReplica ignores them, BlueprintMultiAccountReplica honours them', () => {
    const render = (kind: 'TableV2MultiAccountReplica' | 'BlueprintMultiAccountReplica') => {
      const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'R', { env: { account: '222222222222', region: 'eu-west-1' } });
      const props: TableV2MultiAccountReplicaProps = {
        ...REPLICA_OPINIONS_AT_BASE_VALUES,
        pointInTimeRecoverySpecification: undefined,
        contributorInsightsSpecification: undefined,
        replicaSourceTable: imported(stack),
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        pointInTimeRecovery: true,
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        contributorInsights: true,
      };
      if (kind === 'TableV2MultiAccountReplica') {
        new TableV2MultiAccountReplica(stack, 'Replica', props);
      } else {
        new BlueprintMultiAccountReplica(stack, 'Replica', props);
      }
      return (Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable'))[0] as any).Properties.Replicas[0];
    };
    const theirs = render('TableV2MultiAccountReplica');
    expect(theirs.PointInTimeRecoverySpecification).toBeUndefined();
    expect(theirs.ContributorInsightsSpecification).toBeUndefined();
    const ours = render('BlueprintMultiAccountReplica');
    expect(ours.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(ours.ContributorInsightsSpecification).toEqual({ Enabled: true });
  });

  test('TableV2MultiAccountReplicaProps: a prop aws-cdk-lib adds fails this test until a case covers it', () => {
    const used = new Set<string>(['pointInTimeRecovery', 'contributorInsights']); // the shorthands test above
    const stack = new Stack(new App(), 'Collect', { env: { account: '222222222222', region: 'eu-west-1' } });
    const sourceStack = new Stack(stack.node.root as App, 'CollectSource', { env: { account: '111111111111', region: 'us-east-1' } });
    REPLICA_NAMES.forEach((name, i) => {
      const props = REPLICA_CASES[name].props(new Construct(stack, caseId(i)), sourceStack);
      Object.keys({ ...REPLICA_OPINIONS_AT_BASE_VALUES, ...props }).forEach((k) => used.add(k));
    });
    const declared = declaredProps('table-v2.d.ts', 'TableV2MultiAccountReplicaProps');
    expect(declared.length).toBeGreaterThan(10);
    expect(declared.filter((p) => !used.has(p))).toEqual([]);
  });

  test('BlueprintMultiAccountReplicaProps extends TableV2MultiAccountReplicaProps and re-declares none of its props', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'table', 'blueprint-multi-account-replica.ts'), 'utf8');
    expect(/export interface BlueprintMultiAccountReplicaProps extends (\w+) \{\}/.exec(source)?.[1]).toBe('TableV2MultiAccountReplicaProps');
  });
});
