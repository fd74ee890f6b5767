import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { TableDefinitions } from '../../src';
import { listExamples, synthExample } from '../../tools/examples';

const example = listExamples().find((e) => e.name === 'task-tracker')!;

test('passes AwsSolutions, NIST 800-53 R5 and HIPAA Security with every finding fixed or acknowledged', () => {
  // Synthesis fails on any unacknowledged finding of a registered pack.
  const { app } = synthExample(example, {
    configure: (a) => Validations.of(a).addPlugins(new AwsSolutionsChecks(a), new NIST80053R5Checks(a), new HIPAASecurityChecks(a)),
  });
  for (const pack of [new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app)]) {
    expect(pack.validateScope(app).violations.map((v) => v.ruleName)).toEqual([]);
  }
});

test('the tasks table: composite key, two INCLUDE indexes projecting exactly what the queries return, TTL, old and new images', () => {
  const { assembly } = synthExample(example);
  const tables = TableDefinitions.fromTemplate(assembly.getStackByName('TaskTracker').template);
  const tasks = tables.find((t) => t.logicalId.startsWith('Tasks'))!;
  expect([tasks.partitionKey.name, tasks.sortKey?.name]).toEqual(['PK', 'SK']);
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
