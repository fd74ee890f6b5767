import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { AttributeType, ProjectionType } from 'aws-cdk-lib/aws-dynamodb';
import { OrdersLabStack } from '../../examples/orders-lab/app';
import { main } from '../../src/cli/main';

export const title = 'Migration check: what the next deployment does to the tables';

const OUT = path.join(__dirname, '..', '..', 'cdk.out', 'migration');

/** Synthesizes the orders lab with `extraIndexes` more GSIs on its table, into cdk.out/migration/<name>. */
function synth(name: string, extraIndexes: string[]): string {
  const outdir = path.join(OUT, name);
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new OrdersLabStack(app, 'OrdersLab', { env: { region: 'ap-south-1' } });
  for (const index of extraIndexes) {
    stack.orders.addGlobalSecondaryIndex({
      indexName: index,
      partitionKey: { name: `${index}PK`, type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
  }
  app.synth();
  return outdir;
}

async function check(label: string, before: string, after: string, expected: number): Promise<void> {
  const rel = (p: string) => path.relative(process.cwd(), p);
  console.log(`$ cdk-dynamodb-blueprints check-migration ${rel(before)} ${rel(after)}   # ${label}`);
  const code = await main(['check-migration', before, after], {
    stdout: { write: (text: string) => process.stdout.write(text.replace(/^(?=.)/gm, '  ')) },
    stderr: { write: (text: string) => process.stdout.write(`  (stderr) ${text}`) },
  });
  console.log(`  exit code ${code}\n`);
  if (code !== expected) {
    throw new Error(`check-migration exited ${code} for "${label}", expected ${expected}`);
  }
}

export async function run(): Promise<void> {
  const deployed = synth('deployed', []);
  await check('one new GSI: safe', deployed, synth('one-index', ['byCity']), 0);
  await check('two new GSIs: CloudFormation would reject it', deployed, synth('two-indexes', ['byCity', 'byDay']), 1);
}
