import { runLocalScenario } from '../../examples/task-tracker/local-scenario';

export const title = 'Task tracker on DynamoDB Local: access patterns and an idempotent stream consumer under faults';

export async function run(): Promise<void> {
  const report = await runLocalScenario((line) => console.log(line));
  const wrong = report.phases.filter((p) => JSON.stringify(p.counts) !== JSON.stringify(p.expectedCounts));
  const lost = report.distinctRecords - report.appliedRecords - report.parkedRecords - report.deadLetteredRecords;
  if (wrong.length > 0 || lost !== 0) {
    throw new Error(`Open-task counts wrong after ${wrong.map((p) => p.name).join(', ') || 'no phase'}; ${lost} record(s) unaccounted for.`);
  }
  console.log('\nEvery count exact; every record applied exactly once, parked, or in the dead-letter path.');
}
