import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { AccountRootPrincipal, ManagedPolicy, Role } from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { BlueprintTable, IndexProjection, MultiTenantTable, TableAccess, TableOperation, TenantKey, TenantKeyLayout } from '../../src';
import { testStack } from '../util';

const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders';

function ordersTable(stack: Stack): BlueprintTable {
  return new BlueprintTable(stack, 'Orders', {
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    sortKey: { name: 'SK', type: AttributeType.STRING },
    blueprintGlobalSecondaryIndexes: [{
      indexName: 'byStatus',
      partitionKey: { name: 'GSI1PK', type: AttributeType.STRING },
      sortKey: { name: 'GSI1SK', type: AttributeType.STRING },
      projection: IndexProjection.keysOnly(),
    }],
  });
}

function role(stack: Stack): Role {
  return new Role(stack, 'Role', { assumedBy: new AccountRootPrincipal() });
}

/** The statements of the only inline policy of the stack, resolved. */
function policyStatements(stack: Stack): unknown[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  const [policy] = Object.values(policies);
  return (policy as any).Properties.PolicyDocument.Statement;
}

const getAtt = (stack: Stack, c: IConstruct) => ({ 'Fn::GetAtt': [stack.getLogicalId(c.node.defaultChild as CfnElement), 'Arn'] });
// Logical ids are the same in every test stack: the tables have the same construct paths.
const refStack = testStack();
const refTable = ordersTable(refStack);
const tableArn = getAtt(refStack, refTable);
const indexArn = (name: string) => ({ 'Fn::Join': ['', [tableArn, `/index/${name}`]] });
const kmsStatement = (actions: string[]) => ({
  Effect: 'Allow',
  Action: actions,
  Resource: getAtt(refStack, refTable.createdEncryptionKey!),
  Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } },
});

