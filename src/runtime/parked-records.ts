/*
 * The layout of the parked-records table (partition key `pk`, sort key `sk`, both strings) that
 * TableStreamConsumer creates and names in PARKED_RECORDS_TABLE_NAME.
 *
 *   parked record   pk = <c>key#<item key>          sk = record#<sequence number, 40 digits>     the record's head: its fields, the body's first chunk
 *   body chunk      pk = <c>key#<item key>          sk = record#<sequence number>#<chunk, 3 digits>  the next chunks of the compressed body
 *   parked key      pk = <c>parked-keys             sk = <item key>                               parkedCount (records of the key still parked)
 *   failed attempts pk = <c>attempts#<event id>     sk = attempts                                 attempts, lastError, expiration
 *   invocations     pk = <c>invocations#<event id>  sk = invocations                              sizes (of each batch that started with the record), expiration
 *
 * `<c>` is the consumer's identity and `#` (empty for a layout without one), so consumers sharing the table
 * never read or move each other's items.
 *
 * A key's parked records sort in stream order, so one Query reads them in the order they must be replayed.
 * The parked keys share one partition, so one Query per batch tells which keys of the batch must wait (it
 * is empty unless something is parked), and a redrive finds every parked key without a Scan.
 */
import { gunzipSync, gzipSync } from 'zlib';
import type { DynamoDBRecord } from 'aws-lambda';

/** The environment variable TableStreamConsumer sets to the parked-records table name. */
export const PARKED_RECORDS_TABLE_ENV = 'PARKED_RECORDS_TABLE_NAME';
/** The CloudWatch namespace of the runtime's metrics. */
export const METRICS_NAMESPACE = 'CdkDynamoDBBlueprints';
/** The metric counting records parked (Count, dimension `FunctionName`). */
export const PARKED_RECORDS_METRIC = 'ParkedRecords';

/** Stream sequence numbers are decimal strings of up to 40 digits; padded, they sort as numbers. */
const SEQUENCE_DIGITS = 40;

/** The partition of the parked keys (of a layout without a consumer identity). */
export const PARKED_KEYS_PK = 'parked-keys';
const RECORD_SK_PREFIX = 'record#';

/**
 * The keys of one consumer's items in a parked-records table: every partition key starts with the consumer's
 * identity, so a redrive or a batch of one consumer never sees another's parked records, attempts or keys.
 */
export class ParkedRecordsLayout {
  private readonly prefix: string;

  /** @param consumerId the stable identity of the consumer; empty for the layout without one */
  constructor(public readonly consumerId: string) {
    this.prefix = consumerId ? `${consumerId}#` : '';
  }

  /** The partition of the consumer's parked keys. */
  public get parkedKeysPk(): string {
    return `${this.prefix}${PARKED_KEYS_PK}`;
  }

  /** The partition key of a stream item key's parked items. */
  public keyPk(itemKey: string): string {
    return `${this.prefix}${parkedKeyPk(itemKey)}`;
  }

  /** The key of the item counting a record's failed attempts. */
  public attemptsKey(record: DynamoDBRecord): { pk: string; sk: string } {
    const key = attemptsKey(record);
    return { pk: `${this.prefix}${key.pk}`, sk: key.sk };
  }

  /** The key of the item counting the invocations whose batch started with `record`. */
  public invocationsKey(record: DynamoDBRecord): { pk: string; sk: string } {
    return { pk: `${this.prefix}invocations#${record.eventID ?? record.dynamodb?.SequenceNumber}`, sk: 'invocations' };
  }
}

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

/**
 * The most bytes of a record kept in one item. A DynamoDB item holds at most 400 KB, and a stream record can
 * carry two images of a 400 KB item: a longer record is compressed (gzip) and, if still longer, split into
 * items of this size under its head item.
 */
export const PARKED_CHUNK_BYTES = 300_000;

