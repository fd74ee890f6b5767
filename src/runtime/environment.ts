/*
 * The environment variables TableStreamConsumer sets on its handler and the runtime's handlers read, defined
 * once for the runtime package. The construct library names the same variables as static members of
 * TableStreamConsumer; test/streams/handler-environment.test.ts keeps the two packages in step.
 */

/** The environment variable TableStreamConsumer sets to the idempotency table, which holds the records' markers. */
export const IDEMPOTENCY_TABLE_ENV = 'IDEMPOTENCY_TABLE_NAME';

/** The environment variable TableStreamConsumer sets to the consumer's stable identity, which names its markers and parked records. */
export const CONSUMER_ID_ENV = 'STREAM_CONSUMER_ID';
