/*
 * The options of the transactional stream handler, and the settings its parts share once the options are
 * resolved (tables, limits, clients, the marker and log helpers).
 */
// The handler's app installs and bundles these; the construct library must not depend on them.
/* eslint-disable import/no-extraneous-dependencies */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
/* eslint-enable import/no-extraneous-dependencies */
import type { Context, DynamoDBRecord } from 'aws-lambda';
import { Effects, KeySchemas } from './effects';
import { CONSUMER_ID_ENV, IDEMPOTENCY_TABLE_ENV } from './environment';
import { PARKED_RECORDS_TABLE_ENV, ParkedRecordsLayout } from './parked-records';
import { BackoffOptions } from './retry';

/**
 * States the DynamoDB writes one stream record causes, on `effects`; sends nothing itself. Throw to fail
 * the record. It may run more than once for a record (a retry, a redrive); only one run's writes are committed.
 */
export type RecordEffectsHandler = (record: DynamoDBRecord, effects: Effects, context: Context) => void | Promise<void>;

/** Options of `createTransactionalStreamHandler`. */
export interface TransactionalStreamHandlerOptions {
  /** The table of the records' idempotency markers (partition key `id`, TTL attribute `expiration`). @default process.env.IDEMPOTENCY_TABLE_NAME */
  readonly markerTableName?: string;
  /** The parked-records table (partition key `pk`, sort key `sk`). @default process.env.PARKED_RECORDS_TABLE_NAME */
  readonly parkedRecordsTableName?: string;
  /**
   * After this many failed attempts of one record (counted in the parked-records table, across
   * invocations), it is parked with every later record of its item key, and the shard goes on.
   * @default 3
   */
  readonly maxAttempts?: number;
  /** No transaction is started with less than this left of the invocation; the records not committed are reported as failures. @default 3000 */
  readonly safetyMarginMs?: number;
  /** How long a committed record's marker is kept. A stream keeps records 24 hours. @default 90000 (25 hours) */
  readonly markerExpiresAfterSeconds?: number;
  /**
   * The consumer's stable identity: it names the records' markers and the consumer's items in the
   * parked-records table, so consumers sharing the tables keep theirs apart, and a renamed or replaced
   * function keeps its markers (changing it re-applies the records still in the stream).
   * @default process.env.STREAM_CONSUMER_ID (TableStreamConsumer sets it); without it, the function name
   * names the markers and the parked records are not namespaced (the layout of earlier versions)
   */
  readonly consumerId?: string;
  /** Prefixed to markers, so consumers sharing a marker table keep theirs apart. @default - the consumer identity and `#` */
  readonly markerPrefix?: string;
  /**
   * The key attribute names of tables written with `put`, to tell which puts touch the same item. When not
   * given, learnt from the `Key` of other effects on the table; else puts of different items are taken to
   * write different items until DynamoDB refuses a transaction in which two of them write one item, and
   * then learnt from one `DescribeTable` per table per execution environment (`dynamodb:DescribeTable`,
   * which aws-cdk-lib's `grantWriteData` grants); a table that cannot be described then gets its puts
   * committed one record per transaction.
   * @default - learnt
   */
  readonly keyAttributeNames?: Record<string, string[]>;
  /** @default - a new client */
  readonly dynamoDBClient?: DynamoDBClient;
  /** Structured logs of failed and parked records. @default - a Powertools Logger, service `stream-consumer` */
  readonly logger?: Logger;
  /**
   * Publishes the `ParkedRecords` metric, instead of the runtime's own line of CloudWatch embedded metric format.
   * @default - one EMF line on stdout: namespace `CdkDynamoDBBlueprints`, dimension `FunctionName`
   */
  readonly metrics?: Metrics;
  readonly backoff?: BackoffOptions;
}

/** The resolved options, shared by the handler's batching, parking and redrive. */
export interface HandlerSettings {
  readonly statesEffects: RecordEffectsHandler;
  readonly markerTable: string;
  readonly parkedTable: string;
  readonly maxAttempts: number;
  readonly safetyMarginMs: number;
  readonly markerTtl: number;
  readonly layout: ParkedRecordsLayout;
  readonly markerPrefix: string;
  /** Key attribute names per table, sorted; grows as tables are learnt. */
  readonly keySchemas: KeySchemas;
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly backoff?: BackoffOptions;
  /** The region of the client (once per execution environment). */
  readonly regionOfClient: () => Promise<string | undefined>;
}

