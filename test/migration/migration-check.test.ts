import { CfnResource, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  BillingMode,
  Capacity,
  ProjectionType,
  StreamViewType,
  Table,
  TableClass,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { kinds, migrate, orders, planLines, synth } from './helpers';
import { IndexProjection, MigrationCheck, MigrationFindingKind, MigrationSeverity } from '../../src';

const S = AttributeType.STRING;

function events(stack: Stack, props: Partial<ConstructorParameters<typeof TableV2>[2]> = {}): TableV2 {
  return new TableV2(stack, 'Events', { partitionKey: { name: 'id', type: S }, ...props });
}

function legacy(stack: Stack, props: Partial<ConstructorParameters<typeof Table>[2]> = {}): Table {
  return new Table(stack, 'Legacy', { partitionKey: { name: 'id', type: S }, ...props });
}

const byStatus = { indexName: 'byStatus', partitionKey: { name: 'status', type: S }, projection: IndexProjection.include(['total']) };
const byCity = { indexName: 'byCity', partitionKey: { name: 'city', type: S }, projection: IndexProjection.keysOnly() };
/** Provisioned billing, auto scaled up to `reads` and `writes` units. */
function provisioned(reads: number, writes: number): Billing {
  return Billing.provisioned({
    readCapacity: Capacity.autoscaled({ maxCapacity: reads }),
    writeCapacity: Capacity.autoscaled({ maxCapacity: writes }),
  });
}

const byDate = { indexName: 'byDate', partitionKey: { name: 'day', type: S }, sortKey: { name: 'at', type: AttributeType.NUMBER }, projection: IndexProjection.all() };

describe('table replacement', () => {
  test('a new sort key on a BlueprintTable replaces it; Retain keeps the old table out of the stack', () => {
    const report = migrate((s) => orders(s), (s) => orders(s, { sortKey: { name: 'createdAt', type: S } }));
    expect(kinds(report)).toEqual(['ERROR KEY_SCHEMA_CHANGED']);
    const finding = report.findings[0];
    expect(finding.table).toMatch(/^Orders[0-9A-F]{8}$/);
    expect(finding.change).toBe('primary key PK + SK -> PK + createdAt');
    expect(finding.why).toContain('UpdateReplacePolicy is Retain: the old table and its data stay but leave the stack');
    expect(report.safe).toBe(false);
  });

  test('a key attribute changing type replaces a Table; without Retain the data is deleted', () => {
    const report = migrate(
      (s) => legacy(s, { removalPolicy: RemovalPolicy.DESTROY }),
      (s) => legacy(s, { removalPolicy: RemovalPolicy.DESTROY, partitionKey: { name: 'id', type: AttributeType.NUMBER } }),
    );
    expect(kinds(report)).toEqual(['ERROR KEY_ATTRIBUTE_TYPE_CHANGED']);
    expect(report.findings[0].change).toBe('key attribute type id S -> N');
    expect(report.findings[0].why).toContain('CloudFormation deletes the old table and all its data');
  });

  test('a new table name replaces a TableV2', () => {
    const report = migrate((s) => events(s, { tableName: 'events-v1' }), (s) => events(s, { tableName: 'events-v2' }));
    expect(kinds(report)).toEqual(['ERROR TABLE_NAME_CHANGED']);
    expect(report.findings[0].change).toBe('table name "events-v1" -> "events-v2"');
    expect(report.findings[0].fix).toContain('Keep the deployed name (`tableName: "events-v1"`)');
  });

  test('naming a table that had a generated name replaces it', () => {
    const report = migrate((s) => legacy(s), (s) => legacy(s, { tableName: 'legacy' }));
    expect(kinds(report)).toEqual(['ERROR TABLE_NAME_CHANGED']);
    expect(report.findings[0].change).toBe('table name (generated) -> "legacy"');
    expect(report.findings[0].fix).toMatch(/^Leave `tableName` unset, as deployed;/);
  });

  test('a replacement of a table with a fixed name fails outright', () => {
    const report = migrate(
      (s) => events(s, { tableName: 'events' }),
      (s) => events(s, { tableName: 'events', sortKey: { name: 'at', type: S } }),
    );
    expect(kinds(report)).toEqual(['ERROR KEY_SCHEMA_CHANGED']);
    expect(report.findings[0].why).toContain('With the fixed name events, CloudFormation cannot create the replacement');
  });

  test('adding a local secondary index to a deployed Table replaces it', () => {
    const base = { sortKey: { name: 'sk', type: S } };
    const report = migrate(
      (s) => legacy(s, base),
      (s) => legacy(s, base).addLocalSecondaryIndex({ indexName: 'byTime', sortKey: { name: 'time', type: S }, projectionType: ProjectionType.KEYS_ONLY }),
    );
    expect(kinds(report)).toEqual(['ERROR LOCAL_INDEXES_CHANGED']);
    expect(report.findings[0].change).toBe('local secondary indexes: adds byTime (partition id (S), sort time (S), KEYS_ONLY)');
  });

  test('changing the projection of a BlueprintTable LSI replaces it, and skips the in-place rules', () => {
    const lsi = (projection: IndexProjection) => ({ indexName: 'byTotal', sortKey: { name: 'total', type: AttributeType.NUMBER }, projection });
    const report = migrate(
      (s) => orders(s, { blueprintLocalSecondaryIndexes: [lsi(IndexProjection.keysOnly())] }),
      (s) => orders(s, { blueprintLocalSecondaryIndexes: [lsi(IndexProjection.all())], blueprintGlobalSecondaryIndexes: [byStatus, byCity] }),
    );
    expect(kinds(report)).toEqual(['ERROR LOCAL_INDEXES_CHANGED']);
    expect(report.plan).toEqual([]);
  });

  test('moving a logical id from Table to TableV2 is rejected by CloudFormation', () => {
    const legacyId = synthLogicalId('Legacy');
    const report = migrate((s) => legacy(s), (s) => (events(s).node.defaultChild as CfnResource).overrideLogicalId(legacyId));
    expect(kinds(report)).toEqual(['ERROR RESOURCE_TYPE_CHANGED']);
    expect(report.findings[0].change).toBe('resource type AWS::DynamoDB::Table -> AWS::DynamoDB::GlobalTable under the same logical id');
    expect(report.findings[0].fix).toContain('cdk import');
  });
});

describe('tables leaving the template', () => {
  test('a TableV2 with RemovalPolicy.DESTROY removed is deleted: an error', () => {
    const report = migrate((s) => events(s, { removalPolicy: RemovalPolicy.DESTROY }), () => undefined);
    expect(kinds(report)).toEqual(['ERROR TABLE_REMOVED']);
    expect(report.findings[0].why).toBe('Its DeletionPolicy is Delete: CloudFormation deletes the table and all its data.');
  });

  test('a retained BlueprintTable removed stays but leaves the stack: a warning', () => {
    const report = migrate((s) => orders(s), () => undefined);
    expect(kinds(report)).toEqual(['WARNING TABLE_REMOVED']);
    expect(report.safe).toBe(true);
  });

  test('a table whose construct id changed is recognised as a new logical id for the same table', () => {
    const report = migrate((s) => legacy(s), (s) => new Table(s, 'LegacyRenamed', { partitionKey: { name: 'id', type: S } }));
    expect(kinds(report)).toEqual(['ERROR TABLE_RENAMED']);
    expect(report.findings[0].change).toMatch(/LegacyRenamed[0-9A-F]{8} \(generated name\) with the same keys/);
    expect(report.findings[0].fix).toMatch(/overrideLogicalId\('Legacy[0-9A-F]{8}'\)/);
  });
});

describe('global secondary indexes', () => {
  test('three new GSIs on a BlueprintTable fail in one update and take three deployments', () => {
    const report = migrate((s) => orders(s), (s) => orders(s, { blueprintGlobalSecondaryIndexes: [byStatus, byCity, byDate] }));
    expect(kinds(report)).toEqual(['ERROR TOO_MANY_GLOBAL_INDEX_CHANGES']);
    expect(report.findings[0].change).toBe('3 global secondary index creations or deletions in one update: creates byStatus, byCity, byDate');
    expect(planLines(report)).toEqual([
      '1: Orders create global secondary index byStatus',
      '2: Orders create global secondary index byCity',
      '3: Orders create global secondary index byDate',
    ]);
  });

  test('two GSIs deleted from a Table fail in one update', () => {
    const report = migrate(
      (s) => {
        const t = legacy(s);
        t.addGlobalSecondaryIndex({ indexName: 'byCity', partitionKey: { name: 'city', type: S } });
        t.addGlobalSecondaryIndex({ indexName: 'byDay', partitionKey: { name: 'day', type: S } });
      },
      (s) => legacy(s),
    );
    expect(kinds(report)).toEqual(['ERROR TOO_MANY_GLOBAL_INDEX_CHANGES']);
    expect(planLines(report)).toEqual([
      '1: Legacy delete global secondary index byCity',
      '2: Legacy delete global secondary index byDay',
    ]);
  });

  test('a projection change on a BlueprintTable GSI is a delete in one deployment and a create in the next', () => {
    const report = migrate(
      (s) => orders(s, { blueprintGlobalSecondaryIndexes: [byStatus] }),
      (s) => orders(s, { blueprintGlobalSecondaryIndexes: [{ ...byStatus, projection: IndexProjection.include(['total', 'city']) }] }),
    );
    expect(kinds(report)).toEqual(['ERROR GLOBAL_INDEX_REDEFINED']);
    expect(report.findings[0].change).toBe('global secondary index byStatus: partition status (S), sort -, INCLUDE [total] -> partition status (S), sort -, INCLUDE [city, total]');
    expect(planLines(report)).toEqual([
      '1: Orders delete global secondary index byStatus (its old definition)',
      '2: Orders create global secondary index byStatus with its new key schema and projection',
    ]);
  });

  test('a new sort key on a TableV2 GSI, plus a new GSI, takes three deployments', () => {
    const gsi = { indexName: 'byKind', partitionKey: { name: 'kind', type: S } };
    const report = migrate(
      (s) => events(s, { globalSecondaryIndexes: [gsi] }),
      (s) => events(s, { globalSecondaryIndexes: [{ ...gsi, sortKey: { name: 'at', type: S } }, { indexName: 'bySource', partitionKey: { name: 'source', type: S } }] }),
    );
    expect(kinds(report)).toEqual(['ERROR TOO_MANY_GLOBAL_INDEX_CHANGES', 'ERROR GLOBAL_INDEX_REDEFINED']);
    expect(planLines(report)).toEqual([
      '1: Events create global secondary index bySource',
      '2: Events delete global secondary index byKind (its old definition)',
      '3: Events create global secondary index byKind with its new key schema and projection',
    ]);
  });

  test('a GSI key attribute changing type is a redefinition of the index', () => {
    const report = migrate(
      (s) => events(s, { globalSecondaryIndexes: [{ indexName: 'byRank', partitionKey: { name: 'rank', type: S } }] }),
      (s) => events(s, { globalSecondaryIndexes: [{ indexName: 'byRank', partitionKey: { name: 'rank', type: AttributeType.NUMBER } }] }),
    );
    expect(kinds(report)).toEqual(['ERROR GLOBAL_INDEX_REDEFINED']);
    expect(report.findings[0].change).toBe('global secondary index byRank: partition rank (S), sort -, ALL -> partition rank (N), sort -, ALL');
  });
});

describe('streams, billing, replicas, encryption', () => {
  test('changing the stream view type of a Table fails in place and takes two deployments', () => {
    const report = migrate((s) => legacy(s, { stream: StreamViewType.NEW_IMAGE }), (s) => legacy(s, { stream: StreamViewType.NEW_AND_OLD_IMAGES }));
    expect(kinds(report)).toEqual(['ERROR STREAM_VIEW_TYPE_CHANGED']);
    expect(report.findings[0].change).toBe('stream view type NEW_IMAGE -> NEW_AND_OLD_IMAGES');
    expect(planLines(report)).toEqual(['1: Legacy remove the stream', '2: Legacy enable the stream with NEW_AND_OLD_IMAGES']);
  });

  test('switching a TableV2 from on-demand to provisioned is a warning about the 24-hour rule', () => {
    const report = migrate(
      (s) => events(s),
      (s) => events(s, { billing: provisioned(10, 10) }),
    );
    expect(kinds(report)).toEqual(['WARNING BILLING_MODE_SWITCHED']);
    expect(report.findings[0].change).toBe('billing mode PAY_PER_REQUEST -> PROVISIONED');
    expect(report.safe).toBe(true);
  });

  test('switching a Table from provisioned to on-demand is a warning too', () => {
    const report = migrate((s) => legacy(s), (s) => legacy(s, { billingMode: BillingMode.PAY_PER_REQUEST }));
    expect(kinds(report)).toEqual(['WARNING BILLING_MODE_SWITCHED']);
  });

  test('two replicas added to a BlueprintTable at once fail and take two deployments', () => {
    const encryption = TableEncryptionV2.awsManagedKey();
    const report = migrate(
      (s) => orders(s, { encryption }),
      (s) => orders(s, { encryption, replicas: [{ region: 'eu-west-1' }, { region: 'ap-south-1' }] }),
    );
    expect(kinds(report)).toEqual(['ERROR TOO_MANY_REPLICA_CHANGES']);
    expect(report.findings[0].change).toBe('2 replica changes in one update: adds eu-west-1, ap-south-1');
    expect(planLines(report)).toEqual(['1: Orders add the replica in eu-west-1', '2: Orders add the replica in ap-south-1']);
  });

  test('two replicas removed from a TableV2 at once fail', () => {
    const report = migrate(
      (s) => events(s, { replicas: [{ region: 'eu-west-1' }, { region: 'ap-south-1' }] }),
      (s) => events(s),
    );
    // TableV2 turns the stream on only for replicas, so the last replica takes the stream with it.
    expect(kinds(report)).toEqual(['WARNING STREAM_DISABLED', 'ERROR TOO_MANY_REPLICA_CHANGES']);
    expect(report.findings[1].change).toBe('2 replica changes in one update: removes eu-west-1, ap-south-1');
  });

  test('leaving the customer-managed key of a BlueprintTable is a warning', () => {
    const report = migrate((s) => orders(s), (s) => orders(s, { encryption: TableEncryptionV2.awsManagedKey() }));
    expect(kinds(report)).toEqual(['WARNING ENCRYPTION_KEY_CHANGED']);
    expect(report.findings[0].change).toMatch(/^encryption customer-managed key \{"Fn::GetAtt":\["OrdersKey[0-9A-F]{8}","Arn"\]\} -> AWS managed key$/);
    expect(report.findings[0].why).toContain('lose control over key policy');
  });
});

describe('protections turned off', () => {
  test('deletion protection off on a BlueprintTable', () => {
    const report = migrate((s) => orders(s), (s) => orders(s, { deletionProtection: false }));
    expect(kinds(report)).toEqual(['ERROR DELETION_PROTECTION_DISABLED']);
    expect(report.findings[0].change).toBe('deletion protection on -> off in us-east-1');
  });

  test('deletion protection off on a Table', () => {
    const report = migrate((s) => legacy(s, { deletionProtection: true }), (s) => legacy(s, { deletionProtection: false }));
    expect(kinds(report)).toEqual(['ERROR DELETION_PROTECTION_DISABLED']);
    expect(report.findings[0].change).toBe('deletion protection on -> off in (stack region)');
  });

  test('point-in-time recovery off on a BlueprintTable', () => {
    const report = migrate((s) => orders(s), (s) => orders(s, { pointInTimeRecovery: false }));
    expect(kinds(report)).toEqual(['ERROR POINT_IN_TIME_RECOVERY_DISABLED']);
  });

  test('point-in-time recovery off on one replica of a TableV2 names that region', () => {
    const pitr = { pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } };
    const report = migrate(
      (s) => events(s, { ...pitr, replicas: [{ region: 'eu-west-1' }] }),
      (s) => events(s, { ...pitr, replicas: [{ region: 'eu-west-1', pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false } }] }),
    );
    expect(kinds(report)).toEqual(['ERROR POINT_IN_TIME_RECOVERY_DISABLED']);
    expect(report.findings[0].change).toBe('point-in-time recovery on -> off in eu-west-1');
  });

  test('RemovalPolicy.DESTROY on a TableV2 drops the Retain policies', () => {
    const report = migrate((s) => events(s), (s) => events(s, { removalPolicy: RemovalPolicy.DESTROY }));
    expect(kinds(report)).toEqual(['ERROR RETAIN_POLICY_REMOVED']);
    expect(report.findings[0].change).toBe('DeletionPolicy Retain -> Delete, UpdateReplacePolicy Retain -> Delete');
  });
});

