import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, IPolicyValidationContext, IPolicyValidationPlugin, NestedStack, PolicyValidationPluginReport, Stack, Stage, Validations } from 'aws-cdk-lib';
import { AttributeType, CfnGlobalTable, Table, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { IConstruct } from 'constructs';
import { DynamoDBBlueprintChecks } from '../../src';
import { renderResource, SynthesizedTemplates, withMemo } from '../../src/model/rendering';
import { listExamples, synthExample } from '../../tools/examples';
import { TEST_ENV } from '../util';

/**
 * After synthesis the pack reads resources from the templates the CDK just wrote (the path
 * `Validations.of(app).addPlugins()` takes); `validateScope` renders them from the construct tree.
 * Both must see the same resources and report the same findings.
 */

/** A plugin that hands the real validation context to `inspect` and reports nothing itself. */
class ContextCapture implements IPolicyValidationPlugin {
  public readonly name = 'ContextCapture';
  constructor(private readonly inspect: (context: IPolicyValidationContext) => void) {}
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.inspect(context);
    return { success: true, violations: [] };
  }
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'synthesized-templates-'));
}

/** Synthesizes `app` and runs `inspect` with the validation context the CDK gives plugins. */
function synthWithContext(app: App, inspect: (context: IPolicyValidationContext) => void): void {
  let called = false;
  Validations.of(app).addPlugins(new ContextCapture((context) => {
    called = true;
    inspect(context);
  }));
  app.synth();
  expect(called).toBe(true);
}

function cfnResources(scope: IConstruct): CfnResource[] {
  return scope.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
}

/** Each finding as `rule path`, sorted. */
function findings(report: PolicyValidationPluginReport): string[] {
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)).sort();
}

