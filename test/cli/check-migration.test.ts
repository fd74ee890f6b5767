import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Billing, Capacity } from 'aws-cdk-lib/aws-dynamodb';
import { IndexProjection } from '../../src';
import { main } from '../../src/cli/main';
import { orders } from '../migration/helpers';
import { testStack } from '../util';

const ROOT = path.join(__dirname, '..', '..');
const gsi = (name: string) => ({ indexName: name, partitionKey: { name, type: AttributeType.STRING }, projection: IndexProjection.keysOnly() });

let dir: string;
/** Template files: the deployed table, one more GSI (safe), three more (unsafe), a billing switch (a warning). */
const files = { deployed: '', oneIndex: '', threeIndexes: '', provisioned: '', notTemplate: '' };

function write(name: string, build: (stack: Stack) => void): string {
  const stack = testStack();
  build(stack);
  const file = path.join(dir, `${name}.template.json`);
  fs.writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));
  return file;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-migration-'));
  files.deployed = write('deployed', (s) => orders(s));
  files.oneIndex = write('one-index', (s) => orders(s, { blueprintGlobalSecondaryIndexes: [gsi('byA')] }));
  files.threeIndexes = write('three-indexes', (s) => orders(s, { blueprintGlobalSecondaryIndexes: [gsi('byA'), gsi('byB'), gsi('byC')] }));
  files.provisioned = write('provisioned', (s) => orders(s, {
    billing: Billing.provisioned({ readCapacity: Capacity.autoscaled({ maxCapacity: 10 }), writeCapacity: Capacity.autoscaled({ maxCapacity: 10 }) }),
  }));
  files.notTemplate = path.join(dir, 'package.json');
  fs.writeFileSync(files.notTemplate, JSON.stringify({ name: 'app' }));
});

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

describe('check-migration', () => {
  test('exits 0 and says so when the deployment is safe', async () => {
    const result = await run('check-migration', files.deployed, files.oneIndex);
    expect(result).toEqual({ code: 0, stdout: '1 table(s) in 1 stack(s) compared: 0 error(s), 0 warning(s).\n', stderr: '' });
  });

  test('exits 1 and prints the findings and the plan when the deployment would fail', async () => {
    const result = await run('check-migration', files.deployed, files.threeIndexes);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ERROR TOO_MANY_GLOBAL_INDEX_CHANGES three-indexes\/Orders[0-9A-F]{8}$/m);
    expect(result.stdout).toContain('  change: 3 global secondary index creations or deletions in one update: creates byA, byB, byC');
    expect(result.stdout).toContain('Safe plan: 3 deployments');
    expect(result.stderr).toBe('check-migration: 1 finding(s) block this deployment.\n');
  });

  test('--json prints the report with findings and plan', async () => {
    const result = await run('check-migration', files.deployed, files.threeIndexes, '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.safe).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'TOO_MANY_GLOBAL_INDEX_CHANGES', severity: 'ERROR', stack: 'three-indexes' })]);
    expect(report.plan.map((d: any) => `${d.deployment}: ${d.steps[0].action}`)).toEqual([
      '1: create global secondary index byA',
      '2: create global secondary index byB',
      '3: create global secondary index byC',
    ]);
  });

  test('warnings exit 0, or 1 with --fail-on-warnings', async () => {
    const relaxed = await run('check-migration', files.deployed, files.provisioned, '--json');
    expect(relaxed.code).toBe(0);
    expect(JSON.parse(relaxed.stdout).findings.map((f: any) => f.kind)).toEqual(['BILLING_MODE_SWITCHED']);
    expect((await run('check-migration', files.deployed, files.provisioned, '--fail-on-warnings')).code).toBe(1);
  });

  test('--accept takes a finding out of the verdict', async () => {
    const result = await run('check-migration', files.deployed, files.threeIndexes, '--accept', 'TOO_MANY_GLOBAL_INDEX_CHANGES', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ safe: true, findings: [] });
  });

  test('exits 2 for a missing file', async () => {
    const result = await run('check-migration', path.join(dir, 'missing.json'), files.oneIndex);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`check-migration: \`before\` is '${path.join(dir, 'missing.json')}', which does not exist`);
  });

  test('exits 2 for a file that is not a template', async () => {
    const result = await run('check-migration', files.deployed, files.notTemplate, '--json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('which is not a CloudFormation template');
  });

  test('exits 2 for an unknown --accept kind', async () => {
    const result = await run('check-migration', files.deployed, files.oneIndex, '--accept', 'NOPE');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("`accept` has 'NOPE'");
  });

  test('--accept with a table: its logical id is accepted, a construct id is refused with the ids that exist', async () => {
    const logicalId = Object.keys(JSON.parse(fs.readFileSync(files.deployed, 'utf8')).Resources).find((id) => /^Orders[0-9A-F]{8}$/.test(id))!;
    const accepted = await run('check-migration', files.deployed, files.threeIndexes, '--accept', `TOO_MANY_GLOBAL_INDEX_CHANGES:${logicalId}`);
    expect(accepted.code).toBe(0);
    const wrong = await run('check-migration', files.deployed, files.threeIndexes, '--accept', 'TOO_MANY_GLOBAL_INDEX_CHANGES:Orders');
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toContain("`accept` names 'TOO_MANY_GLOBAL_INDEX_CHANGES:Orders', but no template has a table with that logical id: "
      + `the tables are deployed/${logicalId}, three-indexes/${logicalId} (Stack/LogicalId, or the LogicalId alone; a logical id, not a construct id).`);
  });

  test('exits 2 for a missing argument', async () => {
    const result = await run('check-migration', files.deployed);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: missing required argument 'after'\n");
  });

  test('runs as a process through the real entry point: exit code 1 and the JSON report', () => {
    const result = spawnSync('npx', ['ts-node', '--transpile-only', 'src/cli/main.ts', 'check-migration', files.deployed, files.threeIndexes, '--json'], {
      cwd: ROOT,
      encoding: 'utf-8',
    });
    expect(result.stderr).toBe('check-migration: 1 finding(s) block this deployment.\n');
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ safe: false, stacksCompared: 1, tablesCompared: 1 });
    expect(report.findings.map((f: any) => f.kind)).toEqual(['TOO_MANY_GLOBAL_INDEX_CHANGES']);
    expect(report.plan).toHaveLength(3);
  });
});
