import {
  _Record as StreamRecord,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';

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
