import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { counterKey, openTaskDelta, TASK_SK } from '../model';
// In an app that installs the package, this path is the same.
// eslint-disable-next-line import/order
import { createTransactionalStreamHandler, Effects } from 'cdk-dynamodb-blueprints-runtime/transactional-stream-handler';

const client = new DynamoDBClient({});
const tableName = process.env.TABLE_NAME!;

/** How much each project's open-task count moves for one change of a task: "open after" minus "open before". */
export function openTaskChanges(record: DynamoDBRecord): Map<[string, string], number> {
  const changes = new Map<[string, string], number>();
  const oldImage = record.dynamodb?.OldImage;
  const newImage = record.dynamodb?.NewImage;
  if ((newImage ?? oldImage)?.SK?.S !== TASK_SK) {
    return changes;
  }
  const tenantId = (newImage ?? oldImage)!.tenantId?.S;
  const oldProject = oldImage?.projectId?.S;
  const newProject = newImage?.projectId?.S;
  if (!tenantId || (newImage && !newProject) || (oldImage && !oldProject)) {
    // Not retryable: the item is malformed. After the bounded attempts it is parked with its task's later changes.
    throw new Error(`Task ${record.dynamodb?.Keys?.PK?.S} has no tenantId or projectId (event ${record.eventID}).`);
  }
  if (oldProject === newProject) {
    changes.set([tenantId, oldProject!], openTaskDelta(oldImage?.status?.S, newImage?.status?.S));
  } else {
    // Created, deleted, or moved between projects: each side counts on its own project.
    if (oldProject) {
      changes.set([tenantId, oldProject], openTaskDelta(oldImage?.status?.S, undefined));
    }
    if (newProject) {
      changes.set([tenantId, newProject], openTaskDelta(undefined, newImage?.status?.S));
    }
  }
  return changes;
}

/**
 * Keeps each project's open-task count (the project counter item's `openTasks` Number), exactly once: the
 * count changes are stated, and the library commits them with the record's marker in one transaction,
 * summing the changes of many records to one counter into one update.
 */
export function countOpenTasks(record: DynamoDBRecord, effects: Effects): void {
  for (const [[tenantId, projectId], delta] of openTaskChanges(record)) {
    if (delta !== 0) {
      effects.add({ TableName: tableName, Key: counterKey(tenantId, projectId), values: { openTasks: delta } });
    }
  }
}

export const handler = createTransactionalStreamHandler(countOpenTasks, { dynamoDBClient: client, keyAttributeNames: { [tableName]: ['PK', 'SK'] } });
