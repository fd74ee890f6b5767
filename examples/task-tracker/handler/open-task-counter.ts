import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { counterKey, openTaskDelta, TASK_SK } from '../model';
// In an app that installs the package, this path is the same.
// eslint-disable-next-line import/order
import { createStreamHandler } from 'cdk-dynamodb-blueprints/lib/runtime/stream-handler';

const client = new DynamoDBClient({});
const tableName = process.env.TABLE_NAME!;

/**
 * Keeps each project's open-task count: for every change of a task, the difference between "open before"
 * (old image) and "open after" (new image). Records are applied once each (idempotency on the event id),
 * in order per task, and tasks in parallel.
 */
export async function countOpenTasks(record: DynamoDBRecord): Promise<void> {
  const oldImage = record.dynamodb?.OldImage;
  const newImage = record.dynamodb?.NewImage;
  if ((newImage ?? oldImage)?.SK?.S !== TASK_SK) {
    return;
  }
  const tenantId = (newImage ?? oldImage)!.tenantId?.S;
  const oldProject = oldImage?.projectId?.S;
  const newProject = newImage?.projectId?.S;
  if (!tenantId || (newImage && !newProject) || (oldImage && !oldProject)) {
    // Not retryable: the item is malformed. Failing it sends it, after the bounded retries, to the dead-letter queue.
    throw new Error(`Task ${record.dynamodb?.Keys?.PK?.S} has no tenantId or projectId (event ${record.eventID}).`);
  }
  const changes = new Map<string, number>();
  if (oldProject === newProject) {
    changes.set(oldProject!, openTaskDelta(oldImage?.status?.S, newImage?.status?.S));
  } else {
    // Created, deleted, or moved between projects: each side counts on its own project.
    if (oldProject) {
      changes.set(oldProject, openTaskDelta(oldImage?.status?.S, undefined));
    }
    if (newProject) {
      changes.set(newProject, openTaskDelta(undefined, newImage?.status?.S));
    }
  }
  for (const [projectId, delta] of changes) {
    if (delta === 0) {
      continue;
    }
    const key = counterKey(tenantId, projectId);
    await client.send(new UpdateItemCommand({
      TableName: tableName,
      Key: { PK: { S: key.PK }, SK: { S: key.SK } },
      UpdateExpression: 'ADD openTasks :delta',
      ExpressionAttributeValues: { ':delta': { N: String(delta) } },
    }));
  }
}

export const handler = createStreamHandler(countOpenTasks, {
  ordering: process.env.RECORD_ORDERING === 'in-order' || process.env.RECORD_ORDERING === 'parallel' ? process.env.RECORD_ORDERING : 'per-key',
  idempotency: process.env.IDEMPOTENCY !== 'off',
  dynamoDBClient: client,
});
