import * as fs from 'fs';
import * as path from 'path';
import { assigneeKey, counterKey, INDEX_BY_ASSIGNEE, INDEX_BY_PROJECT, projectShardKey, taskKey } from '../../examples/task-tracker/model';
import { MultiTenantTable, TableDefinitions } from '../../src';
import { listExamples, synthExample } from '../../tools/examples';
import { simulate, SimulatedRequest, StatementJson, withLiteralArns } from '../../tools/iam-simulator';

// Passing the four packs is tested for every example in examples.test.ts.
const { assembly } = synthExample(listExamples().find((e) => e.name === 'task-tracker')!);

test('the tasks table: composite key, two INCLUDE indexes projecting exactly what the queries return, TTL, old and new images', () => {
  const tables = TableDefinitions.fromTemplate(assembly.getStackByName('TaskTracker').template);
  const tasks = tables.find((t) => t.logicalId.startsWith('Tasks'))!;
  expect([tasks.partitionKey?.name, tasks.sortKey?.name]).toEqual(['PK', 'SK']);
  expect(tasks.globalSecondaryIndexes.map((i) => [i.indexName, i.partitionKey.name, i.sortKey?.name, i.projectionType, i.nonKeyAttributes])).toEqual([
    ['byProjectDueDate', 'GSI1PK', 'GSI1SK', 'INCLUDE', ['taskId', 'title', 'status', 'assigneeId', 'dueDate', 'expiresAt']],
    ['byAssigneeStatus', 'GSI2PK', 'GSI2SK', 'INCLUDE', ['taskId', 'projectId', 'title', 'status', 'dueDate', 'expiresAt']],
  ]);
  expect(tasks.timeToLiveAttribute).toBe('expiresAt');
  expect(tasks.streamViewType).toBe('NEW_AND_OLD_IMAGES');
  expect(tasks.billingMode).toBe('PAY_PER_REQUEST');
  const idempotency = tables.find((t) => t.logicalId.includes('IdempotencyTable'))!;
  expect([idempotency.partitionKey, idempotency.timeToLiveAttribute]).toEqual([{ name: 'id', type: 'S' }, 'expiration']);
});

test('the access-pattern report: a GetItem, a Query per write shard of byProjectDueDate, and a Query on byAssigneeStatus', () => {
  const report = fs.readFileSync(path.join(assembly.directory, 'TaskTracker.Tasks.access-patterns.md'), 'utf8');
  expect(report).toMatch(/^\| getTask \| \(table\) \| GetItem \|/m);
  expect(report).toMatch(/^\| projectTasksByDueDate \| byProjectDueDate \| Query x 4 shards \|/m);
  expect(report).toMatch(/^\| tasksByAssigneeAndStatus \| byAssigneeStatus \| Query \|/m);
});

describe('the tenant role, judged by an IAM simulator on the keys the app writes', () => {
  const template = assembly.getStackByName('TaskTracker').template;
  const TABLE = 'arn:aws:dynamodb:eu-west-1:123456789012:table/Tasks';
  const tasksId = Object.keys(template.Resources).find((id) => template.Resources[id].Type === 'AWS::DynamoDB::GlobalTable' && id.startsWith('Tasks'))!;
  const policy = Object.values(template.Resources as Record<string, any>)
    .find((r) => r.Type === 'AWS::IAM::ManagedPolicy' && r.Properties.Description?.startsWith('Point reads, queries and writes of the calling tenant'));
  // The table's statements; the KMS statement (usable only through DynamoDB) is not about tenants.
  const statements: StatementJson[] = withLiteralArns(policy.Properties.PolicyDocument.Statement, { [tasksId]: TABLE })
    .filter((s: any) => [s.Action].flat().every((a: string) => a.startsWith('dynamodb:')));
  const byProject = `${TABLE}/index/${INDEX_BY_PROJECT}`;
  const byAssignee = `${TABLE}/index/${INDEX_BY_ASSIGNEE}`;
  const acme = { principalTags: { tenantId: 'acme' } };
  const req = (action: string, leadingKeys?: string[], over: Partial<SimulatedRequest> = {}): SimulatedRequest =>
    ({ action: `dynamodb:${action}`, resource: TABLE, leadingKeys, ...acme, ...over });

  test('the policy is on the role, and the table is declared multi-tenant', () => {
    expect(policy.Properties.Roles).toHaveLength(1);
    expect(statements).toHaveLength(1);
    expect(template.Resources[tasksId].Metadata).toEqual({ [MultiTenantTable.METADATA_KEY]: true });
  });

  test.each<[string, SimulatedRequest]>([
    ['GetItem of its task', req('GetItem', [taskKey('acme', 't1').PK])],
    ['BatchGetItem of its task and counter', req('BatchGetItem', [taskKey('acme', 't1').PK, counterKey('acme', 'p1').PK])],
    ['PutItem of its task', req('PutItem', [taskKey('acme', 't1').PK])],
    ['UpdateItem of its task', req('UpdateItem', [taskKey('acme', 't1').PK])],
    ['DeleteItem of its task', req('DeleteItem', [taskKey('acme', 't1').PK])],
    ['BatchWriteItem of its tasks', req('BatchWriteItem', [taskKey('acme', 't1').PK, taskKey('acme', 't2').PK])],
    ['ConditionCheckItem (in TransactWriteItems) of its task', req('ConditionCheckItem', [taskKey('acme', 't1').PK])],
    ['Query of its project shard on byProjectDueDate', req('Query', [projectShardKey('acme', 'p1', 3)], { resource: byProject })],
    ['Query of its user on byAssigneeStatus', req('Query', [assigneeKey('acme', 'u1')], { resource: byAssignee })],
  ])('own tenant allowed: %s', async (_name, request) => {
    expect(await simulate(statements, request)).toBe('Allowed');
  });

  test.each<[string, SimulatedRequest]>([
    ['GetItem of another tenant\'s task', req('GetItem', [taskKey('globex', 't1').PK])],
    ['GetItem of a prefix-confusable tenant\'s task (acmecorp)', req('GetItem', [taskKey('acmecorp', 't1').PK])],
    ['PutItem into another tenant', req('PutItem', [taskKey('globex', 't1').PK])],
    ['UpdateItem of another tenant\'s counter', req('UpdateItem', [counterKey('globex', 'p1').PK])],
    ['BatchGetItem mixing tenants', req('BatchGetItem', [taskKey('acme', 't1').PK, taskKey('globex', 't1').PK])],
    ['BatchWriteItem mixing in acmecorp', req('BatchWriteItem', [taskKey('acme', 't1').PK, taskKey('acmecorp', 't1').PK])],
    ['Query of another tenant\'s project', req('Query', [projectShardKey('globex', 'p1', 0)], { resource: byProject })],
    ['Query of acmecorp\'s user', req('Query', [assigneeKey('acmecorp', 'u1')], { resource: byAssignee })],
    ['Scan of the table', req('Scan')],
    ['Scan of byProjectDueDate', req('Scan', undefined, { resource: byProject })],
    ['PartiQL full scan', req('PartiQLSelect')],
    ['PartiQL update of its own task', req('PartiQLUpdate', [taskKey('acme', 't1').PK])],
    ['an untagged principal', req('GetItem', [taskKey('acme', 't1').PK], { principalTags: {} })],
    ['a tenant id holding the delimiter', req('GetItem', [taskKey('acme', 't1').PK], { principalTags: { tenantId: 'acme#TASK' } })],
  ])('denied: %s', async (_name, request) => {
    expect(await simulate(statements, request)).toBe('ImplicitlyDenied');
  });
});