/** Tables and policies written in the ways the two paths could tell apart. */
function trickyApp(): App {
  const app = new App({ builtinCloudFormationValidation: false, outdir: tempDir() });
  const stack = new Stack(app, 'Tricky', { env: TEST_ENV });
  const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  // A raw override the typed props do not show, and an overridden logical id.
  const overridden = new TableV2(stack, 'Overridden', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
  (overridden.node.defaultChild as CfnGlobalTable).addPropertyOverride('Replicas.0.DeletionProtectionEnabled', true);
  (overridden.node.defaultChild as CfnGlobalTable).overrideLogicalId('OrdersByHand');
  overridden.grantReadData(role);
  const legacy = new Table(stack, 'Legacy', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
  legacy.grant(role, 'dynamodb:Scan');
  // A table brought in from a template.
  const included = tempDir();
  fs.writeFileSync(path.join(included, 't.json'), JSON.stringify({
    Resources: {
      Included: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
      },
    },
  }));
  new CfnInclude(stack, 'Include', { templateFile: path.join(included, 't.json') });
  // A stack inside a stage: its template is written to a nested assembly.
  const staged = new Stack(new Stage(app, 'Prod'), 'Inner', { env: TEST_ENV });
  new TableV2(staged, 'Staged', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
  // A nested stack: its template is an asset of its parent, not one of the stack templates.
  new Table(new NestedStack(stack, 'Nested'), 'InNested', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
  return app;
}

describe('a validation after synthesis reads the synthesized templates', () => {
  test('every resource reads the same from the template as rendered from the tree', () => {
    const app = trickyApp();
    synthWithContext(app, (context) => {
      const resources = cfnResources(context.appConstruct);
      expect(resources.length).toBeGreaterThan(5);
      const fromTemplates = withMemo(() => resources.map(renderResource), SynthesizedTemplates.fromContext(context));
      const fromTree = withMemo(() => resources.map(renderResource));
      expect(fromTemplates).toEqual(fromTree);
      expect(fromTemplates.find((r) => r.logicalId === 'OrdersByHand')?.properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    });
  });

  test('the template is what is read: a value changed on disk after synthesis is what the model sees', () => {
    const app = trickyApp();
    synthWithContext(app, (context) => {
      const stack = context.stackTemplates.find((s) => s.stackConstructPath === 'Tricky')!;
      const template = JSON.parse(fs.readFileSync(stack.templatePath, 'utf-8'));
      template.Resources.OrdersByHand.Properties.BillingMode = 'CHANGED_ON_DISK';
      template.Resources.OrdersByHand.Properties.Replicas[0].DeletionProtectionEnabled = false;
      fs.writeFileSync(stack.templatePath, JSON.stringify(template));
      const table = cfnResources(context.appConstruct).find((r) => r.node.path === 'Tricky/Overridden/Resource')!;
      expect(withMemo(() => renderResource(table), SynthesizedTemplates.fromContext(context)).properties.BillingMode).toBe('CHANGED_ON_DISK');
      expect(withMemo(() => renderResource(table)).properties.BillingMode).toBe('PAY_PER_REQUEST');
      // The pack's validate() reads the same file; validateScope() renders the tree.
      const ddb3 = 'DynamoDBBlueprint-DDB3[Replica::us-east-1] Tricky/Overridden/Resource';
      expect(findings(new DynamoDBBlueprintChecks().validate(context))).toContain(ddb3);
      expect(findings(new DynamoDBBlueprintChecks().validateScope(context.appConstruct))).not.toContain(ddb3);
    });
  });

  test('a stack without a template of its own (a nested stack, or none given) is rendered from the tree', () => {
    const app = trickyApp();
    synthWithContext(app, (context) => {
      const resources = cfnResources(context.appConstruct);
      const nested = resources.find((r) => r.node.path === 'Tricky/Nested/InNested/Resource')!;
      expect(context.stackTemplates.map((s) => s.stackConstructPath)).not.toContain(Stack.of(nested).node.path);
      expect(withMemo(() => renderResource(nested), SynthesizedTemplates.fromContext(context))).toEqual(withMemo(() => renderResource(nested)));
      const inner = resources.find((r) => r.node.path === 'Prod/Inner/Staged/Resource')!;
      const none = new SynthesizedTemplates(new Map());
      expect(withMemo(() => renderResource(inner), none)).toEqual(withMemo(() => renderResource(inner)));
    });
  });

  test.each([['the tricky app', trickyApp] as const, ...listExamples().map((e) => [`examples/${e.name}`, () => e] as const)])(
    '%s: the pack reports the same findings through validate() after synthesis as through validateScope()',
    (_name, make) => {
      let viaValidate: string[] | undefined;
      let viaScope: string[] | undefined;
      const inspect = (context: IPolicyValidationContext) => {
        const options = { includeAdvisoryRules: true };
        viaValidate = findings(new DynamoDBBlueprintChecks(undefined, options).validate(context));
        viaScope = findings(new DynamoDBBlueprintChecks(undefined, options).validateScope(context.appConstruct));
      };
      const made = make();
      if (made instanceof App) {
        synthWithContext(made, inspect);
      } else {
        synthExample(made, { outdir: tempDir(), configure: (app) => Validations.of(app).addPlugins(new ContextCapture(inspect)) });
      }
      expect(viaValidate).toBeDefined();
      expect(viaValidate).toEqual(viaScope);
    },
  );

  test('the tricky app has findings, so the comparison compares something', () => {
    const app = trickyApp();
    synthWithContext(app, (context) => {
      const found = findings(new DynamoDBBlueprintChecks().validate(context));
      expect(found).toEqual(expect.arrayContaining([
        'DynamoDBBlueprint-IAM1[Action::dynamodb:Scan] Tricky/Role/DefaultPolicy/Resource',
        'DynamoDBBlueprint-DDB1 Tricky/Include/Included',
        'DynamoDBBlueprint-DDB1[Replica::us-east-1] Prod/Inner/Staged/Resource',
        'DynamoDBBlueprint-DDB3[Replica::us-east-1] Prod/Inner/Staged/Resource',
        'DynamoDBBlueprint-DDB1 Tricky/Nested/InNested/Resource',
      ]));
      // The raw override turned deletion protection on.
      expect(found.filter((f) => f.includes('Tricky/Overridden/'))).not.toContainEqual(expect.stringMatching(/DDB3/));
    });
  });
});
