import * as fs from 'fs';
import * as path from 'path';
import { App, CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { OrdersLabStack } from '../../examples/orders-lab/app';
import { BY_ASSIGNEE_ATTRIBUTES, BY_PROJECT_ATTRIBUTES, INDEX_BY_ASSIGNEE, INDEX_BY_PROJECT } from '../../examples/task-tracker/model';
import { BlueprintTable, IndexProjection } from '../../src';
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

/**
 * The task tracker's table as a v1 app would have it (`Table`, retained, with a worker role and a stream
 * consumer), or as the task tracker has it now (`BlueprintTable`), named `tasks` in both.
 */
function synthTasks(name: string, blueprint: boolean): string {
  const outdir = path.join(OUT, name);
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'TaskTracker', { env: { region: 'eu-west-1' } });
  const key = { partitionKey: { name: 'PK', type: AttributeType.STRING }, sortKey: { name: 'SK', type: AttributeType.STRING } };
  const gsi = (indexName: string, n: number, attributes: string[]) => ({
    indexName,
    partitionKey: { name: `GSI${n}PK`, type: AttributeType.STRING },
    sortKey: { name: `GSI${n}SK`, type: AttributeType.STRING },
    projection: IndexProjection.include(attributes),
    projectionType: ProjectionType.INCLUDE,
    nonKeyAttributes: attributes,
  });
  const indexes = [gsi(INDEX_BY_PROJECT, 1, BY_PROJECT_ATTRIBUTES), gsi(INDEX_BY_ASSIGNEE, 2, BY_ASSIGNEE_ATTRIBUTES)];
  const shared = { tableName: 'tasks', ...key, timeToLiveAttribute: 'expiresAt' };
  let table: Table | BlueprintTable;
  if (blueprint) {
    table = new BlueprintTable(stack, 'Tasks', {
      ...shared,
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      blueprintGlobalSecondaryIndexes: indexes.map(({ projectionType: _, nonKeyAttributes: __, ...i }) => i),
    });
  } else {
    const v1 = new Table(stack, 'Tasks', { ...shared, stream: StreamViewType.NEW_AND_OLD_IMAGES, removalPolicy: RemovalPolicy.RETAIN });
    indexes.forEach(({ projection: _, ...i }) => v1.addGlobalSecondaryIndex(i));
    table = v1;
  }
  table.grantReadWriteData(new iam.Role(stack, 'Api', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
  new lambda.CfnEventSourceMapping(stack, 'Counter', { functionName: 'task-counter', eventSourceArn: table.tableStreamArn!, startingPosition: 'LATEST' });
  new CfnOutput(stack, 'TasksTableName', { value: table.tableName });
  app.synth();
  return outdir;
}

async function check(label: string, before: string, after: string, expected: number, command = 'check-migration', extra: string[] = []): Promise<void> {
  const rel = (p: string) => path.relative(process.cwd(), p);
  console.log(`$ cdk-dynamodb-blueprints ${command} ${rel(before)} ${rel(after)}${extra.length ? ` ${extra.map(rel).join(' ')}` : ''}   # ${label}`);
  const code = await main([command, before, after, ...extra], {
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
  const v1 = synthTasks('tasks-v1', false);
  await check('the task tracker\'s v1 Table adopted by a BlueprintTable of the same name', v1, synthTasks('tasks-blueprint', true), 0,
    'plan-adoption', ['--out', path.join(OUT, 'tasks-adoption')]);
}
