import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { NagMessageLevel, NagPack, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { DynamoDBBlueprintChecks } from '../../src';
import { nagFindings } from '../../tools/nag';

/** The pack's findings of one rule (`DDB1`), advisory rules included, as sorted rule ids with their granular part. */
export function findings(scope: IConstruct, suffix: string): string[] {
  const id = `DynamoDBBlueprint-${suffix}`;
  return nagFindings(scope, [new DynamoDBBlueprintChecks(undefined, { includeAdvisoryRules: true })])
    .map((f) => f.ruleId)
    .filter((ruleId) => ruleId === id || ruleId.startsWith(`${id}[`))
    .sort();
}

/** Every finding of the pack, as `<rule id> <construct path>`. */
export function allFindings(scope: IConstruct): string[] {
  return nagFindings(scope, [new DynamoDBBlueprintChecks()]).map((f) => `${f.ruleId} ${f.path}`).sort();
}

/** Brings a template into a stack with `CfnInclude`, as an app adopting existing resources would. */
export function include(stack: Stack, resources: Record<string, unknown>): CfnInclude {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-include-'));
  const file = path.join(dir, 'template.json');
  fs.writeFileSync(file, JSON.stringify({ Resources: resources }));
  return new CfnInclude(stack, 'Included', { templateFile: file });
}

/** A minimal `AWS::DynamoDB::Table` resource for `include()`, with `properties` merged in. */
export function tableResource(properties: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'AWS::DynamoDB::Table',
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    ...extra,
    Properties: {
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...properties,
    },
  };
}

/** A minimal `AWS::DynamoDB::GlobalTable` resource with one replica in `us-east-1`, with `properties` merged in. */
export function globalTableResource(properties: Record<string, unknown> = {}): Record<string, unknown> {
  const { Properties: base, ...table } = tableResource() as { Properties: Record<string, unknown> };
  return { ...table, Type: 'AWS::DynamoDB::GlobalTable', Properties: { ...base, Replicas: [{ Region: 'us-east-1' }], ...properties } };
}

/**
 * A neutral pack that applies the given rules, and nothing else, to every resource: how cdk-nag
 * tests its own rules (its `TestPack`), so a rule is checked apart from our pack's wiring, levels,
 * props and per-validation memo.
 */
export class TestPack extends NagPack {
  public readonly name = 'Test';

  constructor(private readonly testRules: Array<(node: CfnResource) => NagRuleResult>) {
    super();
    this.packName = 'Test';
  }

  protected checkResource(node: CfnResource): void {
    for (const rule of this.testRules) {
      this.applyRule({ rule, node, level: NagMessageLevel.ERROR, info: 'Test info.', explanation: 'Test explanation.' });
    }
  }
}

/**
 * What one rule alone reports on a tree: `NON_COMPLIANT` as `''`, granular findings by their part
 * (`Index::byStatus`), sorted; a rule that throws shows as its error.
 */
export function ruleFindings(scope: IConstruct, rule: (node: CfnResource) => NagRuleResult): string[] {
  const id = `Test-${rule.name}`;
  return new TestPack([rule]).validateScope(scope).violations
    .flatMap((v) => v.violatingResources.map(() => {
      if (v.description.startsWith('Rule threw')) {
        return `threw: ${v.description}`;
      }
      return v.ruleName === id ? '' : v.ruleName.slice(id.length + 1, -1);
    }))
    .sort();
}

/**
 * A stack holding hand-written template resources as plain `CfnResource`s under their own logical
 * ids (faster than `CfnInclude`, which the corpus tests use), and `parameters` as `CfnParameter`s.
 */
export function includedStack(resources: Record<string, any>, parameters: Record<string, any> = {}): Stack {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  for (const [id, p] of Object.entries(parameters)) {
    new CfnParameter(stack, id, { type: p.Type }).overrideLogicalId(id);
  }
  for (const [id, r] of Object.entries(resources)) {
    const resource = new CfnResource(stack, id, { type: r.Type, properties: r.Properties });
    resource.overrideLogicalId(id);
    resource.cfnOptions.deletionPolicy = r.DeletionPolicy;
    resource.cfnOptions.updateReplacePolicy = r.UpdateReplacePolicy;
    for (const [key, value] of Object.entries(r.Metadata ?? {})) {
      resource.addMetadata(key, value);
    }
  }
  return stack;
}
