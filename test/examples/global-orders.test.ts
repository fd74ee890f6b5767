import { TableDefinitions } from '../../src';
import { listExamples, synthExample } from '../../tools/examples';

test('replicas in two more regions, each with its own key and every protection', () => {
  const { assembly } = synthExample(listExamples().find((e) => e.name === 'global-orders')!);
  const [table] = TableDefinitions.fromTemplate(assembly.getStackByName('GlobalOrders').template);
  expect(table.replicas.map((r) => r.region).sort()).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
  for (const replica of table.replicas) {
    expect(replica).toMatchObject({ pointInTimeRecovery: true, deletionProtection: true, contributorInsights: true });
    expect(replica.kmsKey).toBeDefined();
  }
  expect(table.billingMode).toBe('PROVISIONED');
  expect(table.writeCapacity).toEqual({ autoscaled: true, minCapacity: 10, maxCapacity: 1000, targetUtilizationPercent: 60 });
});
