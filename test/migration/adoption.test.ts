import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { blueprint, v1 } from './adoption-apps';
import { synth } from './helpers';
import {
  AdoptionDeploymentKind,
  BlueprintTable,
  ImportDifferenceEffect,
  MigrationCheck,
  MigrationFindingKind,
  TableAdoption,
} from '../../src';
import { adoptionTemplates } from '../../src/migration/adoption';
import { checkImport } from '../../src/migration/adoption-templates';

const S = AttributeType.STRING;

function only(adoptions: TableAdoption[] | undefined): TableAdoption {
  expect(adoptions).toHaveLength(1);
  return adoptions![0];
}

describe('a v1 Table moved to a BlueprintTable with the same name', () => {
  const before = synth(v1);
  const after = synth(blueprint('Orders'));
  const report = MigrationCheck.compareTemplates(before, after);
  const adoption = only(report.adoptions);
  const tableId = Object.keys(after.Resources).find((id) => after.Resources[id].Type === 'AWS::DynamoDB::GlobalTable')!;

  test('the direct deployment is refused, and the answer is a plan of four deployments whose templates all pass their checks', () => {
    expect(report.safe).toBe(false);
    expect(report.findings.map((f) => f.kind)).toContain(MigrationFindingKind.RESOURCE_TYPE_CHANGED);
    expect(report.findings.find((f) => f.kind === MigrationFindingKind.RESOURCE_TYPE_CHANGED)!.fix).toContain('cdk import');
    expect(adoption.deployments.map((d) => d.kind)).toEqual([
      AdoptionDeploymentKind.UPDATE, AdoptionDeploymentKind.UPDATE, AdoptionDeploymentKind.IMPORT, AdoptionDeploymentKind.UPDATE,
    ]);
    expect(adoption.deployments.map((d) => d.problems)).toEqual([[], [], [], []]);
    expect(report.plan.map((d) => d.steps.map((s) => s.table))).toEqual([[tableId], [tableId], [tableId], [tableId]]);
  });

  test('the resource mapping names the BlueprintTable\'s logical id with the table\'s name', () => {
    expect(adoption.toLogicalId).toBe(tableId);
    expect(JSON.parse(adoption.resourceMapping)).toEqual({ [tableId]: { TableName: 'orders' } });
  });

  test('deployment 1 retains and protects the Table and changes nothing else', () => {
    const [deployed, protectedTemplate] = [before, adoptionTemplates(adoption)[0]];
    const table = protectedTemplate.Resources[adoption.fromLogicalId];
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    const others = (t: any) => Object.keys(t.Resources).filter((id) => id !== adoption.fromLogicalId).map((id) => JSON.stringify(t.Resources[id]));
    expect(others(protectedTemplate)).toEqual(others(deployed));
  });

  test('deployment 2 removes the table and names it literally in the policy, the stream consumer and the output', () => {
    const removed = adoptionTemplates(adoption)[1];
    expect(removed.Resources[adoption.fromLogicalId]).toBeUndefined();
    expect(adoption.references.map((r) => `${r.sourceType} ${r.attribute}`).sort()).toEqual([
      'AWS::IAM::Policy Arn',
      'AWS::Lambda::EventSourceMapping StreamArn',
      'Output Ref',
    ]);
    expect(removed.Outputs.OrdersTableName.Value).toBe('orders');
    expect(JSON.stringify(removed)).not.toContain(adoption.fromLogicalId);
    expect(JSON.stringify(removed)).toContain('table/orders');
    expect(adoption.deployments[1].actions.join('\n')).toContain('describe-table --table-name orders --query Table.LatestStreamArn');
  });

  test('deployment 3 imports a GlobalTable that describes the live table: its keys, indexes, stream, TTL and key', () => {
    const [removed, imported] = adoptionTemplates(adoption).slice(1, 3);
    expect(checkImport(removed, imported, [tableId])).toEqual([]);
    const resource = imported.Resources[tableId];
    const live = before.Resources[adoption.fromLogicalId].Properties;
    expect(resource.Type).toBe('AWS::DynamoDB::GlobalTable');
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    expect(resource.Properties.KeySchema).toEqual(live.KeySchema);
    expect(resource.Properties.LocalSecondaryIndexes).toEqual(live.LocalSecondaryIndexes);
    expect(resource.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(resource.Properties.BillingMode).toBe('PROVISIONED');
    expect(resource.Properties.Replicas[0].ReadProvisionedThroughputSettings).toEqual({ ReadCapacityUnits: 5 });
    expect(resource.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(resource.Properties.Replicas[0].SSESpecification.KMSMasterKeyId).toEqual(live.SSESpecification.KMSMasterKeyId);
  });

  test('the opinions the import could not apply go to the last deployment: billing, PITR, contributor insights', () => {
    const drifts = adoption.importDifferences.filter((d) => d.effect === ImportDifferenceEffect.DRIFTS).map((d) => `${d.setting}: ${d.live} -> ${d.template}`);
    // Table's default is provisioned with 5 fixed read and write units; BlueprintTable's is on-demand.
    expect(drifts).toEqual([
      'billing: PROVISIONED -> PAY_PER_REQUEST',
      'write capacity: 5 provisioned write units, not auto scaled -> a GlobalTable auto scales provisioned writes',
      'point-in-time recovery: off -> on, 35 days',
      'contributor insights: off -> on',
    ]);
    expect(adoption.importDifferences.filter((d) => d.effect === ImportDifferenceEffect.BLOCKS)).toEqual([]);
    expect(adoption.deployments[3].actions).toEqual(expect.arrayContaining([
      'point-in-time recovery: off -> on, 35 days',
      'contributor insights: off -> on',
    ]));
    expect(adoptionTemplates(adoption)[3]).toBe(after);
  });

  test('the text report shows the adoption, its checks and the mapping', () => {
    const text = MigrationCheck.formatReport(report);
    expect(text).toContain(`Adoption of orders (template): Table ${adoption.fromLogicalId} -> GlobalTable ${tableId}, in 4 deployments.`);
    expect(text).toContain('Deployment 3 (IMPORT)');
    expect(text).toContain(`"${tableId}": {`);
    expect(text.match(/check: passes/g)).toHaveLength(4);
  });
});

describe('adoption variants', () => {
  test('a BlueprintTable under a new construct id adopts the table too (the renamed table is the same live table)', () => {
    const report = MigrationCheck.compareTemplates(synth(v1), synth(blueprint('OrdersV2')));
    expect(report.findings.map((f) => f.kind)).toContain(MigrationFindingKind.TABLE_RENAMED);
    const adoption = only(report.adoptions);
    expect(adoption.toLogicalId).toMatch(/^OrdersV2/);
    expect(adoption.deployments.map((d) => d.problems)).toEqual([[], [], [], []]);
  });

  test('a table already retained and protected skips deployment 1', () => {
    const protectedV1 = synth(v1);
    const table = Object.values<any>(protectedV1.Resources).find((r) => r.Type === 'AWS::DynamoDB::Table');
    table.Properties.DeletionProtectionEnabled = true;
    const adoption = only(MigrationCheck.compareTemplates(protectedV1, synth(blueprint('Orders'))).adoptions);
    const { UPDATE, IMPORT } = AdoptionDeploymentKind;
    expect(adoption.deployments.map((d) => d.kind)).toEqual([UPDATE, IMPORT, UPDATE]);
    expect(adoption.importDifferences.map((d) => d.setting)).not.toContain('deletion protection');
  });

  test('a local secondary index that differs from the live one blocks: the last deployment would replace the table', () => {
    const adoption = only(MigrationCheck.compareTemplates(synth(v1), synth(blueprint('Orders', { lsiSortKey: 'placedAt' }))).adoptions);
    const blocking = adoption.importDifferences.filter((d) => d.effect === ImportDifferenceEffect.BLOCKS);
    expect(blocking.map((d) => d.setting)).toEqual(['local secondary indexes']);
    expect(adoption.deployments[2].problems.join('\n')).toContain('local secondary indexes: the live table has byTotal (PK + total, ALL)');
    expect(adoption.deployments[3].problems.join('\n')).toContain('LOCAL_INDEXES_CHANGED');
  });

  test('a generated table name is not adopted: the import needs the live name in the template', () => {
    const unnamed = (stack: Stack) => new Table(stack, 'Orders', { partitionKey: { name: 'PK', type: S }, removalPolicy: RemovalPolicy.RETAIN });
    const report = MigrationCheck.compareTemplates(synth(unnamed), synth((s) => new BlueprintTable(s, 'Orders', { partitionKey: { name: 'PK', type: S } })));
    expect(report.adoptions).toBeUndefined();
    expect(report.findings.map((f) => f.kind)).toContain(MigrationFindingKind.RESOURCE_TYPE_CHANGED);
  });
});

describe('the checks of an import change set', () => {
  const previous = { Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'r' } } }, Outputs: { Name: { Value: 'orders' } } };
  const table = { Type: 'AWS::DynamoDB::GlobalTable', DeletionPolicy: 'Retain', Properties: { TableName: 'orders' } };

  test('passes when only the table is added, with a deletion policy and a literal name', () => {
    expect(checkImport(previous, { ...previous, Resources: { ...previous.Resources, Orders: table } }, ['Orders'])).toEqual([]);
  });

  test('fails on a missing deletion policy, another resource added, one changed, one removed, and an output changed', () => {
    const { DeletionPolicy: _, ...unprotected } = table;
    expect(checkImport(previous, { Resources: { Orders: unprotected, Queue: { Type: 'AWS::SQS::Queue' } }, Outputs: {} }, ['Orders'])).toEqual([
      'Orders has no DeletionPolicy: CloudFormation requires one on every imported resource (set `removalPolicy: RemovalPolicy.RETAIN`).',
      'Queue (AWS::SQS::Queue) is added: an import change set creates nothing; deploy it before or after the import.',
      'Role (AWS::IAM::Role) is removed: an import change set deletes nothing; remove it in another deployment.',
      'The outputs change: an import change set cannot change outputs; change them in the next deployment.',
    ]);
    const changed = { Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'other' } }, Orders: { ...table, Properties: { TableName: { Ref: 'Name' } } } }, Outputs: previous.Outputs };
    expect(checkImport(previous, changed, ['Orders'])).toEqual([
      'Orders has no literal TableName ({"Ref":"Name"}): the import identifies the table by it; set `tableName` to the live table\'s name.',
      'Role (AWS::IAM::Role) changes: an import change set updates nothing else; keep it as deployed (a reference to the imported table stays a literal until the next deployment).',
    ]);
  });

  test('projection type of the v1 default is ALL, which the import keeps', () => {
    const imported = adoptionTemplates(only(MigrationCheck.compareTemplates(synth(v1), synth(blueprint('Orders'))).adoptions))[2];
    const gt = Object.values<any>(imported.Resources).find((r) => r.Type === 'AWS::DynamoDB::GlobalTable');
    expect(gt.Properties.GlobalSecondaryIndexes[0].Projection).toEqual({ ProjectionType: ProjectionType.ALL });
  });
});
