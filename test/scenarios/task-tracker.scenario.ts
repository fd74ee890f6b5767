/*
 * Fault scenarios of the task tracker's own open-task counter (examples/task-tracker/handler), on the bundle
 * NodejsFunction builds when the app is synthesized, with the tables, the function's environment and the
 * event source mapping's settings and filters read from the template, on DynamoDB Local with real stream
 * records. Each invocation runs in a child process, killed with SIGKILL where a timeout would kill the
 * function. Each scenario writes through the app's own data-access code, in a tenant of its own, and checks
 * that each project's `openTasks` equals its open tasks (counted from the tasks with the by-project index)
 * and that the counter item keeps its stored shape: `PK`, `SK` and the Number `openTasks`, nothing else.
 *
 *   npx jest -c test/scenarios/jest.config.json test/scenarios/task-tracker.scenario.ts
 */
import { GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { TaskRepository } from '../../examples/task-tracker/data-access';
import { deployLocally, LocalDeployment } from '../../examples/task-tracker/local';
import { counterKey, Task, TaskStatus } from '../../examples/task-tracker/model';
import {
  childStreamFunction, invokeInChild, killChildBefore, killCurrentChild, lastSequenceNumbers, LocalEventSourceMapping, readStream,
} from '../../tools/dynamodb-local';

let d: LocalDeployment;
/** The event `TableStreamConsumer.redriveAfterDeployment()` makes the custom resource send, read from the template. */
let redriveEvent: unknown;
let position: Map<string, string> | undefined;
const now = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  d = await deployLocally({ configure: (stack) => stack.consumer.redriveAfterDeployment() });
  redriveEvent = redriveEventOf(d.template);
});
afterAll(async () => {
  await d?.stop();
});
afterEach(() => {
  d.proxy.shouldFail = () => false;
  d.proxy.afterForward = () => undefined;
  d.proxy.resetCounts();
});

/** The payload of the redrive custom resource's Lambda Invoke (its `Create` is JSON joined with the function's ARN). */
function redriveEventOf(template: any): unknown {
  const [resource] = Object.values(template.Resources).filter((r: any) => r.Type === 'Custom::RedriveParkedRecords') as any[];
  const joined = resource.Properties.Create['Fn::Join'][1] as unknown[];
  const call = JSON.parse(joined.map((part) => (typeof part === 'string' ? part : 'function')).join(''));
  return JSON.parse(call.parameters.Payload);
}

const invoke = (event: unknown) => invokeInChild(d.bundlePath, d.handlerEnvironment(), event);
const repo = () => new TaskRepository(d.client, d.tasksTable, () => now);

/** The stream records written since the last call that pass the mapping's filters (task items only). */
async function newRecords(): Promise<DynamoDBRecord[]> {
  const shards = await readStream(d.streams, d.streamArn, { after: position });
  position = lastSequenceNumbers(shards, position);
  return shards.flatMap((s) => s.records).filter(d.passesFilters);
}

const task = (tenantId: string, projectId: string, n: number, status: TaskStatus = 'OPEN'): Task => ({
  tenantId, projectId, taskId: `${projectId}-${n}`, title: `Task ${n}`, status, assigneeId: 'ana', dueDate: '2026-12-24',
});

/** For each project: its open-task counter as stored, and its open tasks counted from the tasks. */
async function counters(tenantId: string, projects: string[]): Promise<Record<string, { stored: unknown; open: number }>> {
  const result: Record<string, { stored: unknown; open: number }> = {};
  for (const projectId of projects) {
    const { PK, SK } = counterKey(tenantId, projectId);
    const key = { PK: { S: PK }, SK: { S: SK } };
    const { Item } = await d.client.send(new GetItemCommand({ TableName: d.tasksTable, Key: key, ConsistentRead: true }));
    const tasks = await repo().listProjectTasks(tenantId, projectId);
    result[projectId] = { stored: Item, open: tasks.filter((t) => t.status !== 'DONE').length };
  }
  return result;
}

/** Every project's counter item is exactly { PK, SK, openTasks: Number } and holds its open tasks. */
async function expectCountsExact(tenantId: string, projects: string[]): Promise<void> {
  for (const [projectId, { stored, open }] of Object.entries(await counters(tenantId, projects))) {
    const { PK, SK } = counterKey(tenantId, projectId);
    expect({ projectId, stored }).toEqual({ projectId, stored: { PK: { S: PK }, SK: { S: SK }, openTasks: { N: String(open) } } });
  }
}

