import { TableDefinitions } from '../src';
import { listExamples, synthExample } from '../tools/examples';

const examples = listExamples();

test('the examples include the orders lab and the global table', () => {
  expect(examples.map((e) => e.name)).toEqual(expect.arrayContaining(['global-orders', 'orders-lab']));
});

describe.each(examples.map((e) => [e.name, e]))('examples/%s', (_name, example) => {
  test('synthesizes, and every stack matches its snapshot', () => {
    const { assembly } = synthExample(example);
    expect(assembly.stacks.length).toBeGreaterThan(0);
    for (const stack of assembly.stacks) {
      const template = JSON.parse(JSON.stringify(stack.template));
      delete template.Mappings?.LatestNodeRuntimeMap;
      expect(template).toMatchSnapshot(stack.stackName);
    }
  });
});

test('orders-lab: the lab table, with a sharded by-status index, TTL and a stream', () => {
  const { assembly } = synthExample(examples.find((e) => e.name === 'orders-lab')!);
  const [table] = TableDefinitions.fromTemplate(assembly.getStackByName('OrdersLab').template);
  expect(table.partitionKey).toEqual({ name: 'PK', type: 'S' });
  expect(table.sortKey).toEqual({ name: 'SK', type: 'S' });
  expect(table.globalSecondaryIndexes.map((i) => [i.indexName, i.partitionKey.name, i.projectionType])).toEqual([
    ['byStatus', 'GSI1PK', 'INCLUDE'],
    ['byOrderId', 'GSI2PK', 'KEYS_ONLY'],
  ]);
  expect(table.timeToLiveAttribute).toBe('expiresAt');
  expect(table.streamViewType).toBe('NEW_AND_OLD_IMAGES');
});

test('global-orders: replicas in two more regions, each with its own key and every protection', () => {
  const { assembly } = synthExample(examples.find((e) => e.name === 'global-orders')!);
  const [table] = TableDefinitions.fromTemplate(assembly.getStackByName('GlobalOrders').template);
  expect(table.replicas.map((r) => r.region).sort()).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
  for (const replica of table.replicas) {
    expect(replica).toMatchObject({ pointInTimeRecovery: true, deletionProtection: true, contributorInsights: true });
    expect(replica.kmsKey).toBeDefined();
  }
  expect(table.billingMode).toBe('PROVISIONED');
  expect(table.writeCapacity).toEqual({ autoscaled: true, minCapacity: 10, maxCapacity: 1000, targetUtilizationPercent: 60 });
});
