import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { BlueprintTable, BlueprintTableProps, MigrationCheck, MigrationCheckOptions, MigrationReport } from '../../src';
import { testStack } from '../util';

/** The synthesized template of a test stack built by `build`. */
export function synth(build: (stack: Stack) => void): any {
  const stack = testStack();
  build(stack);
  return Template.fromStack(stack).toJSON();
}

/** Synthesizes both versions of a stack and checks the migration from the first to the second. */
export function migrate(before: (stack: Stack) => void, after: (stack: Stack) => void, options?: MigrationCheckOptions): MigrationReport {
  return MigrationCheck.compareTemplates(synth(before), synth(after), options);
}

/** `SEVERITY KIND` of every finding, in report order. */
export function kinds(report: MigrationReport): string[] {
  return report.findings.map((f) => `${f.severity} ${f.kind}`);
}

/** The plan as `deployment: table action` lines, with construct-id prefixes instead of hashed logical ids. */
export function planLines(report: MigrationReport): string[] {
  return report.plan.flatMap((d) => d.steps.map((s) => `${d.deployment}: ${s.table.replace(/[0-9A-F]{8}$/, '')} ${s.action}`));
}

/** An orders table: a BlueprintTable with a composite key and the given overrides. */
export function orders(stack: Stack, props: Partial<BlueprintTableProps> = {}): BlueprintTable {
  return new BlueprintTable(stack, 'Orders', {
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    sortKey: { name: 'SK', type: AttributeType.STRING },
    ...props,
  });
}
