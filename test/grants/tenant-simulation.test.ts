import { CfnElement } from 'aws-cdk-lib';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { TableAccess, TableOperation, TenantKey, TenantKeyLayout } from '../../src';
import { simulate, SimulatedRequest, StatementJson, withLiteralArns } from '../../tools/iam-simulator';
import { testStack } from '../util';

/**
 * Tenant-scoped grants judged by an outside IAM evaluator (`@cloud-copilot/iam-simulate`). What DynamoDB
 * puts in the request context is taken from its documentation: `dynamodb:LeadingKeys` holds every
 * partition key value a request names (every key of a batch; the index's partition key for a Query on an
 * index; none for a Scan or a PartiQL full scan). TransactGetItems and TransactWriteItems are authorized
 * item by item as GetItem, PutItem, UpdateItem, DeleteItem and ConditionCheckItem.
 * The simulator does not know the web identity key `cognito-identity.amazonaws.com:sub` (it drops it from
 * the request context), so `TenantKey.fromCognitoIdentity()` is checked on the template in table-access.test.ts only.
 */
const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/Tasks';
const index = (name: string) => `${TABLE}/index/${name}`;
const TENANT_PREFIX = TenantKeyLayout.delimited({ prefix: 'TENANT#', delimiter: '#' });

/** Keys as the task tracker writes them: TENANT#<tenant>#TASK#<id>, indexes TENANT#<tenant>#PROJECT#... and TENANT#<tenant>#USER#... */
function tenantStatements(options: { tenantKey?: TenantKey; attributes?: string[] } = {}): StatementJson[] {
  const stack = testStack();
  const table = new TableV2(stack, 'Tasks', {
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    sortKey: { name: 'SK', type: AttributeType.STRING },
    globalSecondaryIndexes: [
      { indexName: 'byProject', partitionKey: { name: 'GSI1PK', type: AttributeType.STRING }, sortKey: { name: 'GSI1SK', type: AttributeType.STRING } },
      { indexName: 'byAssignee', partitionKey: { name: 'GSI2PK', type: AttributeType.STRING } },
      { indexName: 'bySortKey', partitionKey: { name: 'PK', type: AttributeType.STRING }, sortKey: { name: 'GSI1SK', type: AttributeType.STRING } },
      // Keyed by the bare assignee id: no tenant in it, so it is left out of the grant.
      { indexName: 'byAssigneeId', partitionKey: { name: 'assigneeId', type: AttributeType.STRING } },
    ],
  });
  const access = TableAccess.of(table, {
    operations: [TableOperation.POINT_READ, TableOperation.QUERY, TableOperation.WRITE],
    tenantKey: options.tenantKey ?? TenantKey.fromPrincipalTag('tenantId'),
    tenantKeyLayout: TENANT_PREFIX,
    indexTenantKeyLayouts: [{ indexName: 'byProject', layout: TENANT_PREFIX }, { indexName: 'byAssignee', layout: TENANT_PREFIX }],
    indexesWithoutTenant: ['byAssigneeId'],
    attributes: options.attributes,
  });
  const logicalId = stack.getLogicalId(table.node.defaultChild as CfnElement);
  return access.statements().map((s) => withLiteralArns(stack.resolve(s.toStatementJson()), { [logicalId]: TABLE }));
}

const acme = { principalTags: { tenantId: 'acme' } };
const own = (id: string) => `TENANT#acme#TASK#${id}`;
type Case = [string, SimulatedRequest, string];

