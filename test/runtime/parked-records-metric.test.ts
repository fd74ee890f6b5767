import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { TableStreamConsumer } from '../../src';
import { parkedRecordsEmf } from '../../src/runtime/record-parking';

// The runtime writes the ParkedRecords metric itself; Powertools Metrics, set up as the runtime used it, is the oracle.
test('the ParkedRecords line is the embedded metric format Powertools Metrics writes for the same metric', () => {
  const metrics = new Metrics({ namespace: TableStreamConsumer.METRIC_NAMESPACE, serviceName: 'stream-consumer' });
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ FunctionName: 'OpenTaskCounter' });
  metrics.addMetric(TableStreamConsumer.PARKED_RECORDS_METRIC_NAME, MetricUnit.Count, 3);
  const powertools = metrics.serializeMetrics() as any;

  const ours = JSON.parse(parkedRecordsEmf(3, 'OpenTaskCounter', powertools._aws.Timestamp));
  expect(ours).toEqual(powertools);
});

test('it is the metric the consumer alarms on: its namespace, its name, the FunctionName dimension', () => {
  const line = JSON.parse(parkedRecordsEmf(2, 'fn', 0));
  const [directive] = line._aws.CloudWatchMetrics;
  expect(directive.Namespace).toBe(TableStreamConsumer.METRIC_NAMESPACE);
  expect(directive.Metrics).toEqual([{ Name: TableStreamConsumer.PARKED_RECORDS_METRIC_NAME, Unit: 'Count' }]);
  expect(directive.Dimensions).toEqual([['FunctionName']]);
  expect(line.FunctionName).toBe('fn');
  expect(line[TableStreamConsumer.PARKED_RECORDS_METRIC_NAME]).toBe(2);
});