/** How a record's body is kept: inline JSON (`record`), or compressed chunks (`body`, the head's and the chunk items'). */
export interface ParkedBody {
  /** The head item's body attributes. */
  readonly head: { readonly record: string } | { readonly body: Uint8Array; readonly encoding: 'gzip'; readonly chunks: number };
  /** The chunks after the first, in order. */
  readonly chunks: Uint8Array[];
}

/** A record's body as parked items: the JSON itself up to `PARKED_CHUNK_BYTES`, else gzip in chunks of that size. */
export function parkedBodyOf(record: DynamoDBRecord): ParkedBody {
  const json = JSON.stringify(record);
  if (Buffer.byteLength(json) <= PARKED_CHUNK_BYTES) {
    return { head: { record: json }, chunks: [] };
  }
  const zipped = gzipSync(json);
  const parts: Uint8Array[] = [];
  for (let at = 0; at < zipped.length; at += PARKED_CHUNK_BYTES) {
    parts.push(new Uint8Array(zipped.subarray(at, at + PARKED_CHUNK_BYTES)));
  }
  return { head: { body: parts[0], encoding: 'gzip', chunks: parts.length }, chunks: parts.slice(1) };
}

/** How many items a record parks as (its head and its chunks). */
export function parkedItemCount(record: DynamoDBRecord): number {
  const json = JSON.stringify(record);
  return Buffer.byteLength(json) <= PARKED_CHUNK_BYTES ? 1 : Math.ceil(gzipSync(json).length / PARKED_CHUNK_BYTES);
}

/** The sort key of a parked record's `index`th chunk (from 1). */
export function parkedChunkSk(sequenceNumber: string, index: number): string {
  return `${parkedRecordSk(sequenceNumber)}#${String(index).padStart(3, '0')}`;
}

/** A parked record read back: its head item and its chunk items. */
export interface ParkedEntry {
  readonly head: Record<string, unknown>;
  readonly chunks: Record<string, unknown>[];
}

/** Groups a key's parked items (in sort-key order: each head, then its chunks) into records. */
export function groupParkedItems(items: Record<string, unknown>[]): ParkedEntry[] {
  const entries: { head: Record<string, unknown>; chunks: Record<string, unknown>[] }[] = [];
  for (const item of items) {
    if (item.chunkOf !== undefined) {
      entries[entries.length - 1]?.chunks.push(item);
    } else {
      entries.push({ head: item, chunks: [] });
    }
  }
  return entries;
}

/** The stream record of a parked entry; fails when chunks are missing (never, as a record is parked in one transaction). */
export function recordOfParked(entry: ParkedEntry): DynamoDBRecord {
  const { head, chunks } = entry;
  if (typeof head.record === 'string') {
    return JSON.parse(head.record) as DynamoDBRecord;
  }
  const parts = [head.body, ...chunks.map((c) => c.body)] as Uint8Array[];
  if (parts.length !== Number(head.chunks) || parts.some((p) => !(p instanceof Uint8Array))) {
    throw new Error(`The parked record ${String(head.sequenceNumber)} has ${parts.length} of its ${String(head.chunks)} chunks.`);
  }
  return JSON.parse(gunzipSync(Buffer.concat(parts)).toString('utf8')) as DynamoDBRecord;
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
  /**
   * The full stream record, as JSON (up to `PARKED_CHUNK_BYTES`): the on-failure destination of an event
   * source mapping gets only its position. A longer record is in `body` (gzip) and its chunk items instead.
   */
  readonly record?: string;
  /** The first chunk of the compressed record, for a record longer than `PARKED_CHUNK_BYTES`. */
  readonly body?: Uint8Array;
  readonly encoding?: 'gzip';
  /** How many chunks the compressed record has, this item's included. */
  readonly chunks?: number;
  /** Why it was parked: its own error, or the earlier parked record of its key it waits behind. */
  readonly reason: string;
  /** Failed attempts of the record itself (0 for a record parked behind an earlier one). */
  readonly attempts: number;
  /** ISO 8601. */
  readonly parkedAt: string;
}
