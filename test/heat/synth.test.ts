import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { BlueprintTable, HeatForecast, IndexProjection, KeyDistribution, TimeBucket } from '../../src';
import { TEST_ENV, testApp } from '../util';

/** A table keyed by day, with an index by status: the two classic hot keys. */
function events(context?: Record<string, unknown>) {
  const app = testApp();
  if (context) {
    Object.entries(context).forEach(([k, v]) => app.node.setContext(k, v));
  }
  const stack = new Stack(app, 'Events', { env: TEST_ENV });
  const table = new BlueprintTable(stack, 'Events', {
    partitionKey: { name: 'day', type: AttributeType.STRING },
    sortKey: { name: 'eventId', type: AttributeType.STRING },
    blueprintGlobalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
  });
  return { app, stack, table };
}

function synthError(fn: () => unknown): string {
  try {
    fn();
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

test('a warning above the utilization: 850 writes/s on today is 850 WCU/s > 800, and the report shows it', () => {
  const { app, stack, table } = events();
  table.addWriteTraffic({ name: 'logEvent', traffic: { requestsPerSecond: 850, distribution: KeyDistribution.timeBucket(TimeBucket.DAY) } });
  const assembly = app.synth();
  Annotations.fromStack(stack).hasWarning('/Events/Events', Match.stringLikeRegexp(
    'Heat forecast: the hottest value of day on the table takes 850 write units per second at peak, above 80% of the 1,000 one partition serves \\(800\\)\\. Fix: write-shard day into 2 values',
  ));
  const report = fs.readFileSync(path.join(assembly.directory, 'Events.Events.access-patterns.md'), 'utf8');
  expect(report).toContain('## Heat forecast');
  expect(report).toContain('| table | `day` | 0 | 850 | 1 | 0 | 850 | 2 | WARNING |');
  expect(report).toContain('| GSI byStatus | `status` | 0 | 0 | 1 | 0 | 0 | 1 | no traffic declared |');
  expect(report).toContain('xychart-beta');
  expect(report).toMatch(/bar \[850, 0\]\n {2}line \[800, 800\]\n {2}line \[1000, 1000\]/);
});

test('an error above the hard limit fails synthesis: 1,500 writes/s x 80% to one status of a KEYS_ONLY index = 1,200 WCU/s', () => {
  const { app, table } = events();
  table.addWriteTraffic({
    name: 'logEvent',
    traffic: { requestsPerSecond: 1500, distribution: KeyDistribution.uniform(1) },
    indexes: [{ indexName: 'byStatus', distribution: KeyDistribution.hottestShare(0.8, 3) }],
  });
  const message = synthError(() => app.synth());
  // The table key takes 1,500 too; both are reported at once.
  expect(message).toMatch(/the hottest value of day on the table takes 1,500 write units per second at peak, above the 1,000 one partition serves/);
  expect(message).toMatch(/status on global secondary index byStatus takes 1,200 write units per second at peak.*write-shard status into 2 values/);
});

test('the utilization comes from the context: at 0.9, 850 WCU/s is under 900 and nothing is reported', () => {
  const { app, stack, table } = events({ [HeatForecast.UTILIZATION_CONTEXT_KEY]: 0.9 });
  table.addWriteTraffic({ name: 'logEvent', traffic: { requestsPerSecond: 850, distribution: KeyDistribution.timeBucket(TimeBucket.DAY) } });
  app.synth();
  Annotations.fromStack(stack).hasNoWarning('/Events/Events', Match.stringLikeRegexp('Heat forecast'));
});

test('a utilization in the context outside (0, 1] fails synthesis, naming the key', () => {
  const { app, table } = events({ [HeatForecast.UTILIZATION_CONTEXT_KEY]: 80 });
  table.addWriteTraffic({ name: 'logEvent', traffic: { requestsPerSecond: 1, distribution: KeyDistribution.timeBucket(TimeBucket.DAY) } });
  expect(synthError(() => app.synth())).toMatch(/Context `@cdk-dynamodb-blueprints\/heat:utilization` is 80: it is the share of a partition's limits a key value may use, above 0 and at most 1/);
});

test('bad declarations fail where they are made, naming the prop, the value and the fix', () => {
  const { table } = events();
  expect(() => table.addAccessPattern({ name: 'today', partitionKey: 'day', traffic: { requestsPerSecond: -5, distribution: KeyDistribution.uniform(1) } }))
    .toThrow(/`traffic` of access pattern 'today': `requestsPerSecond` is -5/);
  expect(() => table.addWriteTraffic({ name: 'w', traffic: { requestsPerSecond: 1, distribution: KeyDistribution.uniform(1) }, partitionKeyShards: 0 }))
    .toThrow(/write traffic 'w': `partitionKeyShards` is 0: it must be a whole number of write shards from 1 to 1000/);
  expect(() => table.addWriteTraffic({ name: 'w', traffic: { requestsPerSecond: 1, distribution: KeyDistribution.uniform(1) }, itemSizeBytes: 500_000 }))
    .toThrow(/write traffic 'w': `itemSizeBytes` is 500000 bytes/);
  table.addWriteTraffic({ name: 'w', traffic: { requestsPerSecond: 1, distribution: KeyDistribution.uniform(1) } });
  expect(() => table.addWriteTraffic({ name: 'w', traffic: { requestsPerSecond: 1, distribution: KeyDistribution.uniform(1) } }))
    .toThrow(/`name` is 'w', which this table already declares/);
});
