/*
 * The layout of the parked-records table (partition key `pk`, sort key `sk`, both strings) that
 * TableStreamConsumer creates and names in PARKED_RECORDS_TABLE_NAME.
 *
 *   parked record   pk = key#<item key>       sk = record#<sequence number, 40 digits>   record (the full stream record, JSON), ...
 *   parked key      pk = parked-keys          sk = <item key>                             parkedCount (records of the key still parked)
 *   failed attempts pk = attempts#<event id>  sk = attempts                               attempts, lastError, expiration
 *
 * A key's parked records sort in stream order, so one Query reads them in the order they must be replayed.
 * The parked keys share one partition, so one Query per batch tells which keys of the batch must wait (it
 * is empty unless something is parked), and a redrive finds every parked key without a Scan.
 */
import type { DynamoDBRecord } from 'aws-lambda';

/** The environment variable TableStreamConsumer sets to the parked-records table name. */
export const PARKED_RECORDS_TABLE_ENV = 'PARKED_RECORDS_TABLE_NAME';
/** The CloudWatch namespace of the runtime's metrics. */
export const METRICS_NAMESPACE = 'CdkDynamoDBBlueprints';
/** The metric counting records parked (Count, dimension `FunctionName`). */
export const PARKED_RECORDS_METRIC = 'ParkedRecords';

/** Stream sequence numbers are decimal strings of up to 40 digits; padded, they sort as numbers. */
const SEQUENCE_DIGITS = 40;

/** The partition of the parked keys. */
export const PARKED_KEYS_PK = 'parked-keys';
const RECORD_SK_PREFIX = 'record#';

/** The item key of a stream record (its `Keys`, partition and sort key), as a string that does not depend on attribute order. */
export function itemKeyOf(record: Pick<DynamoDBRecord, 'dynamodb'>): string {
  const keys = record.dynamodb?.Keys ?? {};
  return JSON.stringify(Object.keys(keys).sort().map((name) => [name, keys[name]]));
}

/** The partition key of a stream item key's parked items. */
export function parkedKeyPk(itemKey: string): string {
  return `key#${itemKey}`;
}

/** The sort key of a parked record. */
export function parkedRecordSk(sequenceNumber: string): string {
  return `${RECORD_SK_PREFIX}${sequenceNumber.padStart(SEQUENCE_DIGITS, '0')}`;
}

export { RECORD_SK_PREFIX };

/** The key of the item counting a record's failed attempts. */
export function attemptsKey(record: DynamoDBRecord): { pk: string; sk: string } {
  return { pk: `attempts#${record.eventID ?? record.dynamodb?.SequenceNumber}`, sk: 'attempts' };
}

/** A parked record as it is stored. */
export interface ParkedRecordItem {
  readonly pk: string;
  readonly sk: string;
  /** The stream item key (its `Keys`), as JSON. */
  readonly itemKey: string;
  readonly sequenceNumber: string;
  readonly eventID: string;
  readonly eventName?: string;
  /** The id of the record's marker (state PARKED until a redrive applies it). */
  readonly markerId: string;
  /** The full stream record, as JSON: the on-failure destination of an event source mapping gets only its position. */
  readonly record: string;
  /** Why it was parked: its own error, or the earlier parked record of its key it waits behind. */
  readonly reason: string;
  /** Failed attempts of the record itself (0 for a record parked behind an earlier one). */
  readonly attempts: number;
  /** ISO 8601. */
  readonly parkedAt: string;
}
