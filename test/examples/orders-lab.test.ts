import * as fs from 'fs';
import * as path from 'path';
import { TableDefinitions } from '../../src';
import { listExamples, synthExample } from '../../tools/examples';

const { assembly } = synthExample(listExamples().find((e) => e.name === 'orders-lab')!);
const report = fs.readFileSync(path.join(assembly.directory, 'OrdersLab.LabOrders.access-patterns.md'), 'utf8');

test('the lab table, with a sharded by-status index, TTL and a stream', () => {
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

test('the access-pattern report lists every pattern, with byStatus read as one Query per write shard', () => {
  for (const pattern of ['getOrder', 'ordersByCustomer', 'ordersOfMonth', 'ordersByStatus', 'orderById']) {
    expect(report).toMatch(new RegExp(`^\\| ${pattern} \\|`, 'm'));
  }
  expect(report).toMatch(/^\| ordersByStatus \| byStatus \| Query x 10 shards \|/m);
});

test('7,500 WCU/s at peak on the busiest status justify its 10 write shards of byStatus (9 would carry 833 each)', () => {
  const stack = assembly.getStackByName('OrdersLab');
  expect(stack.messages.filter((m) => String(m.entry.data).includes('Heat forecast'))).toEqual([]);
  // 2,500 writes/s x peak 5 x 60% x 1 WCU (200 B) = 7,500; / 10 shards = 750 <= 800; ceil(7,500 / 800) = 10.
  expect(report).toContain('| GSI byStatus | `GSI1PK` | 18 | 7,500 | 10 | 6 | 750 | 10 | OK |');
  // The busiest customer: 0.1% of 12,500 writes/s = 12.5 WCU/s.
  expect(report).toContain('| table | `PK` | 15.75 | 12.5 | 1 | 15.75 | 12.5 | 1 | OK |');
});