/** How many of `records` have a marker in the idempotency table (applied, or parked). */
async function markersOf(records: DynamoDBRecord[]): Promise<Map<string, string>> {
  // Markers are named by the consumer identity the template gives the function (STREAM_CONSUMER_ID).
  const consumerId = d.handlerEnvironment().STREAM_CONSUMER_ID;
  expect(consumerId).toBe('TaskTracker/OpenTaskCount');
  const ids = new Set(records.map((r) => `${consumerId}#${r.eventID}`));
  const { Items } = await d.client.send(new ScanCommand({ TableName: d.idempotencyTable, ConsistentRead: true }));
  return new Map((Items ?? []).filter((i) => ids.has(i.id.S!)).map((i) => [i.id.S!, i.status.S!]));
}

/**
 * 100 task records over three projects, in one batch: creations, completions, reopenings and renames.
 * With their markers and three counters that is 103 items, so the batch takes two transactions.
 */
async function hundredChanges(tenantId: string): Promise<{ records: DynamoDBRecord[]; projects: string[] }> {
  const projects = ['apollo', 'zeus', 'hera'];
  const r = repo();
  for (let n = 0; n < 40; n++) {
    await r.putTask(task(tenantId, projects[n % 3], n, n % 4 === 0 ? 'IN_PROGRESS' : 'OPEN'));
  }
  for (let n = 0; n < 30; n++) {
    await r.setStatus(tenantId, `${projects[n % 3]}-${n}`, 'DONE');
  }
  for (let n = 0; n < 10; n++) {
    await r.setStatus(tenantId, `${projects[n % 3]}-${n}`, 'OPEN');
  }
  for (let n = 20; n < 40; n++) {
    await r.rename(tenantId, `${projects[n % 3]}-${n}`, `Task ${n}, renamed`);
  }
  const records = await newRecords();
  expect(records).toHaveLength(100);
  return { records, projects };
}

test('killed right after a transaction committed: the counters hold exactly what it committed; the retry applies the rest once', async () => {
  const { records, projects } = await hundredChanges('kill-after');
  let committedMarkers = 0;
  d.proxy.afterForward = async (req, status) => {
    if (req.operation === 'TransactWriteItems' && status === 200) {
      committedMarkers = (req.body.TransactItems as any[]).filter((i) => i.Put?.TableName === d.idempotencyTable).length;
      await killCurrentChild();
    }
  };
  const first = await invoke({ Records: records });
  expect(first.killed).toBe(true);
  // The first transaction, whole: its records' markers, nothing of the second.
  expect(committedMarkers).toBe(97);
  expect((await markersOf(records)).size).toBe(97);

  d.proxy.afterForward = () => undefined;
  const retry = await invoke({ Records: records });
  expect(retry.result).toEqual({ batchItemFailures: [] });
  expect([...(await markersOf(records)).values()].filter((s) => s === 'COMPLETED')).toHaveLength(100);
  await expectCountsExact('kill-after', projects);
});

test('killed right before its transaction: nothing is applied; the retry applies every record once', async () => {
  const { records, projects } = await hundredChanges('kill-before');
  d.proxy.shouldFail = killChildBefore('TransactWriteItems');
  expect((await invoke({ Records: records })).killed).toBe(true);
  expect((await markersOf(records)).size).toBe(0);
  for (const { stored } of Object.values(await counters('kill-before', projects))) {
    expect(stored).toBeUndefined();
  }

  d.proxy.shouldFail = () => false;
  expect((await invoke({ Records: records })).result).toEqual({ batchItemFailures: [] });
  await expectCountsExact('kill-before', projects);
});

test('the whole batch delivered again, and again from a checkpoint, changes no counter', async () => {
  const { records, projects } = await hundredChanges('redelivery');
  expect((await invoke({ Records: records })).result).toEqual({ batchItemFailures: [] });
  await expectCountsExact('redelivery', projects);
  const before = await counters('redelivery', projects);

  d.proxy.resetCounts();
  for (const batch of [records, records.slice(37)]) {
    expect((await invoke({ Records: batch })).result).toEqual({ batchItemFailures: [] });
  }
  expect(await counters('redelivery', projects)).toEqual(before);
  // Redelivered, records cost cancelled transactions (every marker exists) and no read: the 100 records
  // two (97 and 3, as they were committed), the 63 from the checkpoint one.
  expect(d.proxy.calls.get('TransactWriteItems')).toBe(3);
  expect(d.proxy.calls.get('GetItem') ?? 0).toBe(0);
});

