import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { CfnPolicy, ManagedPolicy, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { findings, include, tableResource } from './util';
import { BlueprintTable, MultiTenantTable, TableAccess, TableOperation, TenantKey, TenantKeyLayout } from '../../src';
import { testStack } from '../util';

const PK = { name: 'tenantItem', type: AttributeType.STRING };

function role(stack: Stack, id = 'Role'): Role {
  return new Role(stack, id, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
}

describe('IAMNoDynamoDBScan (IAM1)', () => {
  test('Noncompliance 1: grantReadData includes dynamodb:Scan', () => {
    const stack = testStack();
    new BlueprintTable(stack, 'Orders', { partitionKey: PK }).grantReadData(role(stack));
    expect(findings(stack, 'IAM1')).toEqual(['DynamoDBBlueprint-IAM1[Action::dynamodb:Scan]']);
  });
  test('Noncompliance 2: grantFullAccess (dynamodb:*) on a Table', () => {
    const stack = testStack();
    new Table(stack, 'Orders', { partitionKey: PK }).grantFullAccess(role(stack));
    expect(findings(stack, 'IAM1')).toEqual(['DynamoDBBlueprint-IAM1[Action::dynamodb:*]']);
  });
  test('Noncompliance 3: an inline role policy allowing PartiQL on a literal table ARN, and a managed policy allowing Sc* on *', () => {
    const stack = testStack();
    new Role(stack, 'Inline', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        query: new PolicyDocument({ statements: [new PolicyStatement({ actions: ['dynamodb:PartiQLSelect'], resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/Orders'] })] }),
      },
    });
    new ManagedPolicy(stack, 'Managed', { statements: [new PolicyStatement({ actions: ['dynamodb:Sc*'], resources: ['*'] })] });
    expect(findings(stack, 'IAM1')).toEqual(['DynamoDBBlueprint-IAM1[Action::dynamodb:PartiQLSelect]', 'DynamoDBBlueprint-IAM1[Action::dynamodb:Sc*]']);
  });
  test('Compliance: Query and GetItem only, and Scan on something that is not DynamoDB', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Orders', { partitionKey: PK });
    table.grant(role(stack), 'dynamodb:Query', 'dynamodb:GetItem');
    new CfnPolicy(stack, 'Other', {
      policyName: 'other',
      roles: ['x'],
      policyDocument: { Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }, { Effect: 'Deny', Action: 'dynamodb:Scan', Resource: '*' }] },
    });
    expect(findings(stack, 'IAM1')).toEqual([]);
  });
});

describe('IAMMultiTenantLeadingKeys (IAM2)', () => {
  test('Noncompliance 1: grantReadWriteData on a multi-tenant BlueprintTable', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tenants', { partitionKey: PK });
    MultiTenantTable.declare(table);
    table.grantReadWriteData(role(stack));
    const logicalId = stack.resolve((table.node.defaultChild as CfnTable).logicalId);
    expect(findings(stack, 'IAM2')).toEqual([`DynamoDBBlueprint-IAM2[Table::${logicalId}]`]);
  });
  test('Noncompliance 2: a statement on * reaches the multi-tenant Table; the other table is not named', () => {
    const stack = testStack();
    const tenants = new Table(stack, 'Tenants', { partitionKey: PK });
    new Table(stack, 'Shared', { partitionKey: PK });
    MultiTenantTable.declare(tenants.node.defaultChild as CfnTable);
    role(stack).addToPolicy(new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: ['*'] }));
    expect(findings(stack, 'IAM2')).toEqual([`DynamoDBBlueprint-IAM2[Table::${stack.resolve((tenants.node.defaultChild as CfnTable).logicalId)}]`]);
  });
  test('Noncompliance 3: an included table declared multi-tenant in its template Metadata, granted by table name', () => {
    const stack = testStack();
    include(stack, { Tenants: tableResource({ TableName: 'tenants' }, { Metadata: { [MultiTenantTable.METADATA_KEY]: true } }) });
    role(stack).addToPolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/tenants/index/*'] }));
    role(stack, 'Other').addToPolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/tenants2'] }));
    expect(findings(stack, 'IAM2')).toEqual(['DynamoDBBlueprint-IAM2[Table::Tenants]']);
  });
  test('Noncompliance 4: a LeadingKeys condition that names only wildcards', () => {
    const stack = testStack();
    const tenants = new BlueprintTable(stack, 'Tenants', { partitionKey: PK });
    MultiTenantTable.declare(tenants);
    role(stack).addToPolicy(new PolicyStatement({
      actions: ['dynamodb:GetItem'],
      resources: [tenants.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['*'] } },
    }));
    expect(findings(stack, 'IAM2')).toEqual([`DynamoDBBlueprint-IAM2[Table::${stack.resolve((tenants.node.defaultChild as CfnTable).logicalId)}]`]);
  });
  test('Noncompliance 5: ForAllValues without a Null check on a statement allowing Scan, which names no key', () => {
    const stack = testStack();
    const tenants = new BlueprintTable(stack, 'Tenants', { partitionKey: PK });
    MultiTenantTable.declare(tenants);
    role(stack).addToPolicy(new PolicyStatement({
      actions: ['dynamodb:Query', 'dynamodb:Scan'],
      resources: [tenants.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#${aws:PrincipalTag/tenantId}#*'] } },
    }));
    expect(findings(stack, 'IAM2')).toEqual([`DynamoDBBlueprint-IAM2[Table::${stack.resolve((tenants.node.defaultChild as CfnTable).logicalId)}]`]);
  });
  test('Compliance: the statements TableAccess generates for delimited tenant keys, table and index', () => {
    const stack = testStack();
    const tenants = new BlueprintTable(stack, 'Tenants', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      blueprintGlobalSecondaryIndexes: [{ indexName: 'byUser', partitionKey: { name: 'GSI1PK', type: AttributeType.STRING } }],
    });
    const layout = TenantKeyLayout.delimited({ prefix: 'TENANT#', delimiter: '#' });
    TableAccess.of(tenants, {
      operations: [TableOperation.POINT_READ, TableOperation.QUERY, TableOperation.WRITE],
      tenantKey: TenantKey.fromPrincipalTag('tenantId'),
      tenantKeyLayout: layout,
      indexTenantKeyLayouts: [{ indexName: 'byUser', layout }],
    }).grant(role(stack));
    expect(MultiTenantTable.isDeclared(tenants)).toBe(true);
    expect(findings(stack, 'IAM2')).toEqual([]);
  });
  test('Compliance: a LeadingKeys condition, a table not declared multi-tenant, and control-plane actions', () => {
    const stack = testStack();
    const tenants = new BlueprintTable(stack, 'Tenants', { partitionKey: PK });
    MultiTenantTable.declare(tenants);
    const shared = new BlueprintTable(stack, 'Shared', { partitionKey: PK });
    const r = role(stack);
    r.addToPolicy(new PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
      resources: [tenants.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['${aws:PrincipalTag/tenantId}#*'] } },
    }));
    r.addToPolicy(new PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [tenants.tableArn] }));
    shared.grant(r, 'dynamodb:GetItem');
    expect(findings(stack, 'IAM2')).toEqual([]);
  });
});

describe('MultiTenantTable', () => {
  test('declares a BlueprintTable through its L1 resource Metadata', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tenants', { partitionKey: PK });
    expect(MultiTenantTable.isDeclared(table)).toBe(false);
    MultiTenantTable.declare(table);
    expect(MultiTenantTable.isDeclared(table)).toBe(true);
    Template.fromStack(stack).hasResource('AWS::DynamoDB::GlobalTable', { Metadata: { 'cdk-dynamodb-blueprints:multiTenant': true } });
  });
  test('fails when given something that is not a table', () => {
    const stack = testStack();
    expect(() => MultiTenantTable.declare(role(stack))).toThrow(/`table` is TestStack\/Role, which is not a DynamoDB table: pass a Table, TableV2 or BlueprintTable/);
  });
});
