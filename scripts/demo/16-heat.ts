import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { listExamples, synthExample } from '../../tools/examples';

export const title = 'Hot partitions before the first deploy: the heat forecast (synth, report, cdk-dynamodb-blueprints heat)';

const EXAMPLES = ['orders-lab', 'task-tracker'];

const ROOT = path.join(__dirname, '..', '..');

/**
 * The orders lab's byStatus index at the Black Friday peak: 2,500 order writes/s x 5, a 200-byte entry
 * (1 WCU) each, PLACED taking 60% of them. 7,500 WCU/s on one value / 800 (80% of 1,000) = 9.4: 10 shards.
 */
const ORDERS_BY_STATUS = ['heat', '--writes', '2500/s', '--peak-factor', '5', '--item-size', '200B',
  '--reads', '20/s', '--items-per-read', '50', '--keys', '5', '--hottest-share', '0.6'];

export async function run(): Promise<void> {
  for (const example of listExamples().filter((e) => EXAMPLES.includes(e.name))) {
    // Where `cdk synth` in the example's folder would put it, so the path printed is one the reader can open.
    const { assembly } = synthExample(example, { outdir: path.join(ROOT, 'cdk.out', example.name) });
    for (const stack of assembly.stacks) {
      const warnings = stack.messages.filter((m) => m.entry.type === 'aws:cdk:warning' && String(m.entry.data).includes('Heat forecast'));
      console.log(`${example.name} / ${stack.stackName}: ${warnings.length} hot-partition warning(s) at synth`);
    }
    for (const file of fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.access-patterns.md')).sort()) {
      const reportPath = path.join(assembly.directory, file);
      const report = fs.readFileSync(reportPath, 'utf8');
      const at = report.indexOf('## Heat forecast');
      console.log(`\n${example.name}: ${path.relative(ROOT, reportPath)}, its heat forecast section:\n`);
      console.log(at < 0 ? '(no traffic declared)' : report.slice(at));
    }
  }

  console.log("The orders lab's 10 write shards of GSI1PK, from the numbers alone:\n");
  console.log(`$ cdk-dynamodb-blueprints ${ORDERS_BY_STATUS.join(' ')}`);
  // Exit code 1: 7,500 WCU/s on one value is over a partition's limits until the key is sharded.
  const code = await main(ORDERS_BY_STATUS);
  if (code !== 1) {
    throw new Error(`cdk-dynamodb-blueprints ${ORDERS_BY_STATUS.join(' ')} exited with ${code}`);
  }
}
