import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { IConstruct } from 'constructs';
import { DynamoDBBlueprintChecks } from '../../src';
import { nagFindings } from '../../tools/nag';

/** The pack's findings of one rule (`DDB1`), as sorted rule ids with their granular part. */
export function findings(scope: IConstruct, suffix: string): string[] {
  const id = `DynamoDBBlueprint-${suffix}`;
  return nagFindings(scope, [new DynamoDBBlueprintChecks()])
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
