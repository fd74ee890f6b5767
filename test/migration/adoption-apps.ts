import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, StreamViewType, Table, TableEncryption, TableEncryptionV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BlueprintTable, IndexProjection } from '../../src';

const S = AttributeType.STRING;

/** What reads the table in both versions: a role granted read/write, a stream consumer, an output. */
function consumers(stack: Stack, table: Table | BlueprintTable): void {
  const role = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  table.grantReadWriteData(role);
  new lambda.CfnEventSourceMapping(stack, 'Consumer', { functionName: 'orders-consumer', eventSourceArn: table.tableStreamArn!, startingPosition: 'LATEST' });
  new CfnOutput(stack, 'OrdersTableName', { value: table.tableName });
}

/** A v1-style app: `Table` with a GSI, an LSI, a stream, TTL, a customer-managed key, RETAIN. */
export function v1(stack: Stack): void {
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const table = new Table(stack, 'Orders', {
    tableName: 'orders',
    partitionKey: { name: 'PK', type: S },
    sortKey: { name: 'SK', type: S },
    stream: StreamViewType.NEW_IMAGE,
    timeToLiveAttribute: 'expiresAt',
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  table.addGlobalSecondaryIndex({ indexName: 'byStatus', partitionKey: { name: 'status', type: S }, sortKey: { name: 'createdAt', type: S } });
  table.addLocalSecondaryIndex({ indexName: 'byTotal', sortKey: { name: 'total', type: AttributeType.NUMBER } });
  consumers(stack, table);
}

/** The same table as a BlueprintTable, with the same name, key and indexes; `id` is its construct id. */
export function blueprint(id: string, overrides: { lsiSortKey?: string } = {}) {
  return (stack: Stack): void => {
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const table = new BlueprintTable(stack, id, {
      tableName: 'orders',
      partitionKey: { name: 'PK', type: S },
      sortKey: { name: 'SK', type: S },
      dynamoStream: StreamViewType.NEW_IMAGE,
      timeToLiveAttribute: 'expiresAt',
      encryption: TableEncryptionV2.customerManagedKey(key),
      blueprintGlobalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: S }, sortKey: { name: 'createdAt', type: S }, projection: IndexProjection.all() }],
      blueprintLocalSecondaryIndexes: [{ indexName: 'byTotal', sortKey: { name: overrides.lsiSortKey ?? 'total', type: AttributeType.NUMBER }, projection: IndexProjection.all() }],
    });
    consumers(stack, table);
  };
}

