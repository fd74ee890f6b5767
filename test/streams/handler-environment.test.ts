import { TableStreamConsumer } from '../../src';
import * as powertoolsHandler from 'cdk-dynamodb-blueprints-runtime/stream-handler';
import * as transactionalHandler from 'cdk-dynamodb-blueprints-runtime/transactional-stream-handler';

// The construct library and the runtime package are built and installed separately: the construct sets
// what the handler reads, so each name TableStreamConsumer publishes must equal the runtime's.
describe('TableStreamConsumer and the runtime package agree on', () => {
  test('the idempotency table variable, for both handlers', () => {
    expect(transactionalHandler.IDEMPOTENCY_TABLE_ENV).toBe(TableStreamConsumer.IDEMPOTENCY_TABLE_ENVIRONMENT_VARIABLE);
    expect(powertoolsHandler.IDEMPOTENCY_TABLE_ENV).toBe(TableStreamConsumer.IDEMPOTENCY_TABLE_ENVIRONMENT_VARIABLE);
    expect(TableStreamConsumer.IDEMPOTENCY_TABLE_ENVIRONMENT_VARIABLE).toBe('IDEMPOTENCY_TABLE_NAME');
  });

  test('the parked-records table variable', () => {
    expect(transactionalHandler.PARKED_RECORDS_TABLE_ENV).toBe(TableStreamConsumer.PARKED_RECORDS_TABLE_ENVIRONMENT_VARIABLE);
  });

  test('the consumer identity variable', () => {
    expect(transactionalHandler.CONSUMER_ID_ENV).toBe(TableStreamConsumer.CONSUMER_ID_ENVIRONMENT_VARIABLE);
  });

  test('the parked-records metric the alarm watches', () => {
    expect(transactionalHandler.METRICS_NAMESPACE).toBe(TableStreamConsumer.METRIC_NAMESPACE);
    expect(transactionalHandler.PARKED_RECORDS_METRIC).toBe(TableStreamConsumer.PARKED_RECORDS_METRIC_NAME);
  });
});