describe('delimited tenant keys (TENANT#<tenant>#...) from a principal tag', () => {
  const policy = tenantStatements();
  const get = (over: Partial<SimulatedRequest>): SimulatedRequest => ({ action: 'dynamodb:GetItem', resource: TABLE, ...acme, ...over });

  test.each<Case>([
    ['GetItem on its own item', get({ leadingKeys: [own('1')] }), 'Allowed'],
    ['PutItem on its own item', get({ action: 'dynamodb:PutItem', leadingKeys: [own('1')] }), 'Allowed'],
    ['UpdateItem on its own counter item', get({ action: 'dynamodb:UpdateItem', leadingKeys: ['TENANT#acme#PROJECT#p1'] }), 'Allowed'],
    ['DeleteItem on its own item', get({ action: 'dynamodb:DeleteItem', leadingKeys: [own('1')] }), 'Allowed'],
    ['ConditionCheckItem (a TransactWriteItems check) on its own item', get({ action: 'dynamodb:ConditionCheckItem', leadingKeys: [own('1')] }), 'Allowed'],
    ['BatchGetItem of its own items', get({ action: 'dynamodb:BatchGetItem', leadingKeys: [own('1'), own('2')] }), 'Allowed'],
    ['BatchWriteItem of its own items', get({ action: 'dynamodb:BatchWriteItem', leadingKeys: [own('1'), own('2')] }), 'Allowed'],
    ['Query on the table', get({ action: 'dynamodb:Query', leadingKeys: [own('1')] }), 'Allowed'],
    ['Query on byProject', get({ action: 'dynamodb:Query', resource: index('byProject'), leadingKeys: ['TENANT#acme#PROJECT#p1#SHARD#0'] }), 'Allowed'],
    ['Query on byAssignee', get({ action: 'dynamodb:Query', resource: index('byAssignee'), leadingKeys: ['TENANT#acme#USER#u1'] }), 'Allowed'],
    ['Query on bySortKey (keyed by the table partition key)', get({ action: 'dynamodb:Query', resource: index('bySortKey'), leadingKeys: [own('1')] }), 'Allowed'],
  ])('own tenant: %s', async (_name, request, expected) => {
    expect(await simulate(policy, request)).toBe(expected);
  });

  test.each<Case>([
    ['GetItem on another tenant\'s item', get({ leadingKeys: ['TENANT#globex#TASK#1'] }), 'ImplicitlyDenied'],
    ['GetItem on a prefix-confusable tenant (acmecorp)', get({ leadingKeys: ['TENANT#acmecorp#TASK#1'] }), 'ImplicitlyDenied'],
    ['PutItem into another tenant', get({ action: 'dynamodb:PutItem', leadingKeys: ['TENANT#globex#TASK#1'] }), 'ImplicitlyDenied'],
    ['BatchGetItem mixing in another tenant', get({ action: 'dynamodb:BatchGetItem', leadingKeys: [own('1'), 'TENANT#globex#TASK#1'] }), 'ImplicitlyDenied'],
    ['BatchWriteItem mixing in a prefix-confusable tenant', get({ action: 'dynamodb:BatchWriteItem', leadingKeys: [own('1'), 'TENANT#acmecorp#TASK#1'] }), 'ImplicitlyDenied'],
    ['Query on byProject of another tenant', get({ action: 'dynamodb:Query', resource: index('byProject'), leadingKeys: ['TENANT#globex#PROJECT#p1#SHARD#0'] }), 'ImplicitlyDenied'],
    ['Query on the index without the tenant', get({ action: 'dynamodb:Query', resource: index('byAssigneeId'), leadingKeys: ['u1'] }), 'ImplicitlyDenied'],
    ['Query naming no partition key', get({ action: 'dynamodb:Query' }), 'ImplicitlyDenied'],
    ['Scan of the table', get({ action: 'dynamodb:Scan' }), 'ImplicitlyDenied'],
    ['Scan of an index', get({ action: 'dynamodb:Scan', resource: index('byProject') }), 'ImplicitlyDenied'],
    ['PartiQL full scan', get({ action: 'dynamodb:PartiQLSelect' }), 'ImplicitlyDenied'],
    ['PartiQL select of its own item', get({ action: 'dynamodb:PartiQLSelect', leadingKeys: [own('1')] }), 'ImplicitlyDenied'],
    ['PartiQL insert of its own item', get({ action: 'dynamodb:PartiQLInsert', leadingKeys: [own('1')] }), 'ImplicitlyDenied'],
    ['an untagged principal', get({ principalTags: {}, leadingKeys: [own('1')] }), 'ImplicitlyDenied'],
    ['another table', get({ resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/Other', leadingKeys: [own('1')] }), 'ImplicitlyDenied'],
  ])('denied: %s', async (_name, request, expected) => {
    expect(await simulate(policy, request)).toBe(expected);
  });

  test.each<Case>([
    ['the delimiter reaches into tenant acme', get({ principalTags: { tenantId: 'acme#TASK' }, leadingKeys: [own('1')] }), 'ImplicitlyDenied'],
    ['a * wildcard', get({ principalTags: { tenantId: 'acme*' }, leadingKeys: ['TENANT#acmecorp#TASK#1'] }), 'ImplicitlyDenied'],
    ['a * wildcard alone', get({ principalTags: { tenantId: '*' }, leadingKeys: [own('1')] }), 'ImplicitlyDenied'],
    ['a ? wildcard', get({ principalTags: { tenantId: 'acm?' }, leadingKeys: [own('1')] }), 'ImplicitlyDenied'],
  ])('a tenant id holding %s is refused', async (_name, request, expected) => {
    expect(await simulate(policy, request)).toBe(expected);
  });

  test('without the tenant id guard, a tenant id holding the delimiter reaches another tenant (why the grant adds it)', async () => {
    const unguarded = policy.map((s: any) => {
      const { StringNotLike: _guard, ...rest } = s.Condition;
      return { ...s, Condition: rest };
    });
    const request = get({ principalTags: { tenantId: 'acme#TASK' }, leadingKeys: [own('1')] });
    expect(await simulate(unguarded, request)).toBe('Allowed');
    expect(await simulate(policy, request)).toBe('ImplicitlyDenied');
  });

  test('without the Null check, a request naming no partition key would be allowed (why the grant adds it)', async () => {
    const withoutNull = policy.map((s: any) => {
      const { Null: _null, ...rest } = s.Condition;
      return { ...s, Condition: rest };
    });
    const request = get({ action: 'dynamodb:Query' });
    expect(await simulate(withoutNull, request)).toBe('Allowed');
    expect(await simulate(policy, request)).toBe('ImplicitlyDenied');
  });

  test('the guard reads ${*} and ${?} as the literal characters: only ids holding them are refused', async () => {
    const guard = [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE, Condition: { StringNotLike: { 'aws:PrincipalTag/tenantId': ['*${*}*', '*${?}*'] } } }];
    expect(await simulate(guard, get({ principalTags: { tenantId: 'acme' } }))).toBe('Allowed');
    expect(await simulate(guard, get({ principalTags: { tenantId: 'ac*me' } }))).toBe('ImplicitlyDenied');
    expect(await simulate(guard, get({ principalTags: { tenantId: 'ac?me' } }))).toBe('ImplicitlyDenied');
  });
});

describe('a fixed tenant with named attributes', () => {
  const policy = tenantStatements({ tenantKey: TenantKey.fixed('acme'), attributes: ['title', 'status'] });
  const req = (over: Partial<SimulatedRequest>): SimulatedRequest => ({ action: 'dynamodb:GetItem', resource: TABLE, leadingKeys: [own('1')], ...over });
  test.each<Case>([
    ['named attributes of its items', req({ attributes: ['PK', 'title'], select: 'SPECIFIC_ATTRIBUTES' }), 'Allowed'],
    ['an attribute not named', req({ attributes: ['PK', 'salary'], select: 'SPECIFIC_ATTRIBUTES' }), 'ImplicitlyDenied'],
    ['all attributes', req({ select: 'ALL_ATTRIBUTES' }), 'ImplicitlyDenied'],
    ['all projected attributes of an index', req({ action: 'dynamodb:Query', resource: index('byProject'), leadingKeys: ['TENANT#acme#PROJECT#p'], select: 'ALL_PROJECTED_ATTRIBUTES' }), 'ImplicitlyDenied'],
    ['an update returning only what it wrote', req({ action: 'dynamodb:UpdateItem', attributes: ['status'], returnValues: 'UPDATED_NEW' }), 'Allowed'],
    ['an update returning the whole old item', req({ action: 'dynamodb:UpdateItem', attributes: ['status'], returnValues: 'ALL_OLD' }), 'ImplicitlyDenied'],
    ['another tenant with named attributes', req({ leadingKeys: ['TENANT#globex#TASK#1'], attributes: ['PK'], select: 'SPECIFIC_ATTRIBUTES' }), 'ImplicitlyDenied'],
  ])('%s', async (_name, request, expected) => {
    expect(await simulate(policy, request)).toBe(expected);
  });
});

describe('the tenant id as the whole partition key', () => {
  const stack = testStack();
  const table = TableV2.fromTableArn(stack, 'Tasks', TABLE);
  const policy = TableAccess.of(table, {
    operations: [TableOperation.POINT_READ, TableOperation.QUERY],
    tenantKey: TenantKey.fromPrincipalTag('tenantId'),
    indexNames: ['byTenant'],
    indexTenantKeyLayouts: [{ indexName: 'byTenant', layout: TenantKeyLayout.wholeKey() }],
  }).statements().map((s) => stack.resolve(s.toStatementJson()));
  test.each<Case>([
    ['its own partition', { action: 'dynamodb:GetItem', resource: TABLE, ...acme, leadingKeys: ['acme'] }, 'Allowed'],
    ['its own partition on the index', { action: 'dynamodb:Query', resource: index('byTenant'), ...acme, leadingKeys: ['acme'] }, 'Allowed'],
    ['another tenant', { action: 'dynamodb:GetItem', resource: TABLE, ...acme, leadingKeys: ['globex'] }, 'ImplicitlyDenied'],
    ['a longer key starting with its id', { action: 'dynamodb:GetItem', resource: TABLE, ...acme, leadingKeys: ['acmecorp'] }, 'ImplicitlyDenied'],
    ['a wildcard tenant id, compared as text', { action: 'dynamodb:GetItem', resource: TABLE, principalTags: { tenantId: 'acme*' }, leadingKeys: ['acmecorp'] }, 'ImplicitlyDenied'],
    ['an untagged principal', { action: 'dynamodb:GetItem', resource: TABLE, leadingKeys: ['acme'] }, 'ImplicitlyDenied'],
  ])('%s', async (_name, request, expected) => {
    expect(await simulate(policy, request)).toBe(expected);
  });
});
