/**
 * The task tracker's single-table item layout. Every key starts with the tenant, so no query of one
 * tenant can reach another's items (and an IAM `dynamodb:LeadingKeys` condition can enforce it).
 *
 * Task item:          PK = TENANT#<tenant>#TASK#<taskId>          SK = TASK
 *   by project (GSI): GSI1PK = TENANT#<tenant>#PROJECT#<projectId>#SHARD#<0..n-1>   GSI1SK = <dueDate>#<taskId>
 *   by assignee (GSI): GSI2PK = TENANT#<tenant>#USER#<userId>     GSI2SK = <status>#<dueDate>#<taskId>
 * Open-task counter:  PK = TENANT#<tenant>#PROJECT#<projectId>    SK = OPEN_TASKS   openTasks = <n>
 */

export const TASK_SK = 'TASK';
export const COUNTER_SK = 'OPEN_TASKS';

/** Write shards per project: a project's tasks spread over this many index partitions. */
export const PROJECT_SHARDS = 4;

/** Completed tasks expire this long after completion (time to live). */
export const EXPIRE_AFTER_COMPLETION_SECONDS = 90 * 24 * 3600;

export const INDEX_BY_PROJECT = 'byProjectDueDate';
export const INDEX_BY_ASSIGNEE = 'byAssigneeStatus';

/** What the by-project index returns, and so projects (INCLUDE). */
export const BY_PROJECT_ATTRIBUTES = ['taskId', 'title', 'status', 'assigneeId', 'dueDate', 'expiresAt'];
/** What the by-assignee index returns, and so projects (INCLUDE). */
export const BY_ASSIGNEE_ATTRIBUTES = ['taskId', 'projectId', 'title', 'status', 'dueDate', 'expiresAt'];

export type TaskStatus = 'OPEN' | 'IN_PROGRESS' | 'DONE';
export const OPEN_STATUSES: readonly TaskStatus[] = ['OPEN', 'IN_PROGRESS'];

export interface Task {
  readonly tenantId: string;
  readonly taskId: string;
  readonly projectId: string;
  readonly title: string;
  readonly status: TaskStatus;
  readonly assigneeId: string;
  /** ISO date, yyyy-mm-dd. */
  readonly dueDate: string;
  /** Epoch seconds at which the task expires; set when it is completed. */
  readonly expiresAt?: number;
}

export const taskKey = (tenantId: string, taskId: string) => ({ PK: `TENANT#${tenantId}#TASK#${taskId}`, SK: TASK_SK });
export const counterKey = (tenantId: string, projectId: string) => ({ PK: `TENANT#${tenantId}#PROJECT#${projectId}`, SK: COUNTER_SK });
export const projectShardKey = (tenantId: string, projectId: string, shard: number) => `TENANT#${tenantId}#PROJECT#${projectId}#SHARD#${shard}`;
export const assigneeKey = (tenantId: string, userId: string) => `TENANT#${tenantId}#USER#${userId}`;

/** The write shard of a task: a stable hash of its id, so a task never moves between shards. */
export function shardOf(taskId: string, shards = PROJECT_SHARDS): number {
  let hash = 7;
  for (let i = 0; i < taskId.length; i++) {
    hash = (hash * 31 + taskId.charCodeAt(i)) % 2_147_483_647;
  }
  return hash % shards;
}

export const isOpen = (status: string | undefined) => OPEN_STATUSES.includes(status as TaskStatus);

/**
 * How a change of a task moves its project's open-task count, from the old and new images of a stream
 * record: +1 when a task becomes open (created open, or reopened), -1 when an open task is completed or
 * deleted, 0 for every other change (title, assignee, due date).
 */
export function openTaskDelta(oldStatus: string | undefined, newStatus: string | undefined): number {
  return (isOpen(newStatus) ? 1 : 0) - (isOpen(oldStatus) ? 1 : 0);
}
