import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  assigneeKey, counterKey, EXPIRE_AFTER_COMPLETION_SECONDS, INDEX_BY_ASSIGNEE, INDEX_BY_PROJECT, PROJECT_SHARDS,
  projectShardKey, shardOf, Task, taskKey, TaskStatus,
} from './model';

/** A page of a project's tasks, as the by-project index returns them. */
export type ProjectTask = Pick<Task, 'taskId' | 'title' | 'status' | 'assigneeId' | 'dueDate' | 'expiresAt'>;
/** A user's task, as the by-assignee index returns it. */
export type AssignedTask = Pick<Task, 'taskId' | 'projectId' | 'title' | 'status' | 'dueDate' | 'expiresAt'>;

/** Excludes items whose time to live has passed: DynamoDB deletes them within days, not at once. */
const NOT_EXPIRED = 'attribute_not_exists(expiresAt) OR expiresAt > :now';

/**
 * The task tracker's data access: every access pattern is a GetItem or a Query on a key, none a Scan.
 */
export class TaskRepository {
  private readonly doc: DynamoDBDocumentClient;

  constructor(client: DynamoDBClient, private readonly tableName: string, private readonly now: () => number = () => Math.floor(Date.now() / 1000)) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** Creates or replaces a task, with its index keys. */
  public async putTask(task: Task): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: this.toItem(task) }));
  }

  /** (a) One task by id: GetItem on the base table. */
  public async getTask(tenantId: string, taskId: string): Promise<Task | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: taskKey(tenantId, taskId) }));
    if (!Item || (Item.expiresAt !== undefined && Item.expiresAt <= this.now())) {
      return undefined;
    }
    return fromItem(Item);
  }

  /**
   * (b) A project's tasks sorted by due date: one Query per write shard of the by-project index (all at
   * once), merged by due date. Each shard's Query is already sorted, so the merge is linear.
   */
  public async listProjectTasks(tenantId: string, projectId: string, options: { dueBefore?: string } = {}): Promise<ProjectTask[]> {
    const shards = await Promise.all(Array.from({ length: PROJECT_SHARDS }, (_, shard) =>
      this.queryAll({
        TableName: this.tableName,
        IndexName: INDEX_BY_PROJECT,
        KeyConditionExpression: options.dueBefore ? 'GSI1PK = :pk AND GSI1SK < :before' : 'GSI1PK = :pk',
        FilterExpression: NOT_EXPIRED,
        ExpressionAttributeValues: {
          ':pk': projectShardKey(tenantId, projectId, shard),
          ':now': this.now(),
          ...(options.dueBefore ? { ':before': options.dueBefore } : {}),
        },
      })));
    return mergeSorted(shards, (item) => `${item.dueDate}#${item.taskId}`).map((item) => ({
      taskId: item.taskId, title: item.title, status: item.status, assigneeId: item.assigneeId, dueDate: item.dueDate, expiresAt: item.expiresAt,
    }));
  }

  /**
   * (c) The tasks assigned to a user across projects, with one status, by due date: a Query on the
   * by-assignee index whose sort key starts with the status, so the status is a key condition, not a filter.
   */
  public async listAssignedTasks(tenantId: string, userId: string, status: TaskStatus): Promise<AssignedTask[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: INDEX_BY_ASSIGNEE,
      KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :status)',
      FilterExpression: NOT_EXPIRED,
      ExpressionAttributeValues: { ':pk': assigneeKey(tenantId, userId), ':status': `${status}#`, ':now': this.now() },
    });
    return items.map((item) => ({
      taskId: item.taskId, projectId: item.projectId, title: item.title, status: item.status, dueDate: item.dueDate, expiresAt: item.expiresAt,
    }));
  }

  /** Changes a task's status; completing it sets its expiry 90 days out (d), reopening it clears the expiry. */
  public async setStatus(tenantId: string, taskId: string, status: TaskStatus): Promise<void> {
    const task = await this.getTask(tenantId, taskId);
    if (!task) {
      throw new Error(`No task ${taskId} in tenant ${tenantId}.`);
    }
    await this.putTask({ ...task, status, expiresAt: status === 'DONE' ? this.now() + EXPIRE_AFTER_COMPLETION_SECONDS : undefined });
  }

  /** Renames a task: a change that must not move the open-task count. */
  public async rename(tenantId: string, taskId: string, title: string): Promise<void> {
    await this.doc.send(new UpdateCommand({
      TableName: this.tableName,
      Key: taskKey(tenantId, taskId),
      UpdateExpression: 'SET title = :title',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':title': title },
    }));
  }

  /** (e) A project's open-task count, maintained by the stream consumer: GetItem. */
  public async openTaskCount(tenantId: string, projectId: string): Promise<number> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: counterKey(tenantId, projectId) }));
    return Item?.openTasks ?? 0;
  }

  private toItem(task: Task): Record<string, unknown> {
    return {
      ...taskKey(task.tenantId, task.taskId),
      ...task,
      GSI1PK: projectShardKey(task.tenantId, task.projectId, shardOf(task.taskId)),
      GSI1SK: `${task.dueDate}#${task.taskId}`,
      GSI2PK: assigneeKey(task.tenantId, task.assigneeId),
      GSI2SK: `${task.status}#${task.dueDate}#${task.taskId}`,
    };
  }

  private async queryAll(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Record<string, any>[]> {
    const items: Record<string, any>[] = [];
    let start: Record<string, any> | undefined;
    // Bounded: a page is at most 1 MB, and no tenant's project needs more than 100 pages per shard.
    for (let page = 0; page < 100; page++) {
      const result = await this.doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
      if (!start) {
        break;
      }
    }
    return items;
  }
}

function fromItem(item: Record<string, any>): Task {
  return {
    tenantId: item.tenantId,
    taskId: item.taskId,
    projectId: item.projectId,
    title: item.title,
    status: item.status,
    assigneeId: item.assigneeId,
    dueDate: item.dueDate,
    expiresAt: item.expiresAt,
  };
}

/** Merges lists each sorted by `key` into one sorted list. */
export function mergeSorted<T>(lists: T[][], key: (item: T) => string): T[] {
  const heads = lists.map(() => 0);
  const result: T[] = [];
  for (;;) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      if (heads[i] < lists[i].length && (best < 0 || key(lists[i][heads[i]]) < key(lists[best][heads[best]]))) {
        best = i;
      }
    }
    if (best < 0) {
      return result;
    }
    result.push(lists[best][heads[best]++]);
  }
}
