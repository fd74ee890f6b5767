import { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { TableAccess, TableOperation, TenantKey } from '../../src';
import { conditionsHold, evaluate, PolicyStatementJson, RequestContext } from '../../tools/iam-evaluator';
import { testStack } from '../util';

/**
 * The condition logic of tenant-scoped grants, evaluated the way IAM evaluates it (tools/iam-evaluator.ts).
 * What DynamoDB puts into the request context per API is an assumption taken from its documentation:
 * LeadingKeys holds the partition key value(s) a request names (all keys of a batch; the index's partition
 * key for a Query on an index), Attributes the attribute names it reads or writes.
 */
const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/Tasks';
const INDEX = `${TABLE}/index/byAssignee`;

function statements(tenantKey: TenantKey, attributes?: string[]): PolicyStatementJson[] {
  const stack = testStack();
  const table = TableV2.fromTableArn(stack, 'Tasks', TABLE);
  const access = TableAccess.of(table, {
    operations: [TableOperation.POINT_READ, TableOperation.QUERY, TableOperation.WRITE],
    tenantKey,
    attributes,
    indexNames: ['byAssignee'],
  });
  return access.statements().map((s) => stack.resolve(s.toStatementJson()));
}

const acme = { principalTags: { tenantId: 'acme' } };
const req = (over: Partial<RequestContext>): RequestContext => ({ action: 'dynamodb:GetItem', resource: TABLE, ...over });

describe('tenant key from a principal tag', () => {
  const policy = statements(TenantKey.fromPrincipalTag('tenantId'));

  test.each<[string, Partial<RequestContext>, string]>([
    ['its own partition', { ...acme, leadingKeys: ['acme'] }, 'ALLOW'],
    ['another tenant\'s partition', { ...acme, leadingKeys: ['globex'] }, 'IMPLICIT_DENY'],
    ['a batch of its own keys', { ...acme, action: 'dynamodb:BatchGetItem', leadingKeys: ['acme', 'acme'] }, 'ALLOW'],
    ['a batch mixing in another tenant', { ...acme, action: 'dynamodb:BatchGetItem', leadingKeys: ['acme', 'globex'] }, 'IMPLICIT_DENY'],
    ['a prefix of its id', { ...acme, leadingKeys: ['acme#1'] }, 'IMPLICIT_DENY'],
    ['a principal without the tag', { principalTags: {}, leadingKeys: ['acme'] }, 'IMPLICIT_DENY'],
    ['a principal without the tag, empty key', { principalTags: {}, leadingKeys: [''] }, 'IMPLICIT_DENY'],
    ['a request naming no partition key', { ...acme, action: 'dynamodb:Query' }, 'IMPLICIT_DENY'],
    ['a Scan', { ...acme, action: 'dynamodb:Scan' }, 'IMPLICIT_DENY'],
    ['a Query on a granted index keyed by tenant', { ...acme, action: 'dynamodb:Query', resource: INDEX, leadingKeys: ['acme'] }, 'ALLOW'],
    ['a Query on an index not granted', { ...acme, action: 'dynamodb:Query', resource: `${TABLE}/index/other`, leadingKeys: ['acme'] }, 'IMPLICIT_DENY'],
    ['a write to its own partition', { ...acme, action: 'dynamodb:PutItem', leadingKeys: ['acme'] }, 'ALLOW'],
    ['a write to another partition', { ...acme, action: 'dynamodb:UpdateItem', leadingKeys: ['globex'] }, 'IMPLICIT_DENY'],
    ['another table', { ...acme, resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/Other', leadingKeys: ['acme'] }, 'IMPLICIT_DENY'],
  ])('%s: %s', (_name, ctx, expected) => {
    expect(evaluate(policy, req(ctx))).toBe(expected);
  });

  test('without the Null check, a request naming no partition key would be allowed (why the grant adds it)', () => {
    const withoutNull = policy.map((s) => {
      const { Null: _null, ...rest } = s.Condition ?? {};
      return { ...s, Condition: rest };
    });
    expect(evaluate(withoutNull, req({ ...acme, action: 'dynamodb:Query' }))).toBe('ALLOW');
    expect(evaluate(policy, req({ ...acme, action: 'dynamodb:Query' }))).toBe('IMPLICIT_DENY');
  });
});

describe('tenant key from a Cognito identity', () => {
  const policy = statements(TenantKey.fromCognitoIdentity());
  test.each<[string, Partial<RequestContext>, string]>([
    ['its own identity id', { cognitoIdentityId: 'us-east-1:1111', leadingKeys: ['us-east-1:1111'] }, 'ALLOW'],
    ['another identity id', { cognitoIdentityId: 'us-east-1:1111', leadingKeys: ['us-east-1:2222'] }, 'IMPLICIT_DENY'],
    ['a caller that is not a Cognito identity', { leadingKeys: ['us-east-1:1111'] }, 'IMPLICIT_DENY'],
  ])('%s: %s', (_name, ctx, expected) => {
    expect(evaluate(policy, req(ctx))).toBe(expected);
  });
});

describe('fixed tenant key with named attributes', () => {
  const policy = statements(TenantKey.fixed('acme'), ['PK', 'SK', 'title', 'status']);
  test.each<[string, Partial<RequestContext>, string]>([
    ['named attributes of its partition', { leadingKeys: ['acme'], attributes: ['PK', 'title'], select: 'SPECIFIC_ATTRIBUTES' }, 'ALLOW'],
    ['an attribute not named', { leadingKeys: ['acme'], attributes: ['PK', 'salary'], select: 'SPECIFIC_ATTRIBUTES' }, 'IMPLICIT_DENY'],
    ['all attributes', { leadingKeys: ['acme'], select: 'ALL_ATTRIBUTES' }, 'IMPLICIT_DENY'],
    ['all projected attributes of an index', { action: 'dynamodb:Query', resource: INDEX, leadingKeys: ['acme'], select: 'ALL_PROJECTED_ATTRIBUTES' }, 'IMPLICIT_DENY'],
    ['a count', { action: 'dynamodb:Query', leadingKeys: ['acme'], select: 'COUNT' }, 'IMPLICIT_DENY'],
    ['an update returning only what it wrote', { action: 'dynamodb:UpdateItem', leadingKeys: ['acme'], attributes: ['status'], returnValues: 'UPDATED_NEW' }, 'ALLOW'],
    ['an update returning the whole old item', { action: 'dynamodb:UpdateItem', leadingKeys: ['acme'], attributes: ['status'], returnValues: 'ALL_OLD' }, 'IMPLICIT_DENY'],
    ['another tenant with named attributes', { leadingKeys: ['globex'], attributes: ['PK'], select: 'SPECIFIC_ATTRIBUTES' }, 'IMPLICIT_DENY'],
  ])('%s: %s', (_name, ctx, expected) => {
    expect(evaluate(policy, req(ctx))).toBe(expected);
  });
});

describe('the evaluator itself follows the IAM rules it models', () => {
  test('ForAllValues is true for an absent key; StringEquals is false; IfExists is true; Null tests presence', () => {
    const ctx = req({});
    expect(conditionsHold({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['a'] } }, ctx)).toBe(true);
    expect(conditionsHold({ StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' } }, ctx)).toBe(false);
    expect(conditionsHold({ StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' } }, ctx)).toBe(true);
    expect(conditionsHold({ Null: { 'dynamodb:LeadingKeys': 'true' } }, ctx)).toBe(true);
    expect(conditionsHold({ Null: { 'dynamodb:LeadingKeys': 'false' } }, req({ leadingKeys: ['a'] }))).toBe(true);
  });

  test('values of one key are ORed, keys and operators are ANDed; a Deny wins', () => {
    const ctx = req({ leadingKeys: ['b'], select: 'COUNT' });
    expect(conditionsHold({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['a', 'b'] } }, ctx)).toBe(true);
    expect(conditionsHold({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['a', 'b'] }, 'StringEquals': { 'dynamodb:Select': 'ALL_ATTRIBUTES' } }, ctx)).toBe(false);
    const allow = { Effect: 'Allow', Action: 'dynamodb:*', Resource: `${TABLE}*` };
    expect(evaluate([allow], ctx)).toBe('ALLOW');
    expect(evaluate([allow, { ...allow, Effect: 'Deny' }], ctx)).toBe('EXPLICIT_DENY');
    expect(evaluate([{ ...allow, Action: 'dynamodb:Get?tem' }], req({}))).toBe('ALLOW');
  });

  test('an unmodelled condition key is an error, not a silent pass', () => {
    expect(() => conditionsHold({ StringEquals: { 'aws:SourceIp': '10.0.0.1' } }, req({}))).toThrow(/does not model/);
  });
});