/** Checks the options and fills in their defaults; throws on a missing table or a value out of range. */
export function resolveSettings(statesEffects: RecordEffectsHandler, options: TransactionalStreamHandlerOptions): HandlerSettings {
  const markerTable = options.markerTableName ?? process.env[IDEMPOTENCY_TABLE_ENV];
  const parkedTable = options.parkedRecordsTableName ?? process.env[PARKED_RECORDS_TABLE_ENV];
  if (!markerTable) {
    throw new Error(`No marker table: set the ${IDEMPOTENCY_TABLE_ENV} environment variable (TableStreamConsumer does) or pass \`markerTableName\`.`);
  }
  if (!parkedTable) {
    throw new Error(`No parked-records table: set the ${PARKED_RECORDS_TABLE_ENV} environment variable (TableStreamConsumer does) or pass \`parkedRecordsTableName\`.`);
  }
  const maxAttempts = options.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`\`maxAttempts\` is ${options.maxAttempts}; it must be a whole number of at least 1.`);
  }
  const safetyMarginMs = options.safetyMarginMs ?? 3000;
  const markerTtl = options.markerExpiresAfterSeconds ?? 90_000;
  const consumerId = options.consumerId ?? process.env[CONSUMER_ID_ENV];
  if (consumerId !== undefined && (consumerId === '' || consumerId.includes('#'))) {
    throw new Error(`The consumer identity is '${consumerId}'; it must be non-empty and without '#': set \`consumerId\` or ${CONSUMER_ID_ENV} to a name such as 'OpenTaskCounter'.`);
  }
  const layout = new ParkedRecordsLayout(consumerId ?? '');
  const markerPrefix = options.markerPrefix ?? `${consumerId ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'stream-consumer'}#`;
  for (const [table, names] of Object.entries(options.keyAttributeNames ?? {})) {
    if (!Array.isArray(names) || names.length < 1 || names.length > 2 || names.some((n) => typeof n !== 'string' || n === '')) {
      throw new Error(`\`keyAttributeNames\` gives ${JSON.stringify(names)} for table '${table}'; give its partition key name, and its sort key name if it has one, `
        + `such as { '${table}': ['PK', 'SK'] }.`);
    }
  }
  const keySchemas: KeySchemas = new Map(Object.entries(options.keyAttributeNames ?? {}).map(([t, names]) => [t, [...names].sort()]));
  keySchemas.set(markerTable, ['id']);
  keySchemas.set(parkedTable, ['pk', 'sk']);
  const client = options.dynamoDBClient ?? new DynamoDBClient({});
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const logger = options.logger ?? new Logger({ serviceName: 'stream-consumer' });
  const metrics = options.metrics;

  let region: Promise<string | undefined> | undefined;
  const regionOfClient = () => {
    region ??= Promise.resolve().then(() => client.config.region()).catch(() => process.env.AWS_REGION);
    return region;
  };
  const backoff = options.backoff;
  return {
    statesEffects,
    markerTable,
    parkedTable,
    maxAttempts,
    safetyMarginMs,
    markerTtl,
    layout,
    markerPrefix,
    keySchemas,
    client,
    doc,
    logger,
    metrics,
    backoff,
    regionOfClient,
  };
}

/** The id of a record's marker. */
export function markerId(s: HandlerSettings, record: DynamoDBRecord): string {
  return `${s.markerPrefix}${record.eventID ?? record.dynamodb?.SequenceNumber}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The fields every log line about a record carries. */
export function logFields(work: { record: DynamoDBRecord; itemKey: string }, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    sequenceNumber: work.record.dynamodb?.SequenceNumber,
    eventID: work.record.eventID,
    itemKey: work.itemKey,
    ...extra,
  };
}

/** The time left before the safety margin of the invocation, as a function of now. */
export function deadlineOf(s: HandlerSettings, context: Context | undefined): () => number {
  const deadline = Date.now() + (context?.getRemainingTimeInMillis?.() ?? 900_000) - s.safetyMarginMs;
  return () => deadline - Date.now();
}