describe('safe changes', () => {
  test('adding one GSI to a BlueprintTable', () => {
    const report = migrate(
      (s) => orders(s, { blueprintGlobalSecondaryIndexes: [byStatus] }),
      (s) => orders(s, { blueprintGlobalSecondaryIndexes: [byStatus, byCity] }),
    );
    expect(report).toEqual({ safe: true, findings: [], plan: [], stacksCompared: 1, tablesCompared: 1 });
  });

  test('adding one GSI to a Table and one to a TableV2 in the same deployment', () => {
    const report = migrate(
      (s) => { legacy(s); events(s); },
      (s) => {
        legacy(s).addGlobalSecondaryIndex({ indexName: 'byCity', partitionKey: { name: 'city', type: S } });
        events(s, { globalSecondaryIndexes: [{ indexName: 'byKind', partitionKey: { name: 'kind', type: S } }] });
      },
    );
    expect(report).toEqual({ safe: true, findings: [], plan: [], stacksCompared: 1, tablesCompared: 2 });
  });

  test('changing non-key settings: table and GSI capacity, table class, contributor insights, a new stream', () => {
    const report = migrate(
      (s) => {
        events(s, { billing: provisioned(10, 10) });
        orders(s, { blueprintGlobalSecondaryIndexes: [byStatus] });
      },
      (s) => {
        events(s, {
          billing: provisioned(50, 40),
          tableClass: TableClass.STANDARD_INFREQUENT_ACCESS,
          dynamoStream: StreamViewType.NEW_IMAGE,
        });
        orders(s, { blueprintGlobalSecondaryIndexes: [byStatus], contributorInsights: false });
      },
    );
    expect(report.findings).toEqual([]);
    expect(report.tablesCompared).toBe(2);
  });

  test('adding TTL to a BlueprintTable and a Table', () => {
    const report = migrate(
      (s) => { orders(s); legacy(s); },
      (s) => { orders(s, { timeToLiveAttribute: 'expiresAt' }); legacy(s, { timeToLiveAttribute: 'expiresAt' }); },
    );
    expect(report.findings).toEqual([]);
  });

  test('adding tags', () => {
    const report = migrate(
      (s) => { orders(s); events(s); },
      (s) => { orders(s, { tags: [{ key: 'team', value: 'payments' }] }); events(s); Tags.of(s).add('cost-center', '42'); },
    );
    expect(report.findings).toEqual([]);
  });

  test('adding one replica and a new table', () => {
    const report = migrate((s) => events(s), (s) => { events(s, { replicas: [{ region: 'eu-west-1' }] }); legacy(s); });
    expect(report).toEqual({ safe: true, findings: [], plan: [], stacksCompared: 1, tablesCompared: 1 });
  });
});

