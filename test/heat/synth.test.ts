import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AttributeType, TableClass } from 'aws-cdk-lib/aws-dynamodb';
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

describe('the table class at the declared traffic', () => {
  /*
   * 850 writes/s of 1 KB on an on-demand table: 850 WRU/s x 2,628,000 s = 2,233.8 million WRU a month:
   * USD 1,396.13 on Standard (0.625 per million), USD 1,745.16 on Standard-IA (0.78125): USD 349.03 more,
   * paid back at 0.25 - 0.10 = USD 0.15 a GB-month (PITR costs the same) above 349.03 / 0.15 = 2,326.9 GB.
   */
  test('the report prices reads and writes on both classes and gives the storage at which Standard-IA pays', () => {
    const { app, table } = events();
    table.addWriteTraffic({ name: 'logEvent', traffic: { requestsPerSecond: 850, distribution: KeyDistribution.timeBucket(TimeBucket.DAY) } });
    const report = fs.readFileSync(path.join(app.synth().directory, 'Events.Events.access-patterns.md'), 'utf8');
    expect(report).toContain('## Table class');
    expect(report).toMatch(/reads and writes cost USD 1,396\.1\d a month on Standard and USD 1,745\.1\d on Standard-IA/);
    expect(report).toMatch(/pays the difference back above 2,?32[67]\.\d GB of table and index data; below it, Standard costs less\. This table is Standard\./);
  });

  test('a Standard-IA table whose declared traffic makes it costlier gets a synth warning that says by how much', () => {
    const app = testApp();
    const stack = new Stack(app, 'Events', { env: TEST_ENV });
    const table = new BlueprintTable(stack, 'Events', {
      partitionKey: { name: 'day', type: AttributeType.STRING },
      sortKey: { name: 'eventId', type: AttributeType.STRING },
      tableClass: TableClass.STANDARD_INFREQUENT_ACCESS,
    });
    table.addWriteTraffic({ name: 'logEvent', traffic: { requestsPerSecond: 850, distribution: KeyDistribution.timeBucket(TimeBucket.DAY) } });
    app.synth();
    Annotations.fromStack(stack).hasWarning('/Events/Events', Match.stringLikeRegexp(
      '`tableClass` is STANDARD_INFREQUENT_ACCESS: its reads and writes cost USD 349\\.0\\d a month more than on Standard .* paid back only above 2,?32[67]\\.\\d GB',
    ));
  });

  test('a Standard table gets no table-class warning', () => {
    const { app, stack, table } = events();
    table.addWriteTraffic({ name: 'logEvent', traffic: { requestsPerSecond: 10, distribution: KeyDistribution.uniform(1000) } });
    app.synth();
    Annotations.fromStack(stack).hasNoWarning('/Events/Events', Match.stringLikeRegexp('tableClass'));
  });
});
