import * as fs from 'fs';
import { DeleteItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { TaskRepository } from './data-access';
import { deployLocally, LocalDeployment } from './local';
import { COUNTER_SK, counterKey, PROJECT_SHARDS, shardOf, Task, taskKey } from './model';
import { Invocation, lastSequenceNumbers, LocalEventSourceMapping, OnFailureRecord, readStream } from '../../tools/dynamodb-local';

/** What one delivery of stream records did. */
export interface PhaseReport {
  readonly name: string;
  /** Records delivered (after the mapping's filters). */
  readonly records: number;
  readonly invocations: Invocation[];
  readonly onFailure: OnFailureRecord[];
  /** Counter updates the handler sent to DynamoDB (UpdateItem calls, and updates inside transactions, committed or cancelled). */
  readonly counterUpdates: number;
  /** TransactWriteItems calls that reached DynamoDB. */
  readonly transactions: number;
  /** Throttles injected into the handler's calls. */
  readonly injectedFaults: number;
  /** Open-task counts after the phase, per tenant/project. */
  readonly counts: Record<string, number>;
  /** Open tasks per tenant/project, counted from the tasks themselves with the by-project query. */
  readonly expectedCounts: Record<string, number>;
}

/** The results of the access patterns, to show and to check. */
export interface AccessPatternReport {
  readonly getTask: Task | undefined;
  readonly projectTasksByDueDate: { taskId: string; dueDate: string; shard: number }[];
  readonly assignedOpen: { taskId: string; projectId: string; status: string }[];
  readonly assignedDone: { taskId: string; projectId: string; status: string }[];
  readonly completedExpiresInSeconds: number | undefined;
  readonly expiredTaskVisible: boolean;
  readonly expiredTaskInProjectList: boolean;
}

export interface ScenarioReport {
  readonly phases: PhaseReport[];
  readonly accessPatterns: AccessPatternReport;
  /** Distinct stream records delivered at least once. */
  readonly distinctRecords: number;
  /** Records applied: one COMPLETED idempotency record each. */
  readonly appliedRecords: number;
  /** Records parked (after their bounded attempts, or behind an earlier parked record of their item key). */
  readonly parkedRecords: number;
  readonly parkedEventIds: string[];
  /** Records the mapping gave up on, by their position in the stream. */
  readonly deadLetteredRecords: number;
  readonly deadLetteredEventIds: string[];
  readonly poisonEventIds: string[];
  readonly bundleBytes: number;
}

const PROJECTS = [['acme', 'apollo'], ['acme', 'zeus'], ['globex', 'apollo']] as const;

/**
 * The task tracker on DynamoDB Local, end to end: tables from the synthesized template, every access
 * pattern through the app's data-access code, and the real bundled stream handler fed real stream records
 * in the Lambda event shape, through normal delivery, a duplicate batch, a throttle in the middle of a
 * batch, and a poison item.
 */
export async function runLocalScenario(log: (line: string) => void = () => undefined): Promise<ScenarioReport> {
  const d = await deployLocally();
  try {
    return await scenario(d, log);
  } finally {
    await d.stop();
  }
}

async function scenario(d: LocalDeployment, log: (line: string) => void): Promise<ScenarioReport> {
  const now = Math.floor(Date.now() / 1000);
  const repo = new TaskRepository(d.client, d.tasksTable, () => now);
  const handler = d.loadHandler();
  const bundleBytes = fs.statSync(d.bundlePath).size;
  log(`DynamoDB Local on ${d.local.endpoint} (pid ${d.local.pid}); tables ${d.tasksTable}, ${d.idempotencyTable} from the template`);
  log(`handler bundle: ${(bundleBytes / 1024).toFixed(1)} KB; mapping: batch ${d.mapping.batchSize}, ${d.mapping.retryAttempts} retries, bisect ${d.mapping.bisectBatchOnError}`);

  let position: Map<string, string> | undefined;
  const seen = new Set<string>();
  const phases: PhaseReport[] = [];
  let lastShards: Awaited<ReturnType<typeof readStream>> = [];

  const deliver = async (name: string, options: { replay?: boolean } = {}) => {
    const shards = options.replay ? lastShards : await readStream(d.streams, d.streamArn, { after: position });
    if (!options.replay) {
      position = lastSequenceNumbers(shards, position);
      lastShards = shards;
    }
    const filtered = shards.map((s) => ({ shardId: s.shardId, records: s.records.filter(d.passesFilters) }));
    filtered.forEach((s) => s.records.forEach((r) => seen.add(r.eventID!)));
    const started = Date.now();
    const mapping = new LocalEventSourceMapping(handler, d.mapping);
    d.proxy.resetCounts();
    for (const shard of filtered) {
      await mapping.deliver(shard);
    }
    const phase: PhaseReport = {
      name,
      records: filtered.reduce((n, s) => n + s.records.length, 0),
      invocations: mapping.invocations,
      onFailure: mapping.onFailure,
      counterUpdates: d.proxy.forwarded.filter((r) => r.operation === 'UpdateItem' && r.body?.Key?.SK?.S === COUNTER_SK).length
        + d.proxy.forwarded.filter((r) => r.operation === 'TransactWriteItems')
          .flatMap((r) => r.body.TransactItems as any[]).filter((i) => i.Update?.Key?.SK?.S === COUNTER_SK).length,
      transactions: d.proxy.forwarded.filter((r) => r.operation === 'TransactWriteItems').length,
      injectedFaults: d.proxy.injected.length,
      counts: await counts(repo),
      expectedCounts: await expectedCounts(repo),
    };
    phases.push(phase);
    log(`\n${name}: ${phase.records} records, ${phase.invocations.length} invocations `
      + `[${runs(phase.invocations.map((i) => `${i.size}:${i.outcome}`)).join(' ')}], `
      + `${phase.transactions} transactions, ${phase.counterUpdates} counter updates, ${phase.injectedFaults} injected throttles, ${phase.onFailure.length} to the dead-letter queue `
      + `(${Date.now() - started} ms)`);
    log(`  open tasks: ${Object.entries(phase.counts).map(([k, v]) => `${k}=${v}`).join(', ')} (expected ${Object.entries(phase.expectedCounts).map(([k, v]) => `${k}=${v}`).join(', ')})`);
    return phase;
  };

  // 1. Normal traffic: creates, renames, completions, a reopen, a move between projects, a delete.
  const task = (tenantId: string, projectId: string, n: number, assigneeId: string, status: Task['status'] = 'OPEN'): Task => ({
    tenantId,
    projectId,
    taskId: `${projectId}-${n}`,
    title: `Task ${n} of ${projectId}`,
    status,
    assigneeId,
    dueDate: `2026-12-${String(28 - ((n * 7) % 27)).padStart(2, '0')}`,
  });
  const users = ['ana', 'ben', 'cy'];
  for (const [tenantId, projectId] of PROJECTS) {
    const count = tenantId === 'acme' && projectId === 'apollo' ? 12 : 5;
    for (let n = 1; n <= count; n++) {
      await repo.putTask(task(tenantId, projectId, n, users[n % 3], n === 2 ? 'IN_PROGRESS' : 'OPEN'));
    }
  }
  await repo.rename('acme', 'apollo-1', 'Renamed: still open');
  await repo.rename('globex', 'apollo-3', 'Renamed too');
  await repo.setStatus('acme', 'apollo-4', 'DONE');
  await repo.setStatus('acme', 'apollo-5', 'DONE');
  await repo.setStatus('acme', 'apollo-5', 'OPEN');
  await repo.setStatus('globex', 'apollo-2', 'DONE');
  await repo.putTask({ ...(await repo.getTask('acme', 'apollo-6'))!, projectId: 'zeus' });
  await d.client.send(new DeleteItemCommand({ TableName: d.tasksTable, Key: marshallKey(taskKey('acme', 'zeus-3')) }));
  // A task completed long ago: its time to live has passed, DynamoDB has not deleted it yet.
  await repo.putTask({ ...task('acme', 'apollo', 99, 'ana', 'DONE'), expiresAt: now - 3600 });
  await deliver('1. normal delivery');

  // 2. At-least-once: the same records again.
  await deliver('2. the same batch delivered again', { replay: true });

  // 3. A throttle in the middle of a batch: the first write of the acme/zeus counter fails once.
  await repo.setStatus('acme', 'apollo-7', 'DONE');
  await repo.putTask(task('acme', 'zeus', 10, 'ben'));
  await repo.putTask(task('acme', 'zeus', 11, 'cy'));
  await repo.setStatus('globex', 'apollo-4', 'DONE');
  await repo.rename('acme', 'apollo-8', 'Renamed during a throttle');
  let throttled = false;
  const zeusCounter = counterKey('acme', 'zeus').PK;
  d.proxy.shouldFail = (req) => {
    const writesZeus = req.operation === 'UpdateItem' ? req.body?.Key?.PK?.S === zeusCounter
      : req.operation === 'TransactWriteItems' && (req.body?.TransactItems ?? []).some((i: any) => i.Update?.Key?.PK?.S === zeusCounter);
    if (!throttled && writesZeus) {
      throttled = true;
      return true;
    }
    return false;
  };
  await deliver('3. a throttle in the middle of a batch');
  d.proxy.shouldFail = () => false;

  // 4. A poison item: a client writes a task without a project, then updates it twice.
  await repo.putTask(task('acme', 'apollo', 20, 'ana'));
  await repo.setStatus('acme', 'zeus-1', 'DONE');
  const poisonKey = marshallKey(taskKey('acme', 'broken'));
  await d.client.send(new PutItemCommand({
    TableName: d.tasksTable,
    Item: { ...poisonKey, tenantId: { S: 'acme' }, taskId: { S: 'broken' }, title: { S: 'No project' }, status: { S: 'OPEN' } },
  }));
  for (const title of ['Still no project', 'Nor now']) {
    await d.client.send(new UpdateItemCommand({
      TableName: d.tasksTable, Key: poisonKey, UpdateExpression: 'SET title = :t', ExpressionAttributeValues: { ':t': { S: title } },
    }));
  }
  const poisonPhase = await deliver('4. a poison item');
  const poisonEventIds = lastShards.flatMap((s) => s.records).filter((r) => r.dynamodb?.Keys?.PK?.S === poisonKey.PK.S).map((r) => r.eventID!);

  const deadLettered = lastShards.flatMap((s) => s.records).filter((r) => poisonPhase.onFailure.some((f) =>
    BigInt(r.dynamodb!.SequenceNumber!) >= BigInt(f.startSequenceNumber) && BigInt(r.dynamodb!.SequenceNumber!) <= BigInt(f.endSequenceNumber)));
  const idempotencyItems = await d.client.send(new ScanCommand({ TableName: d.idempotencyTable }));
  const applied = (idempotencyItems.Items ?? []).filter((i) => i.status?.S === 'COMPLETED').length;
  const parkedItems = await d.client.send(new ScanCommand({ TableName: d.parkedRecordsTable, ConsistentRead: true }));
  const parked = (parkedItems.Items ?? []).filter((i) => i.sk.S!.startsWith('record#'));
  log(`\nrecords: ${seen.size} distinct, ${applied} applied once each (idempotency records), ${parked.length} parked, `
    + `${deadLettered.length} in the dead-letter path (the poison item has ${poisonEventIds.length})`);

  const accessPatterns = await accessPatternReport(repo, now);
  log(`\n(a) GetItem acme/apollo-1: ${accessPatterns.getTask?.title} [${accessPatterns.getTask?.status}]`);
  log(`(b) acme/apollo by due date over ${PROJECT_SHARDS} shards: ${accessPatterns.projectTasksByDueDate.map((t) => `${t.dueDate.slice(5)} ${t.taskId}@${t.shard}`).join(', ')}`);
  log(`(c) ana's OPEN tasks: ${accessPatterns.assignedOpen.map((t) => `${t.projectId}/${t.taskId}`).join(', ')}; ben's DONE: ${accessPatterns.assignedDone.map((t) => t.taskId).join(', ')}`);
  log(`(d) a task completed now expires in ${accessPatterns.completedExpiresInSeconds} s (90 days); the expired task is ${accessPatterns.expiredTaskVisible || accessPatterns.expiredTaskInProjectList ? 'STILL VISIBLE' : 'filtered out of reads'}`);

  return {
    phases,
    accessPatterns,
    distinctRecords: seen.size,
    appliedRecords: applied,
    parkedRecords: parked.length,
    parkedEventIds: parked.map((i) => i.eventID.S!),
    deadLetteredRecords: deadLettered.length,
    deadLetteredEventIds: deadLettered.map((r) => r.eventID!),
    poisonEventIds,
    bundleBytes,
  };
}

async function counts(repo: TaskRepository): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const [tenantId, projectId] of PROJECTS) {
    result[`${tenantId}/${projectId}`] = await repo.openTaskCount(tenantId, projectId);
  }
  return result;
}

