/*
 * The README's stream-consumer handler, as the README writes it (test/runtime/docs-examples.test.ts keeps
 * the two identical), beside handlers doing the same writes without the transactional runtime: sent
 * directly with no guarantee (UpdateItem ADD + PutItem), or through Powertools idempotency.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
// eslint-disable-next-line import/order
import { createStreamHandler } from 'cdk-dynamodb-blueprints-runtime/stream-handler';

// README begin
import { createTransactionalStreamHandler } from 'cdk-dynamodb-blueprints-runtime/transactional-stream-handler';

export const handler = createTransactionalStreamHandler((record, effects) => {
  // Stated, not executed: committed with the record's idempotency marker in one TransactWriteItems.
  const { eventName, dynamodb, userIdentity } = record;
  const pk = dynamodb?.Keys?.PK?.S; // Keys come with INSERT, MODIFY and REMOVE; NewImage not with REMOVE
  const live = eventName === 'INSERT' ? 1 : eventName === 'REMOVE' ? -1 : 0;
  effects.add({ TableName: process.env.TABLE_NAME!, Key: { PK: `COUNT#${pk}` }, values: { changes: 1, live } });
  // A REMOVE by DynamoDB itself is a time-to-live expiry, not a user's delete.
  const expired = eventName === 'REMOVE' && userIdentity?.principalId === 'dynamodb.amazonaws.com';
  effects.put({ TableName: process.env.AUDIT_TABLE_NAME!, Item: { PK: `${pk}#${dynamodb?.SequenceNumber}`, change: expired ? 'EXPIRED' : eventName } });
});
// README end

/** The same writes, each record's two sent one after the other: no marker, no transaction, no guarantee. */
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
async function sameWrites(record: DynamoDBRecord): Promise<void> {
  const { eventName, dynamodb, userIdentity } = record;
  const pk = dynamodb?.Keys?.PK?.S;
  const live = eventName === 'INSERT' ? 1 : eventName === 'REMOVE' ? -1 : 0;
  await doc.send(new UpdateCommand({
    TableName: process.env.TABLE_NAME!,
    Key: { PK: `COUNT#${pk}` },
    UpdateExpression: live === 0 ? 'ADD changes :one' : 'ADD changes :one, live :live',
    ExpressionAttributeValues: live === 0 ? { ':one': 1 } : { ':one': 1, ':live': live },
  }));
  const expired = eventName === 'REMOVE' && userIdentity?.principalId === 'dynamodb.amazonaws.com';
  await doc.send(new PutCommand({ TableName: process.env.AUDIT_TABLE_NAME!, Item: { PK: `${pk}#${dynamodb?.SequenceNumber}`, change: expired ? 'EXPIRED' : eventName } }));
}

/** No guarantee: the records of a batch one after the other, a failure reported with every later record. */
export async function noGuarantee(event: { Records: DynamoDBRecord[] }): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  for (const [i, record] of event.Records.entries()) {
    try {
      await sameWrites(record);
    } catch {
      return { batchItemFailures: event.Records.slice(i).map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })) };
    }
  }
  return { batchItemFailures: [] };
}

/** The same writes through Powertools idempotency, records of a batch in parallel. */
export const powertools = createStreamHandler(sameWrites, { ordering: 'parallel', dynamoDBClient: new DynamoDBClient({}) });
