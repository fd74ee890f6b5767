import { main } from '../../src/cli/main';

export const title = 'Capacity units and monthly cost (cdk-dynamodb-blueprints capacity / cost)';

/**
 * The task tracker: ~1 KB tasks. 30% of reads get one task from the table; 35% list 20 entries (~300 B,
 * INCLUDE) of a project by due date, 35% of an assignee by status. A status or due-date change moves a
 * task within an index (a delete plus a put), hence more than one index write per task write.
 */
const TASK_TRACKER = [
  '--item-size', '1KB',
  '--gsi', 'byProjectDueDate:300B:1.1:0.35:20',
  '--gsi', 'byAssigneeStatus:300B:1.3:0.35:20',
];

const RUNS: Array<{ label: string; argv: string[] }> = [
  { label: 'A strongly consistent read of a 10 KB item', argv: ['capacity', '--operation', 'get', '--item-size', '10KB', '--consistency', 'strong'] },
  { label: 'The same read, eventually consistent', argv: ['capacity', '--operation', 'get', '--item-size', '10KB'] },
  { label: 'A Query returning ten 4 KB items', argv: ['capacity', '--operation', 'query', '--item-size', '4KB', '--items', '10'] },
  { label: 'A transactional write of a 3 KB item', argv: ['capacity', '--operation', 'transact-write', '--item-size', '3KB'] },
  {
    label: 'Task tracker at launch: 5 reads/s, 1 write/s, 200,000 tasks, traffic not known yet',
    argv: ['cost', '--reads', '5/s', '--writes', '1/s', '--item-count', '200000', '--unpredictable', ...TASK_TRACKER],
  },
  {
    label: 'Task tracker grown: 400 reads/s, 60 writes/s, 50 million tasks, steady business-hours cycle',
    argv: ['cost', '--reads', '400/s', '--writes', '60/s', '--item-count', '50000000', ...TASK_TRACKER],
  },
];

export async function run(): Promise<void> {
  for (const { label, argv } of RUNS) {
    console.log(`$ cdk-dynamodb-blueprints ${argv.join(' ')}    # ${label}`);
    const code = await main(argv);
    if (code !== 0) {
      throw new Error(`cdk-dynamodb-blueprints ${argv.join(' ')} exited with ${code}`);
    }
    console.log('');
  }
}