async function expectedCounts(repo: TaskRepository): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const [tenantId, projectId] of PROJECTS) {
    const tasks = await repo.listProjectTasks(tenantId, projectId);
    result[`${tenantId}/${projectId}`] = tasks.filter((t) => t.status !== 'DONE').length;
  }
  return result;
}

async function accessPatternReport(repo: TaskRepository, now: number): Promise<AccessPatternReport> {
  const projectTasks = await repo.listProjectTasks('acme', 'apollo');
  const completed = await repo.getTask('acme', 'apollo-7');
  return {
    getTask: await repo.getTask('acme', 'apollo-1'),
    projectTasksByDueDate: projectTasks.map((t) => ({ taskId: t.taskId, dueDate: t.dueDate, shard: shardOf(t.taskId) })),
    assignedOpen: (await repo.listAssignedTasks('acme', 'ana', 'OPEN')).map((t) => ({ taskId: t.taskId, projectId: t.projectId, status: t.status })),
    assignedDone: (await repo.listAssignedTasks('acme', 'ben', 'DONE')).map((t) => ({ taskId: t.taskId, projectId: t.projectId, status: t.status })),
    completedExpiresInSeconds: completed?.expiresAt !== undefined ? completed.expiresAt - now : undefined,
    expiredTaskVisible: (await repo.getTask('acme', 'apollo-99')) !== undefined,
    expiredTaskInProjectList: projectTasks.some((t) => t.taskId === 'apollo-99'),
  };
}

/** `['a', 'b', 'b', 'b']` as `['a', 'b x3']`. */
function runs(items: string[]): string[] {
  const result: string[] = [];
  for (let i = 0; i < items.length;) {
    let j = i;
    while (j < items.length && items[j] === items[i]) {
      j++;
    }
    result.push(j - i > 1 ? `${items[i]} x${j - i}` : items[i]);
    i = j;
  }
  return result;
}

function marshallKey(key: { PK: string; SK: string }) {
  return { PK: { S: key.PK }, SK: { S: key.SK } };
}

