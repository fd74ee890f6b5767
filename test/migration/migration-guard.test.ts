import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, Capacity, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { orders } from './helpers';
import { IndexProjection, MigrationGuard, MigrationGuardProps } from '../../src';
import { runCli } from '../cli/run';
import { TEST_ENV } from '../util';

const gsi = (name: string) => ({ indexName: name, partitionKey: { name, type: AttributeType.STRING }, projection: IndexProjection.keysOnly() });

interface Shape {
  readonly indexes?: string[];
  readonly provisioned?: boolean;
  readonly eventsId?: string;
}

/** An app with an Orders stack (a BlueprintTable) and an Events stack (a TableV2), guarded when `guard` is given. */
function app(shape: Shape, guard?: MigrationGuardProps): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-out-'));
  const a = new App({ outdir, builtinCloudFormationValidation: false });
  if (guard) {
    Validations.of(a).addPlugins(new MigrationGuard(guard));
  }
  orders(new Stack(a, 'Orders', { env: TEST_ENV }), { blueprintGlobalSecondaryIndexes: (shape.indexes ?? []).map(gsi) });
  new TableV2(new Stack(a, 'Events', { env: TEST_ENV }), shape.eventsId ?? 'Events', {
    partitionKey: { name: 'id', type: AttributeType.STRING },
    billing: shape.provisioned
      ? Billing.provisioned({ readCapacity: Capacity.autoscaled({ maxCapacity: 5 }), writeCapacity: Capacity.autoscaled({ maxCapacity: 5 }) })
      : undefined,
  });
  return a;
}

let baseline: string;
beforeAll(() => {
  baseline = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-baseline-'));
  MigrationGuard.recordBaseline(app({}).synth().directory, baseline);
});

/** The message synthesis fails with, or undefined when it passes. */
function synthError(a: App): string | undefined {
  try {
    a.synth();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

describe('MigrationGuard', () => {
  test('recordBaseline writes one <artifact id>.template.json per stack', () => {
    expect(fs.readdirSync(baseline).sort()).toEqual(['Events.template.json', 'Orders.template.json']);
  });

  test('a synth with nothing unsafe passes', () => {
    expect(synthError(app({ indexes: ['byStatus'] }, { baselineDirectory: baseline }))).toBeUndefined();
  });

  test('three new GSIs fail the synth, with the finding and the plan', () => {
    const message = synthError(app({ indexes: ['byA', 'byB', 'byC'] }, { baselineDirectory: baseline }));
    expect(message).toBeDefined();
    expect(message).toContain('TOO_MANY_GLOBAL_INDEX_CHANGES');
    expect(message).toContain('3 global secondary index creations or deletions in one update: creates byA, byB, byC');
    expect(message).toContain('Plan (3 deployments; the last is the new template as is): deployment 1: create global secondary index byA; deployment 2: create global secondary index byB; deployment 3: create global secondary index byC.');
  });

  test('a renamed table fails the synth naming both logical ids', () => {
    const message = synthError(app({ eventsId: 'EventLog' }, { baselineDirectory: baseline }));
    expect(message).toContain('TABLE_RENAMED');
    expect(message).toMatch(/table Events[0-9A-F]{8} \(generated name\) is gone; EventLog[0-9A-F]{8} \(generated name\) with the same keys/);
  });

  test('a warning passes, unless failOnWarnings', () => {
    expect(synthError(app({ provisioned: true }, { baselineDirectory: baseline }))).toBeUndefined();
    expect(synthError(app({ provisioned: true }, { baselineDirectory: baseline, failOnWarnings: true }))).toContain('BILLING_MODE_SWITCHED');
  });

  test('an accepted finding passes', () => {
    expect(synthError(app({ indexes: ['byA', 'byB'] }, { baselineDirectory: baseline, accept: ['TOO_MANY_GLOBAL_INDEX_CHANGES:Orders/' + tableId('Orders')] }))).toBeUndefined();
  });

  test('a finding acknowledged the CDK way passes', () => {
    const a = app({ eventsId: 'EventLog' }, { baselineDirectory: baseline });
    Validations.of(a).acknowledge({ id: 'CdkDynamoDBBlueprints-MigrationGuard::TABLE_RENAMED', reason: 'the event log starts empty by design' });
    expect(synthError(a)).toBeUndefined();
  });

  test('an empty baseline directory (nothing deployed yet) passes', () => {
    expect(synthError(app({}, { baselineDirectory: fs.mkdtempSync(path.join(os.tmpdir(), 'guard-empty-')) }))).toBeUndefined();
  });

  test('a missing baseline directory fails the synth and says how to record one', () => {
    const message = synthError(app({}, { baselineDirectory: '/no/such/baseline' }));
    expect(message).toContain("`baselineDirectory` is '/no/such/baseline' (/no/such/baseline), which is not a directory: record the last-deployed templates there (`cdk-dynamodb-blueprints record-baseline cdk.out /no/such/baseline`");
  });

  test('fails at construction on an empty directory name or a malformed accept', () => {
    expect(() => new MigrationGuard({ baselineDirectory: '' })).toThrow('`baselineDirectory` is "": name the directory of last-deployed templates');
    expect(() => new MigrationGuard({ baselineDirectory: 'deployed', accept: ['NOT_A_KIND'] })).toThrow("`accept` has 'NOT_A_KIND'");
    expect(() => new MigrationGuard({ baselineDirectory: 'deployed', parameters: ['Stage'] })).toThrow('`parameters` has "Stage": write Name=Value');
  });

  test('the record-baseline command refreshes the baseline after a deployment', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-cli-'));
    const deployed = app({ indexes: ['byA'] }).synth().directory;
    const run = await runCli('record-baseline', deployed, dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${path.join(dir, 'Orders.template.json')}\n${path.join(dir, 'Events.template.json')}\n`);
    expect(synthError(app({ indexes: ['byA', 'byB'] }, { baselineDirectory: dir }))).toBeUndefined();
    const bad = await runCli('record-baseline', dir, dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('which is not a cloud assembly (no manifest.json)');
  });
});

function tableId(stack: string): string {
  const template = JSON.parse(fs.readFileSync(path.join(baseline, `${stack}.template.json`), 'utf-8'));
  return Object.keys(template.Resources).find((id) => template.Resources[id].Type.startsWith('AWS::DynamoDB::'))!;
}
