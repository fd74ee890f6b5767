import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { DynamoDBBlueprintChecks } from '../../src';
import { ExampleApp, listExamples, synthExample } from '../../tools/examples';
import { addNagPacks, FAILING_EXAMPLES, nagFindings } from '../../tools/nag';
import { TEST_ENV } from '../util';

/*
 * What every example app must do: synthesize, match its one snapshot per stack, pass the four packs (but the
 * anti-patterns, which fail them on purpose) and write access-pattern reports. What one example shows is
 * tested in its own file beside this one: <example>.test.ts.
 */
const examples = listExamples();

/** Each example synthesized once, for every test of this file that only reads the result. */
const synthesized = new Map<string, ReturnType<typeof synthExample>>();
function synth(example: ExampleApp): ReturnType<typeof synthExample> {
  if (!synthesized.has(example.name)) {
    synthesized.set(example.name, synthExample(example));
  }
  return synthesized.get(example.name)!;
}

test('the examples include the orders lab, the global table and the anti-patterns', () => {
  expect(examples.map((e) => e.name)).toEqual(expect.arrayContaining(['anti-patterns', 'global-orders', 'orders-lab']));
});

test('every example has a test file of its own in this folder', () => {
  expect(examples.map((e) => e.name).filter((name) => !fs.existsSync(path.join(__dirname, `${name}.test.ts`)))).toEqual([]);
});

describe.each(examples.map((e) => [e.name, e]))('examples/%s', (_name, example) => {
  test('synthesizes, and every stack matches its snapshot', () => {
    const { assembly } = synth(example);
    expect(assembly.stacks.length).toBeGreaterThan(0);
    for (const stack of assembly.stacks) {
      const template = JSON.parse(JSON.stringify(stack.template));
      delete template.Mappings?.LatestNodeRuntimeMap;
      expect(template).toMatchSnapshot(stack.stackName);
    }
  });

  test('writes a report listing every declared access pattern, none invalid', () => {
    const { assembly } = synth(example);
    const reports = fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.access-patterns.md'));
    for (const file of reports) {
      const report = fs.readFileSync(path.join(assembly.directory, file), 'utf8');
      expect(report).not.toContain('INVALID');
      expect(report).toContain('```mermaid');
    }
  });
});

describe('examples that must pass the packs', () => {
  const passing = examples.filter((e) => !FAILING_EXAMPLES.includes(e.name));

  test('there is at least one', () => {
    expect(passing.map((e) => e.name)).toContain('orders-lab');
  });

  test('the packs do report findings (control: a bare Table fails all four)', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    new Table(new Stack(app, 'Control', { env: TEST_ENV }), 'T', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    expect([...new Set(nagFindings(app).map((f) => f.pack))].sort())
      .toEqual(['AwsSolutions', 'DynamoDBBlueprintChecks', 'HIPAA.Security', 'NIST.800.53.R5'].sort());
  });

  test.each(passing.map((e) => [e.name, e] as const))('%s has no unacknowledged finding of DynamoDBBlueprint, AwsSolutions, NIST 800-53 R5 or HIPAA', (_name, example) => {
    const { app } = synth(example);
    expect(nagFindings(app).map((f) => `${f.ruleId} ${f.path}`)).toEqual([]);
  });

  test.each(passing.map((e) => [e.name, e] as const))('%s: every table\'s data events are recorded by a trail of the app, or acknowledged with the trail that does (DDB14, advisory)', (_name, example) => {
    const { app } = synth(example);
    const advisory = nagFindings(app, [new DynamoDBBlueprintChecks(undefined, { includeAdvisoryRules: true })]);
    expect(advisory.filter((f) => f.ruleId.startsWith('DynamoDBBlueprint-DDB14')).map((f) => `${f.ruleId} ${f.path}`)).toEqual([]);
  });

  test.each(passing.map((e) => [e.name, e] as const))('%s synthesizes with all four packs registered as validation plugins', (_name, example) => {
    expect(() => synthExample(example, { configure: addNagPacks })).not.toThrow();
  });
});
