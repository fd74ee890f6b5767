import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { runCli } from './run';
import { MigrationCheck } from '../../src';
import { checkImport } from '../../src/migration/adoption-templates';
import { blueprint, v1 } from '../migration/adoption-apps';
import { synth } from '../migration/helpers';

let dir: string;
const files = { v1: '', blueprint: '', changedLsi: '', describeTable: '', notJson: '' };

function write(name: string, build: (stack: Stack) => void): string {
  const file = path.join(dir, `${name}.template.json`);
  fs.writeFileSync(file, JSON.stringify(synth(build)));
  return file;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adopt-table-'));
  files.v1 = write('v1', v1);
  files.blueprint = write('blueprint', blueprint('Orders'));
  files.changedLsi = write('changed-lsi', blueprint('Orders', { lsiSortKey: 'placedAt' }));
  files.describeTable = path.join(dir, 'describe-table.json');
  fs.writeFileSync(files.describeTable, JSON.stringify({
    Table: {
      TableName: 'tasks',
      TableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/tasks',
      AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }, { AttributeName: 'SK', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      DeletionProtectionEnabled: false,
    },
  }));
  files.notJson = path.join(dir, 'not.json');
  fs.writeFileSync(files.notJson, 'Table: tasks');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('plan-adoption', () => {
  test('writes the resource mapping and each deployment\'s template; the import template passes the import checks', async () => {
    const out = path.join(dir, 'plan');
    const run = await runCli('plan-adoption', files.v1, files.blueprint, '--out', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Deployment 3 (IMPORT)');
    const mapping = JSON.parse(fs.readFileSync(path.join(out, 'blueprint.resource-mapping.json'), 'utf-8'));
    const [logicalId] = Object.keys(mapping);
    expect(mapping).toEqual({ [logicalId]: { TableName: 'orders' } });
    expect(logicalId).toMatch(/^Orders[0-9A-F]{8}$/);
    const template = (n: number) => JSON.parse(fs.readFileSync(path.join(out, `blueprint.deployment-${n}.template.json`), 'utf-8'));
    expect(fs.existsSync(path.join(out, 'blueprint.deployment-5.template.json'))).toBe(false);
    expect(checkImport(template(2), template(3), [logicalId])).toEqual([]);
    // Every ordinary deployment is safe over the one before it, as check-migration would judge it.
    expect(MigrationCheck.compareTemplates(template(1), template(2)).safe).toBe(true);
    expect(template(4)).toEqual(JSON.parse(fs.readFileSync(files.blueprint, 'utf-8')));
  });

  test('--json carries the resource mapping as the object cdk import reads', async () => {
    const run = await runCli('plan-adoption', files.v1, files.blueprint, '--json');
    expect(run.code).toBe(0);
    const [adoption] = JSON.parse(run.stdout).adoptions;
    expect(adoption.resourceMapping).toEqual({ [adoption.toLogicalId]: { TableName: 'orders' } });
    expect(adoption.deployments.map((d: any) => d.kind)).toEqual(['UPDATE', 'UPDATE', 'IMPORT', 'UPDATE']);
  });

  test('check-migration --json carries the same adoption', async () => {
    const run = await runCli('check-migration', files.v1, files.blueprint, '--json');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.adoptions).toHaveLength(1);
    expect(report.plan).toHaveLength(4);
  });

  test('exit 1 when a deployment fails its check (an LSI the live table does not have)', async () => {
    const run = await runCli('plan-adoption', files.v1, files.changedLsi);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('check: 1 problem(s)');
    expect(run.stderr).toContain('problem(s) in the deployments\' templates');
  });

  test('exit 2 when there is nothing to adopt', async () => {
    const run = await runCli('plan-adoption', files.blueprint, files.blueprint);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no table to adopt');
  });
});

describe('adopt-live-table', () => {
  test('prints the TypeScript, the mapping, the opinions and what was not described', async () => {
    const run = await runCli('adopt-live-table', '--describe-table', files.describeTable);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('export function tasksTable(scope: Construct, id = "Tasks"): BlueprintTable {');
    expect(run.stdout).toMatch(/"Tasks[0-9A-F]{8}": \{\n\s+"TableName": "tasks"/);
    expect(run.stdout).toContain('deletion protection -> on');
    expect(run.stdout).toContain('Not described: point-in-time recovery (pass the output of `aws dynamodb describe-continuous-backups`)');
  });

  test('--out writes the TypeScript, the Python and the mapping; --language python prints Python', async () => {
    const out = path.join(dir, 'live');
    expect((await runCli('adopt-live-table', '--describe-table', files.describeTable, '--out', out)).code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['tasks.py', 'tasks.resource-mapping.json', 'tasks.ts']);
    const python = await runCli('adopt-live-table', '--describe-table', files.describeTable, '--language', 'python', '--construct-id', 'TaskTable');
    expect(python.stdout).toContain('def task_table_table(scope: Construct, id: str = "TaskTable") -> BlueprintTable:');
  });

  test('exit 2 on a file that is not JSON, or an unknown language', async () => {
    const notJson = await runCli('adopt-live-table', '--describe-table', files.notJson);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('`--describe-table` is');
    expect(notJson.stderr).toContain('which is not JSON');
    const language = await runCli('adopt-live-table', '--describe-table', files.describeTable, '--language', 'java');
    expect(language.code).toBe(2);
    expect(language.stderr).toContain('`--language` is \'java\': write typescript or python.');
  });
});
