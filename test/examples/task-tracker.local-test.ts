import { runLocalScenario, ScenarioReport } from '../../examples/task-tracker/local-scenario';

// One run of the whole scenario on DynamoDB Local; each test checks one part of what it did.
let report: ScenarioReport;
const lines: string[] = [];

beforeAll(async () => {
  report = await runLocalScenario((line) => lines.push(line));
});


const phase = (n: number) => report.phases[n - 1];

test('every access pattern answers from the data-access code', () => {
  const a = report.accessPatterns;
  expect(a.getTask).toMatchObject({ taskId: 'apollo-1', title: 'Renamed: still open', status: 'OPEN' });
  // (b) sorted by due date across shards, and the shards really are several.
  const dates = a.projectTasksByDueDate.map((t) => `${t.dueDate}#${t.taskId}`);
  expect(dates).toEqual([...dates].sort());
  expect(new Set(a.projectTasksByDueDate.map((t) => t.shard)).size).toBeGreaterThan(1);
  // 12 created, apollo-6 moved away, apollo-20 added; apollo-99 expired.
  expect(a.projectTasksByDueDate.map((t) => t.taskId).sort()).toEqual(
    ['apollo-1', 'apollo-10', 'apollo-11', 'apollo-12', 'apollo-2', 'apollo-20', 'apollo-3', 'apollo-4', 'apollo-5', 'apollo-7', 'apollo-8', 'apollo-9'],
  );
  // (c) ana (tasks 3, 6, 9, 12 and 20 of each project) — only OPEN ones, across projects.
  expect(a.assignedOpen.map((t) => `${t.projectId}/${t.taskId}`).sort()).toEqual(
    ['apollo/apollo-12', 'apollo/apollo-20', 'apollo/apollo-3', 'apollo/apollo-9', 'zeus/apollo-6'],
  );
  expect(a.assignedOpen.every((t) => t.status === 'OPEN')).toBe(true);
  // ben's DONE tasks: apollo-4 (phase 1), apollo-7 (phase 3), zeus-1 (phase 4); the status is a key condition, not a filter.
  expect(a.assignedDone.map((t) => t.taskId).sort()).toEqual(['apollo-4', 'apollo-7', 'zeus-1']);
  // (d) 90 days, and expired items are filtered from reads.
  expect(a.completedExpiresInSeconds).toBe(90 * 24 * 3600);
  expect(a.expiredTaskVisible).toBe(false);
  expect(a.expiredTaskInProjectList).toBe(false);
});

test('normal delivery: the counts are exact', () => {
  expect(phase(1).counts).toEqual(phase(1).expectedCounts);
  expect(phase(1).counts).toEqual({ 'acme/apollo': 10, 'acme/zeus': 5, 'globex/apollo': 4 });
  expect(phase(1).invocations.every((i) => i.outcome === 'success')).toBe(true);
});

test('normal delivery: one transaction per batch, the counter changes summed per project', () => {
  expect(phase(1).invocations.map((i) => i.size)).toEqual([phase(1).records]);
  expect(phase(1).transactions).toBe(1);
  // Three projects' counters changed (plus acme/zeus by the move): one summed update each.
  expect(phase(1).counterUpdates).toBe(3);
});

test('the same batch delivered twice changes nothing: one cancelled transaction, no read', () => {
  expect(phase(2).records).toBe(phase(1).records);
  expect(phase(2).invocations.map((i) => i.outcome)).toEqual(['success']);
  expect(phase(2).transactions).toBe(1);
  expect(phase(2).counts).toEqual(phase(1).counts);
});

test('a throttle mid-batch is retried inside the invocation, nothing applied twice', () => {
  const p = phase(3);
  expect(p.injectedFaults).toBe(1);
  expect(p.invocations.map((i) => i.outcome)).toEqual(['success']);
  // apollo-7 done (acme/apollo -1), zeus-10 and zeus-11 created (acme/zeus +2, one update), globex apollo-4 done (-1).
  expect(p.counterUpdates).toBe(3);
  expect(p.counts).toEqual(p.expectedCounts);
  expect(p.counts).toEqual({ 'acme/apollo': 9, 'acme/zeus': 7, 'globex/apollo': 3 });
});

test('a poison item is parked after 3 attempts with its later records; the rest is applied, nothing dead-lettered', () => {
  const p = phase(4);
  // Attempts 1 and 2 fail the poison record and its key's 2 later records; attempt 3 parks all 3.
  expect(p.invocations.map((i) => `${i.outcome}:${i.failedRecords}`)).toEqual(['partial:3', 'partial:3', 'success:0']);
  expect(p.onFailure).toEqual([]);
  expect(report.parkedEventIds.sort()).toEqual([...report.poisonEventIds].sort());
  expect(p.counts).toEqual(p.expectedCounts);
  expect(p.counts).toEqual({ 'acme/apollo': 10, 'acme/zeus': 6, 'globex/apollo': 3 });
});

test('nothing lost: every record is applied exactly once or parked', () => {
  expect(report.parkedRecords).toBe(3);
  expect(report.deadLetteredRecords).toBe(0);
  expect(report.appliedRecords + report.parkedRecords).toBe(report.distinctRecords);
});

test('the handler is the bundle NodejsFunction built, small with the AWS SDK left to the runtime', () => {
  expect(report.bundleBytes).toBeGreaterThan(10_000);
  expect(report.bundleBytes).toBeLessThan(200_000);
  expect(lines.join('\n')).toMatch(/handler bundle: \d+\.\d KB/);
});