describe('TableAccess', () => {
  test('point reads: GetItem, BatchGetItem, ConditionCheckItem on the table only, plus kms:Decrypt through DynamoDB', () => {
    const stack = testStack();
    const table = ordersTable(stack);
    TableAccess.pointReads(table).grant(role(stack));
    expect(policyStatements(stack)).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem'], Resource: tableArn },
      kmsStatement(['kms:Decrypt', 'kms:DescribeKey']),
    ]);
  });

  test('queries: Query on the table and each index by name, never a wildcard', () => {
    const stack = testStack();
    const table = ordersTable(stack);
    TableAccess.queries(table).grant(role(stack));
    expect(policyStatements(stack)[0]).toEqual({
      Effect: 'Allow', Action: 'dynamodb:Query', Resource: [tableArn, indexArn('byStatus')],
    });
  });

  test('reads never include Scan; writes include the write actions and the KMS write actions', () => {
    const stack = testStack();
    const table = ordersTable(stack);
    TableAccess.reads(table).grant(role(stack));
    TableAccess.writes(table).grant(new Role(stack, 'Writer', { assumedBy: new AccountRootPrincipal() }));
    const template = JSON.stringify(Template.fromStack(stack).toJSON());
    expect(template).not.toContain('dynamodb:Scan');
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')) as any[];
    const writer = policies.find((p) => JSON.stringify(p).includes('dynamodb:PutItem'));
    expect(writer.Properties.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'], Resource: tableArn },
      kmsStatement(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo']),
    ]);
  });

  test('Scan is granted only when listed, on the table and its indexes', () => {
    const stack = testStack();
    const table = ordersTable(stack);
    TableAccess.of(table, { operations: [TableOperation.SCAN, TableOperation.POINT_READ] }).grant(role(stack));
    expect(policyStatements(stack)[0]).toEqual({
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:Scan'],
      Resource: [tableArn, indexArn('byStatus')],
    });
  });

  test('tenant-scoped by principal tag: LeadingKeys from the tag, a Null check, and the table marked multi-tenant', () => {
    const stack = testStack();
    const table = ordersTable(stack);
    TableAccess.of(table, {
      operations: [TableOperation.POINT_READ, TableOperation.QUERY, TableOperation.WRITE],
      tenantKey: TenantKey.fromPrincipalTag('tenantId'),
      // GSI1PK holds the tenant id too, so the index shares the table's statement.
      indexTenantKeyLayouts: [{ indexName: 'byStatus', layout: TenantKeyLayout.wholeKey() }],
    }).grant(role(stack));
    expect(policyStatements(stack)[0]).toEqual({
      Effect: 'Allow',
      Action: [
        'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:Query',
        'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem',
      ],
      Resource: [tableArn, indexArn('byStatus')],
      Condition: {
        'Null': { 'dynamodb:LeadingKeys': 'false' },
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:PrincipalTag/tenantId}'] },
      },
    });
    const resource = Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.values(resource)[0].Metadata).toEqual({ [MultiTenantTable.METADATA_KEY]: true });
  });

  test('tenant-scoped by Cognito identity and by a fixed value', () => {
    expect(TenantKey.fromCognitoIdentity().conditionValue).toBe('${cognito-identity.amazonaws.com:sub}');
    const stack = testStack();
    const table = ordersTable(stack);
    TableAccess.pointReads(table, { tenantKey: TenantKey.fixed('TENANT#acme') }).grant(role(stack));
    expect((policyStatements(stack)[0] as any).Condition['ForAllValues:StringEquals']).toEqual({ 'dynamodb:LeadingKeys': ['TENANT#acme'] });
  });

  test('attributes: key attributes of table and indexes are added, Select and ReturnValues are pinned', () => {
    const stack = testStack();
    const table = ordersTable(stack);
    TableAccess.of(table, {
      operations: [TableOperation.POINT_READ, TableOperation.WRITE],
      tenantKey: TenantKey.fromCognitoIdentity(),
      attributes: ['status', 'total'],
    }).grant(role(stack));
    expect((policyStatements(stack)[0] as any).Condition).toEqual({
      'Null': { 'dynamodb:LeadingKeys': 'false' },
      'StringEqualsIfExists': { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES', 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
      'ForAllValues:StringEquals': {
        'dynamodb:LeadingKeys': ['${cognito-identity.amazonaws.com:sub}'],
        'dynamodb:Attributes': ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'status', 'total'],
      },
    });
  });

  test('indexNames narrows the indexes; an imported table uses literal ARNs and is not marked', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1111');
    const table = TableV2.fromTableAttributes(stack, 'Imported', { tableArn: TABLE_ARN, encryptionKey: key });
    const access = TableAccess.queries(table, {
      indexNames: ['byCustomer'],
      tenantKey: TenantKey.fromPrincipalTag('tenantId'),
      indexTenantKeyLayouts: [{ indexName: 'byCustomer', layout: TenantKeyLayout.wholeKey() }],
    });
    const json = access.statements().map((s) => stack.resolve(s.toStatementJson()));
    expect(json).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: [TABLE_ARN, `${TABLE_ARN}/index/byCustomer`],
        Condition: { 'Null': { 'dynamodb:LeadingKeys': 'false' }, 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:PrincipalTag/tenantId}'] } },
      },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: 'arn:aws:kms:us-east-1:123456789012:key/1111',
        Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } },
      },
    ]);
  });

  test('delimited tenant keys: StringLike ending in the delimiter, a guard on the tag, one statement per index layout', () => {
    const stack = testStack();
    const table = ordersTable(stack);
    const access = TableAccess.of(table, {
      operations: [TableOperation.POINT_READ, TableOperation.QUERY],
      tenantKey: TenantKey.fromPrincipalTag('tenantId'),
      tenantKeyLayout: TenantKeyLayout.delimited({ prefix: 'TENANT#', delimiter: '#' }),
      indexTenantKeyLayouts: [{ indexName: 'byStatus', layout: TenantKeyLayout.delimited({ prefix: 'STATUS|', delimiter: '|' }) }],
    });
    access.grant(role(stack));
    const guard = (delimiter: string) => ({ 'aws:PrincipalTag/tenantId': [`*${delimiter}*`, '*${*}*', '*${?}*'] });
    expect(policyStatements(stack).slice(0, 2)).toEqual([{
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:Query'],
      Resource: tableArn,
      Condition: {
        'Null': { 'dynamodb:LeadingKeys': 'false', 'aws:PrincipalTag/tenantId': 'false' },
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#${aws:PrincipalTag/tenantId}#*'] },
        'StringNotLike': guard('#'),
      },
    }, {
      Effect: 'Allow',
      Action: 'dynamodb:Query',
      Resource: indexArn('byStatus'),
      Condition: {
        'Null': { 'dynamodb:LeadingKeys': 'false', 'aws:PrincipalTag/tenantId': 'false' },
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['STATUS|${aws:PrincipalTag/tenantId}|*'] },
        'StringNotLike': guard('|'),
      },
    }]);
    expect(access.indexNames).toEqual(['byStatus']);
  });

  test('an index keyed by the table partition key shares its layout; an excluded index is left out', () => {
    const stack = testStack();
    const table = new TableV2(stack, 'T', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      globalSecondaryIndexes: [
        { indexName: 'byDate', partitionKey: { name: 'PK', type: AttributeType.STRING }, sortKey: { name: 'date', type: AttributeType.STRING } },
        { indexName: 'byAssignee', partitionKey: { name: 'assigneeId', type: AttributeType.STRING } },
      ],
    });
    const access = TableAccess.queries(table, {
      tenantKey: TenantKey.fixed('acme'),
      tenantKeyLayout: TenantKeyLayout.delimited({ prefix: 'TENANT#', delimiter: '#' }),
      indexesWithoutTenant: ['byAssignee'],
    });
    expect(access.indexNames).toEqual(['byDate']);
    const [statement] = access.statements().map((s) => stack.resolve(s.toStatementJson()));
    expect(statement.Resource).toEqual([getAtt(stack, table), { 'Fn::Join': ['', [getAtt(stack, table), '/index/byDate']] }]);
    // A fixed tenant id needs no guard: it is checked when the grant is made.
    expect(statement.Condition).toEqual({
      'Null': { 'dynamodb:LeadingKeys': 'false' },
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#acme#*'] },
    });
  });

  test('statements() fit a managed policy, which the NIST and HIPAA packs prefer to inline policies', () => {
    const stack = testStack();
    const table = new TableV2(stack, 'Plain', { partitionKey: { name: 'id', type: AttributeType.STRING }, encryption: TableEncryptionV2.awsManagedKey() });
    new ManagedPolicy(stack, 'Policy', { statements: TableAccess.pointReads(table).statements() });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem'], Effect: 'Allow', Resource: getAtt(stack, table) }] },
    });
  });

  test('a Table (v1) works too: indexes and keys come from its AWS::DynamoDB::Table, and it is marked', () => {
    const stack = testStack();
    const v1 = new Table(stack, 'Legacy', { partitionKey: { name: 'tenant', type: AttributeType.STRING }, sortKey: { name: 'sk', type: AttributeType.STRING } });
    v1.addGlobalSecondaryIndex({ indexName: 'gsi1', partitionKey: { name: 'tenant', type: AttributeType.STRING }, sortKey: { name: 'created', type: AttributeType.NUMBER } });
    const access = TableAccess.queries(v1, { tenantKey: TenantKey.fromPrincipalTag('tenantId'), attributes: ['title'] });
    expect(access.indexNames).toEqual(['gsi1']);
    expect(access.attributes).toEqual(['tenant', 'sk', 'created', 'title']);
    expect(Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'))[0].Metadata).toEqual({ [MultiTenantTable.METADATA_KEY]: true });
  });

  test('markMultiTenant: false leaves the table unmarked', () => {
    const stack = testStack();
    const table = ordersTable(stack);
    TableAccess.pointReads(table, { tenantKey: TenantKey.fixed('t1'), markMultiTenant: false }).statements();
    expect(Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable'))[0].Metadata).toBeUndefined();
  });

  describe('fails', () => {
    const table = () => ordersTable(testStack());
    test('fails with no operations', () => {
      expect(() => TableAccess.of(table(), { operations: [] })).toThrow(/`operations` is empty/);
    });
    test('fails with an unknown or repeated operation', () => {
      expect(() => TableAccess.of(table(), { operations: ['DELETE' as TableOperation] })).toThrow(/`operations` contains "DELETE": allowed values are POINT_READ, QUERY, WRITE, SCAN/);
      expect(() => TableAccess.of(table(), { operations: [TableOperation.QUERY, TableOperation.QUERY] })).toThrow(/lists an operation twice/);
    });
    test('fails when Scan is combined with a tenant key', () => {
      expect(() => TableAccess.of(table(), { operations: [TableOperation.SCAN], tenantKey: TenantKey.fromPrincipalTag('tenantId') }))
        .toThrow(/`operations` includes SCAN with a `tenantKey` \(principal tag tenantId\)/);
    });
    test('fails with an index the table does not have, or a wildcard index', () => {
      expect(() => TableAccess.queries(table(), { indexNames: ['nope'] })).toThrow(/`indexNames` contains 'nope', which is not an index of the table \(its indexes: byStatus\)/);
      expect(() => TableAccess.queries(table(), { indexNames: ['*'] })).toThrow(/wildcard/);
    });
    test('fails with empty, blank or repeated attributes', () => {
      expect(() => TableAccess.reads(table(), { attributes: [] })).toThrow(/`attributes` is empty/);
      expect(() => TableAccess.reads(table(), { attributes: [' '] })).toThrow(/empty name/);
      expect(() => TableAccess.reads(table(), { attributes: ['a', 'a'] })).toThrow(/twice/);
    });
    test('fails with more than 100 attributes', () => {
      const many = Array.from({ length: 97 }, (_, i) => `a${i}`);
      expect(() => TableAccess.reads(table(), { attributes: many })).toThrow(/lists 101 names: at most 100/);
    });
    test('fails to mark an imported table', () => {
      const stack = testStack();
      const imported = TableV2.fromTableArn(stack, 'I', TABLE_ARN);
      expect(() => TableAccess.reads(imported, { markMultiTenant: true })).toThrow(/`markMultiTenant` is true but table .* is not defined in this app/);
    });
    test('fails with every index whose partition key may not carry the tenant, naming each and the fix', () => {
      const stack = testStack();
      const t = new TableV2(stack, 'T', {
        partitionKey: { name: 'PK', type: AttributeType.STRING },
        globalSecondaryIndexes: [
          { indexName: 'byProject', partitionKey: { name: 'GSI1PK', type: AttributeType.STRING } },
          { indexName: 'byAssignee', partitionKey: { name: 'assigneeId', type: AttributeType.STRING } },
        ],
      });
      expect(() => TableAccess.queries(t, { tenantKey: TenantKey.fromPrincipalTag('tenantId') })).toThrow(
        /TableAccess on TestStack\/T with a `tenantKey` \(principal tag tenantId\):\n {2}index 'byProject' keyed by 'GSI1PK', not by the table's partition key 'PK': .*\n {2}index 'byAssignee' keyed by 'assigneeId'.* list it in `indexesWithoutTenant`/,
      );
    });
    test('fails with a layout for an unknown index, an index both declared and excluded, or layouts without a tenant key', () => {
      const layout = TenantKeyLayout.wholeKey();
      expect(() => TableAccess.queries(table(), { tenantKey: TenantKey.fixed('a'), indexTenantKeyLayouts: [{ indexName: 'nope', layout }] }))
        .toThrow(/name 'nope', which is not an index of the table \(its indexes: byStatus\)/);
      expect(() => TableAccess.queries(table(), { tenantKey: TenantKey.fixed('a'), indexTenantKeyLayouts: [{ indexName: 'byStatus', layout }], indexesWithoutTenant: ['byStatus'] }))
        .toThrow(/index byStatus is both in `indexTenantKeyLayouts` and in `indexesWithoutTenant`/);
      expect(() => TableAccess.queries(table(), { tenantKeyLayout: layout })).toThrow(/set without a `tenantKey`/);
    });
    test('fails with a delimiter-less, wildcard or variable layout, or a fixed tenant id holding the delimiter', () => {
      expect(() => TenantKeyLayout.delimited({ prefix: 'TENANT#', delimiter: '' })).toThrow(/`delimiter` is "": without a delimiter/);
      expect(() => TenantKeyLayout.delimited({ delimiter: '*' })).toThrow(/`delimiter` is "\*": it may not contain/);
      expect(() => TenantKeyLayout.delimited({ prefix: 'T*', delimiter: '#' })).toThrow(/`prefix` is "T\*"/);
      expect(() => TenantKeyLayout.delimited({ prefix: '${aws:username}', delimiter: '#' })).toThrow(/policy variable/);
      expect(() => TableAccess.pointReads(table(), { tenantKey: TenantKey.fixed('acme#1'), tenantKeyLayout: TenantKeyLayout.delimited({ delimiter: '#' }) }))
        .toThrow(/`tenantKey` is the fixed value acme#1, which contains the delimiter '#'/);
    });
    test('fails with a bad tag key or fixed value', () => {
      expect(() => TenantKey.fromPrincipalTag('')).toThrow(/`tagKey` is ""/);
      expect(() => TenantKey.fixed('')).toThrow(/`value` is empty/);
      expect(() => TenantKey.fixed('acme*')).toThrow(/wildcards/);
      expect(() => TenantKey.fixed('${aws:username}')).toThrow(/policy variable/);
    });
  });
});
