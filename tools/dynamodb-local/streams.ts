import {
  _Record as StreamRecord,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/** A shard's records, in the shape Lambda gives a function. */
export interface ShardRecords {
  readonly shardId: string;
  readonly records: DynamoDBRecord[];
}

/** Options of `readStream`. */
export interface ReadStreamOptions {
  /** Only records after this sequence number (per shard), to read what is new since the last read. @default - from TRIM_HORIZON */
  readonly after?: Map<string, string>;
  /** The most GetRecords calls per shard. @default 1000 */
  readonly maxCalls?: number;
}

/**
 * Reads every record of a stream, shard by shard, with the DynamoDB Streams API, and converts each into
 * the record shape of a Lambda DynamoDB stream event (`eventSourceARN`, epoch-second creation time,
 * base64 binary values).
 */
export async function readStream(client: DynamoDBStreamsClient, streamArn: string, options: ReadStreamOptions = {}): Promise<ShardRecords[]> {
  const description = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const region = streamArn.split(':')[3];
  const result: ShardRecords[] = [];
  for (const shard of description.StreamDescription?.Shards ?? []) {
    const after = options.after?.get(shard.ShardId!);
    const { ShardIterator } = await client.send(new GetShardIteratorCommand({
      StreamArn: streamArn,
      ShardId: shard.ShardId!,
      ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
    }));
    const records: DynamoDBRecord[] = [];
    let iterator = ShardIterator;
    // An open shard always returns a next iterator: stop at the first empty page.
    for (let calls = 0; iterator && calls < (options.maxCalls ?? 1000); calls++) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      records.push(...(page.Records ?? []).map((r) => toLambdaRecord(r, streamArn, region)));
      if ((page.Records ?? []).length === 0) {
        break;
      }
      iterator = page.NextShardIterator;
    }
    result.push({ shardId: shard.ShardId!, records });
  }
  return result;
}

/** The last sequence number of each shard, to pass as `after` to the next `readStream`. */
export function lastSequenceNumbers(shards: ShardRecords[], previous?: Map<string, string>): Map<string, string> {
  const result = new Map(previous ?? []);
  for (const shard of shards) {
    const last = shard.records[shard.records.length - 1]?.dynamodb?.SequenceNumber;
    if (last) {
      result.set(shard.shardId, last);
    }
  }
  return result;
}

function toLambdaRecord(r: StreamRecord, streamArn: string, region: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  return {
    eventID: r.eventID,
    eventName: r.eventName as DynamoDBRecord['eventName'],
    eventVersion: r.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: r.awsRegion ?? region,
    eventSourceARN: streamArn,
    userIdentity: r.userIdentity,
    dynamodb: {
      ApproximateCreationDateTime: d.ApproximateCreationDateTime ? Math.floor(d.ApproximateCreationDateTime.getTime() / 1000) : undefined,
      Keys: toJson(d.Keys),
      NewImage: toJson(d.NewImage),
      OldImage: toJson(d.OldImage),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType,
    },
  };
}

/** Attribute values as Lambda's JSON has them: Uint8Array becomes base64. */
function toJson(value: any): any {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (value instanceof Uint8Array) {
    return Buffer.from(value).toString('base64');
  }
  if (Array.isArray(value)) {
    return value.map(toJson);
  }
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

/** A handler in the Lambda signature. */
export type StreamFunction = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

/** Settings of the modelled event source mapping, as `StreamConsumer` renders them. */
export interface MappingSettings {
  readonly batchSize: number;
  readonly bisectBatchOnError: boolean;
  readonly retryAttempts: number;
}

/** What the mapping sends to its on-failure destination: where the given-up records are in the stream. */
export interface OnFailureRecord {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly batchSize: number;
  readonly condition: 'RetryAttemptsExhausted';
}

/** One invocation of the function. */
export interface Invocation {
  readonly size: number;
  readonly firstSequenceNumber: string;
  readonly outcome: 'success' | 'partial' | 'error';
  readonly failedRecords: number;
}

/**
 * A model of a Lambda event source mapping on a DynamoDB stream with `ReportBatchItemFailures`, for tests
 * and demos on DynamoDB Local. Per shard, in order: an invocation that reports failed records is retried
 * from the lowest failed sequence number; one that throws is split in two (bisect) and each half retried;
 * every retry counts against `retryAttempts`, after which the batch's position goes to the on-failure
 * destination and the shard moves on.
 */
export class LocalEventSourceMapping {
  public readonly invocations: Invocation[] = [];
  public readonly onFailure: OnFailureRecord[] = [];

  constructor(private readonly fn: StreamFunction, private readonly settings: MappingSettings, private readonly context: Context = fakeContext()) {}

  /** Delivers the records of one shard in batches, as the mapping would. */
  public async deliver(shard: ShardRecords): Promise<void> {
    for (let i = 0; i < shard.records.length; i += this.settings.batchSize) {
      await this.invoke(shard.shardId, shard.records.slice(i, i + this.settings.batchSize), 0);
    }
  }

  private async invoke(shardId: string, batch: DynamoDBRecord[], attempt: number): Promise<void> {
    if (batch.length === 0) {
      return;
    }
    const first = batch[0].dynamodb!.SequenceNumber!;
    let response: DynamoDBBatchResponse | void;
    try {
      response = await this.fn({ Records: batch }, this.context);
    } catch {
      this.invocations.push({ size: batch.length, firstSequenceNumber: first, outcome: 'error', failedRecords: batch.length });
      if (attempt >= this.settings.retryAttempts) {
        return this.giveUp(shardId, batch);
      }
      if (this.settings.bisectBatchOnError && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await this.invoke(shardId, batch.slice(0, half), attempt + 1);
        return this.invoke(shardId, batch.slice(half), attempt + 1);
      }
      return this.invoke(shardId, batch, attempt + 1);
    }
    const failures = (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
    this.invocations.push({ size: batch.length, firstSequenceNumber: first, outcome: failures.length ? 'partial' : 'success', failedRecords: failures.length });
    if (failures.length === 0) {
      return;
    }
    const checkpoint = failures.reduce((a, b) => (BigInt(a) < BigInt(b) ? a : b));
    const rest = batch.slice(batch.findIndex((r) => r.dynamodb!.SequenceNumber === checkpoint));
    if (attempt >= this.settings.retryAttempts) {
      return this.giveUp(shardId, rest);
    }
    return this.invoke(shardId, rest, attempt + 1);
  }

  private giveUp(shardId: string, batch: DynamoDBRecord[]): void {
    this.onFailure.push({
      shardId,
      startSequenceNumber: batch[0].dynamodb!.SequenceNumber!,
      endSequenceNumber: batch[batch.length - 1].dynamodb!.SequenceNumber!,
      batchSize: batch.length,
      condition: 'RetryAttemptsExhausted',
    });
  }
}

/** A Lambda context with a generous remaining time (idempotency reads it to expire in-progress records). */
export function fakeContext(functionName = 'stream-consumer'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: 'local',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
