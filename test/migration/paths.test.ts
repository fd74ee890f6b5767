import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { orders } from './helpers';
import { IndexProjection, MigrationCheck } from '../../src';
import { TEST_ENV, testApp } from '../util';

const gsi = (name: string) => ({ indexName: name, partitionKey: { name, type: AttributeType.STRING }, projection: IndexProjection.keysOnly() });

/** Synthesizes an app with an Orders stack (with `indexes` GSIs), an Events stack and a Prod stage holding another Orders stack. */
function assembly(indexes: string[], options: { stage?: boolean } = {}): string {
  const app: App = testApp();
  orders(new Stack(app, 'Orders', { env: TEST_ENV }), { blueprintGlobalSecondaryIndexes: indexes.map(gsi) });
  new TableV2(new Stack(app, 'Events', { env: TEST_ENV }), 'Events', { partitionKey: { name: 'id', type: AttributeType.STRING } });
  if (options.stage) {
    const prod = new Stage(app, 'Prod', { env: TEST_ENV });
    orders(new Stack(prod, 'Orders'), { blueprintGlobalSecondaryIndexes: indexes.map(gsi) });
  }
  return app.synth().directory;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'migration-paths-'));
}

describe('MigrationCheck.comparePaths', () => {
  test('pairs the stacks of two cloud assemblies by name, including stacks of nested stages', () => {
    const report = MigrationCheck.comparePaths(assembly([], { stage: true }), assembly(['byA', 'byB'], { stage: true }));
    expect(report.stacksCompared).toBe(3);
    expect(report.tablesCompared).toBe(3);
    expect(report.findings.map((f) => `${f.stack} ${f.kind}`)).toEqual([
      'Orders TOO_MANY_GLOBAL_INDEX_CHANGES',
      'Prod/Orders TOO_MANY_GLOBAL_INDEX_CHANGES',
    ]);
    expect(report.plan.map((d) => d.steps.map((s) => `${s.stack}: ${s.action}`))).toEqual([
      ['Orders: create global secondary index byA', 'Prod/Orders: create global secondary index byA'],
      ['Orders: create global secondary index byB', 'Prod/Orders: create global secondary index byB'],
    ]);
  });

  test('compares a committed template file with its stack in a cloud assembly, by file name', () => {
    const deployed = path.join(tempDir(), 'Orders.template.json');
    fs.copyFileSync(path.join(assembly([]), 'Orders.template.json'), deployed);
    const report = MigrationCheck.comparePaths(deployed, assembly(['byA', 'byB', 'byC']));
    expect(report.stacksCompared).toBe(1);
    expect(report.findings.map((f) => f.change)).toEqual([
      '3 global secondary index creations or deletions in one update: creates byA, byB, byC',
    ]);
  });

  test('compares two single template files whatever their names', () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(assembly(['byA']), 'Orders.template.json'), path.join(dir, 'deployed.json'));
    const report = MigrationCheck.comparePaths(path.join(dir, 'deployed.json'), path.join(assembly(['byA', 'byB']), 'Orders.template.json'));
    expect(report).toMatchObject({ safe: true, findings: [], stacksCompared: 1, tablesCompared: 1 });
  });

  test('reads a template saved as a JSON string, as some tools save a TemplateBody', () => {
    const file = path.join(tempDir(), 'Orders.template.json');
    fs.writeFileSync(file, JSON.stringify(fs.readFileSync(path.join(assembly(['byA']), 'Orders.template.json'), 'utf-8')));
    const report = MigrationCheck.comparePaths(file, assembly(['byA', 'byB', 'byC']));
    expect(report.findings.map((f) => f.kind)).toEqual(['TOO_MANY_GLOBAL_INDEX_CHANGES']);
  });

  test('compares a directory of committed <stack>.template.json files with a cloud assembly', () => {
    const dir = tempDir();
    const before = assembly(['byA']);
    for (const stack of ['Orders', 'Events']) {
      fs.copyFileSync(path.join(before, `${stack}.template.json`), path.join(dir, `${stack}.template.json`));
    }
    const report = MigrationCheck.comparePaths(dir, assembly([]));
    expect(report).toMatchObject({ safe: true, stacksCompared: 2, tablesCompared: 2, findings: [] });
  });

  test('fails when the two sides share no stack', () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(assembly([]), 'Orders.template.json'), path.join(dir, 'Billing.template.json'));
    fs.copyFileSync(path.join(assembly([]), 'Events.template.json'), path.join(dir, 'Audit.template.json'));
    expect(() => MigrationCheck.comparePaths(dir, assembly([])))
      .toThrow(`\`before\` ('${dir}') and \`after\``);
    expect(() => MigrationCheck.comparePaths(dir, assembly([])))
      .toThrow('share no stack: before has Audit, Billing, after has Orders, Events.');
  });

  test('fails when a path does not exist', () => {
    expect(() => MigrationCheck.comparePaths('/no/such/template.json', assembly([])))
      .toThrow("`before` is '/no/such/template.json', which does not exist: pass a CloudFormation template in JSON");
  });

  test('fails when a file is neither JSON nor YAML', () => {
    const file = path.join(tempDir(), 'template.txt');
    fs.writeFileSync(file, 'Resources: {\n  T: [\n');
    expect(() => MigrationCheck.comparePaths(file, file)).toThrow(`\`before\` is '${file}', which is neither JSON (`);
  });

  test('fails when a .yaml file is not YAML', () => {
    const file = path.join(tempDir(), 'Orders.template.yaml');
    fs.writeFileSync(file, 'Resources:\n  T: [\n');
    expect(() => MigrationCheck.comparePaths(file, file)).toThrow(`\`before\` is '${file}', which is not YAML (`);
  });

  test('fails when a JSON file is not a template', () => {
    const file = path.join(tempDir(), 'package.json');
    fs.writeFileSync(file, JSON.stringify({ name: 'app', version: '1.0.0' }));
    expect(() => MigrationCheck.comparePaths(path.join(assembly([]), 'Orders.template.json'), file))
      .toThrow(`\`after\` is '${file}', which is not a CloudFormation template`);
  });

  test('fails when a directory holds no templates', () => {
    const dir = tempDir();
    expect(() => MigrationCheck.comparePaths(dir, dir)).toThrow(`\`before\` is '${dir}', a directory with no stack templates`);
  });
});