describe('several tables and accepted findings', () => {
  test('plans several tables side by side: each deployment changes each table at most once', () => {
    const report = migrate(
      (s) => { orders(s); legacy(s, { stream: StreamViewType.KEYS_ONLY }); },
      (s) => { orders(s, { blueprintGlobalSecondaryIndexes: [byStatus, byCity, byDate] }); legacy(s, { stream: StreamViewType.NEW_IMAGE }); },
    );
    expect(report.plan.map((d) => d.steps.length)).toEqual([2, 2, 1]);
    expect(planLines(report)).toEqual([
      '1: Legacy remove the stream',
      '1: Orders create global secondary index byStatus',
      '2: Legacy enable the stream with NEW_IMAGE',
      '2: Orders create global secondary index byCity',
      '3: Orders create global secondary index byDate',
    ]);
  });

  test('accepted findings leave the report, by kind or by kind and table', () => {
    const before = (s: Stack) => { events(s); legacy(s); };
    const after = (s: Stack) => { events(s, { removalPolicy: RemovalPolicy.DESTROY }); legacy(s, { removalPolicy: RemovalPolicy.DESTROY }); };
    expect(kinds(migrate(before, after))).toEqual(['ERROR RETAIN_POLICY_REMOVED', 'ERROR RETAIN_POLICY_REMOVED']);
    const one = migrate(before, after, { accept: ['RETAIN_POLICY_REMOVED:' + synthLogicalId('Legacy')] });
    expect(one.findings.map((f) => f.table)).toEqual([synthLogicalId('Events')]);
    expect(migrate(before, after, { accept: ['RETAIN_POLICY_REMOVED'] })).toMatchObject({ safe: true, findings: [] });
  });

  test('fails with an unknown kind in `accept`', () => {
    const template = synth((s) => events(s));
    expect(() => MigrationCheck.compareTemplates(template, template, { accept: ['TABLE_DROPPED'] }))
      .toThrow("`accept` has 'TABLE_DROPPED': write KIND or KIND:LogicalId (or KIND:Stack/LogicalId), where KIND is one of KEY_SCHEMA_CHANGED,");
  });

  test('fails when a template is not a CloudFormation template', () => {
    expect(() => MigrationCheck.compareTemplates({ name: 'package' }, { Resources: {} }))
      .toThrow("`before` is 'the template passed in', which is not a CloudFormation template");
  });

  test('pins the finding kinds and severities, so none is added or dropped by accident', () => {
    expect(Object.values(MigrationFindingKind)).toEqual([
      'KEY_SCHEMA_CHANGED',
      'KEY_ATTRIBUTE_TYPE_CHANGED',
      'TABLE_NAME_CHANGED',
      'LOCAL_INDEXES_CHANGED',
      'IMPORT_SOURCE_CHANGED',
      'RESOURCE_TYPE_CHANGED',
      'TABLE_REMOVED',
      'TABLE_RENAMED',
      'TABLE_MOVED_BETWEEN_STACKS',
      'TOO_MANY_GLOBAL_INDEX_CHANGES',
      'GLOBAL_INDEX_REDEFINED',
      'STREAM_VIEW_TYPE_CHANGED',
      'STREAM_DISABLED',
      'BILLING_MODE_SWITCHED',
      'TIME_TO_LIVE_ATTRIBUTE_CHANGED',
      'WARM_THROUGHPUT_DECREASED',
      'TOO_MANY_REPLICA_CHANGES',
      'MULTI_REGION_CONSISTENCY_CHANGED',
      'WITNESS_CHANGED',
      'GLOBAL_TABLE_SOURCE_CHANGED',
      'DELETION_PROTECTION_DISABLED',
      'POINT_IN_TIME_RECOVERY_DISABLED',
      'ENCRYPTION_KEY_CHANGED',
      'RETAIN_POLICY_REMOVED',
      'CONDITIONAL_TABLE',
      'CANNOT_TELL',
    ]);
    expect(Object.values(MigrationSeverity)).toEqual(['ERROR', 'WARNING']);
  });
});

function synthLogicalId(constructId: string): string {
  const template = synth((s) => { events(s); legacy(s); });
  return Object.keys(template.Resources).find((id) => id.startsWith(constructId))!;
}
