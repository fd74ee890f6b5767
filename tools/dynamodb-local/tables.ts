import {
  CreateTableCommand,
  CreateTableCommandInput,
  DynamoDBClient,
  GlobalSecondaryIndex,
  LocalSecondaryIndex,
  Projection,
  ProvisionedThroughput,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CapacityDefinition, IndexDefinition, TableDefinition } from '../../src/model/table-definition';
import { TableDefinitions } from '../../src/model/table-definitions';
import { requirePartitionKey } from '../../src/model/table-keys';

/** A table created in DynamoDB Local from a template resource. */
export interface LocalTable {
  /** The logical id of the template resource. */
  readonly logicalId: string;
  /** The table's name in DynamoDB Local. */
  readonly tableName: string;
  /** The stream ARN, when the template enables a stream. */
  readonly streamArn?: string;
  /** The definition the table was created from. */
  readonly definition: TableDefinition;
}

/** Options for `createTablesFromTemplate`. */
export interface CreateTablesOptions {
  /** Prepended to every table name, to keep several runs apart in one DynamoDB Local. @default '' */
  readonly tableNamePrefix?: string;
}

/**
 * Creates, in DynamoDB Local, every `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable` of a synthesized
 * template: keys, global and local secondary indexes with their projections, the stream and TTL, exactly as
 * the template declares them (read with `TableDefinitions.fromTemplate`). A table without a literal name
 * is named after its logical id.
 *
 * Settings DynamoDB Local ignores or does not support (encryption, PITR, deletion protection, replicas)
 * are not applied.
 */
export async function createTablesFromTemplate(client: DynamoDBClient, template: any, options: CreateTablesOptions = {}): Promise<LocalTable[]> {
  const result: LocalTable[] = [];
  for (const definition of TableDefinitions.fromTemplate(template)) {
    const tableName = `${options.tableNamePrefix ?? ''}${definition.tableName ?? definition.logicalId}`;
    const created = await client.send(new CreateTableCommand(createTableInput(definition, tableName)));
    if (definition.timeToLiveAttribute !== undefined) {
      await client.send(new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
      }));
    }
    result.push({ logicalId: definition.logicalId, tableName, streamArn: created.TableDescription?.LatestStreamArn, definition });
  }
  return result;
}

/** The `CreateTable` request for a definition. */
export function createTableInput(definition: TableDefinition, tableName: string): CreateTableCommandInput {
  const provisioned = definition.billingMode === 'PROVISIONED';
  const keySchema = (pk: { name: string }, sk?: { name: string }) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  const projection = (index: IndexDefinition): Projection => ({
    ProjectionType: index.projectionType as Projection['ProjectionType'],
    NonKeyAttributes: index.projectionType === 'INCLUDE' ? index.nonKeyAttributes : undefined,
  });
  const gsis: GlobalSecondaryIndex[] = definition.globalSecondaryIndexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: projection(index),
    ProvisionedThroughput: provisioned
      ? throughput(index.readCapacity ?? definition.readCapacity, index.writeCapacity ?? definition.writeCapacity)
      : undefined,
  }));
  const lsis: LocalSecondaryIndex[] = definition.localSecondaryIndexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: projection(index),
  }));
  return {
    TableName: tableName,
    AttributeDefinitions: definition.attributeDefinitions.map((a) => ({
      AttributeName: a.name,
      AttributeType: a.type as 'S' | 'N' | 'B',
    })),
    KeySchema: keySchema(requirePartitionKey(definition, 'DynamoDB Local'), definition.sortKey),
    BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
    ProvisionedThroughput: provisioned ? throughput(definition.readCapacity, definition.writeCapacity) : undefined,
    GlobalSecondaryIndexes: gsis.length > 0 ? gsis : undefined,
    LocalSecondaryIndexes: lsis.length > 0 ? lsis : undefined,
    StreamSpecification: definition.streamViewType
      ? { StreamEnabled: true, StreamViewType: definition.streamViewType as 'NEW_AND_OLD_IMAGES' }
      : undefined,
  };
}

function throughput(read: CapacityDefinition | undefined, write: CapacityDefinition | undefined): ProvisionedThroughput {
  const units = (c: CapacityDefinition | undefined) => c?.fixedUnits ?? c?.minCapacity ?? 5;
  return { ReadCapacityUnits: units(read), WriteCapacityUnits: units(write) };
}
