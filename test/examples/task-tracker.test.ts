import * as fs from 'fs';
import * as path from 'path';
import { TableDefinitions } from '../../src';
import { listExamples, synthExample } from '../../tools/examples';

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