test('a poison record mid-key is parked with its task\'s later changes, the other tasks go on; the redrive the app deploys applies them once', async () => {
  const tenant = 'poison';
  const projects = ['apollo', 'zeus'];
  const r = repo();
  for (const [projectId, n] of [['apollo', 1], ['apollo', 2], ['apollo', 3], ['zeus', 1], ['zeus', 2]] as const) {
    await r.putTask(task(tenant, projectId, n));
  }
  const created = await newRecords();
  expect((await invoke({ Records: created })).result).toEqual({ batchItemFailures: [] });
  await expectCountsExact(tenant, projects);

  // A script writes text into apollo's counter: every ADD to it is refused from now on.
  const apollo = counterKey(tenant, 'apollo');
  await d.client.send(new PutItemCommand({ TableName: d.tasksTable, Item: { PK: { S: apollo.PK }, SK: { S: apollo.SK }, openTasks: { S: 'three' } } }));
  // apollo-1 is completed (-1 on apollo: refused), renamed, then reopened in zeus (+1 on zeus, which alone
  // would go through); apollo-2 is completed (refused); zeus-1 is completed (goes on).
  await r.setStatus(tenant, 'apollo-1', 'DONE');
  await r.setStatus(tenant, 'zeus-1', 'DONE');
  await r.rename(tenant, 'apollo-1', 'Moving to zeus');
  await r.setStatus(tenant, 'apollo-2', 'DONE');
  await r.putTask({ ...(await r.getTask(tenant, 'apollo-1'))!, projectId: 'zeus', status: 'OPEN', expiresAt: undefined });
  const changes = await newRecords();
  expect(changes).toHaveLength(5);

  const mapping = new LocalEventSourceMapping(childStreamFunction(d.bundlePath, d.handlerEnvironment()), d.mapping, { functionName: 'OpenTaskCounter' });
  await mapping.deliver({ shardId: 'shard-0', records: changes });
  // Two failed attempts (apollo-1's 3 changes and apollo-2's completion reported). The third batch starting
  // with the poison record runs it alone (the others reported, to come back after it): its third failure
  // parks it. The fourth batch parks the rest of its counter's changes behind it.
  expect(mapping.invocations.map((i) => `${i.outcome}:${i.failedRecords}`)).toEqual(['partial:4', 'partial:4', 'partial:4', 'success:0']);
  expect(mapping.onFailure).toEqual([]);
  const statuses = await markersOf(changes);
  expect([...statuses.values()].sort()).toEqual(['COMPLETED', 'PARKED', 'PARKED', 'PARKED', 'PARKED']);
  const zeus = await counters(tenant, ['zeus']);
  expect(zeus.zeus.stored).toEqual(expect.objectContaining({ openTasks: { N: '1' } }));

  // Redriven before the fix, the records fail again and stay parked; the counter is untouched.
  const refused = await invoke(redriveEvent);
  expect(refused.result).toMatchObject({ keys: 2, redriven: 0, stillParked: 4 });
  expect((await counters(tenant, ['apollo'])).apollo.stored).toEqual(expect.objectContaining({ openTasks: { S: 'three' } }));

  // The fix: the counter gets its number back. The redrive applies the 4 parked records, in order, once.
  await d.client.send(new PutItemCommand({ TableName: d.tasksTable, Item: { PK: { S: apollo.PK }, SK: { S: apollo.SK }, openTasks: { N: '3' } } }));
  expect((await invoke(redriveEvent)).result).toEqual({ keys: 2, redriven: 4, stillParked: 0, failures: [] });
  expect([...(await markersOf(changes)).values()]).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
  await expectCountsExact(tenant, projects);

  // A second redrive finds nothing; the stream delivering every record again changes nothing.
  expect((await invoke(redriveEvent)).result).toEqual({ keys: 0, redriven: 0, stillParked: 0, failures: [] });
  expect((await invoke({ Records: [...created, ...changes] })).result).toEqual({ batchItemFailures: [] });
  await expectCountsExact(tenant, projects);
});
