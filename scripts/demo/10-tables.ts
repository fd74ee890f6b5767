import * as fs from 'fs';
import * as path from 'path';
import { TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { CapacityDefinition, TableDefinition, TableDefinitions } from '../../src';
import { listExamples, synthExample } from '../../tools/examples';

export const title = 'Example apps: synthesized tables';

const OUT = path.join(__dirname, '..', '..', 'cdk.out');

export async function run(): Promise<void> {
  for (const example of listExamples()) {
    const outdir = path.join(OUT, example.name);
    fs.rmSync(outdir, { recursive: true, force: true });
    const { assembly } = synthExample(example, { outdir });
    for (const stack of assembly.stacks) {
      const tables = TableDefinitions.fromTemplate(stack.template);
      console.log(`${example.name} / ${stack.stackName} (${stack.environment.region}): ${tables.length} table(s), cdk.out/${example.name}/${stack.templateFile}`);
      for (const table of tables) {
        console.log(describeTable(table));
      }
    }
  }
}

/** A few lines per table: keys, indexes and projections, capacity mode, protections. */
export function describeTable(t: TableDefinition): string {
  const key = (k?: { name: string; type?: string }) => (k ? `${k.name} (${k.type ?? 'undeclared'})` : '-');
  const capacity = t.billingMode === 'PAY_PER_REQUEST'
    ? 'on-demand'
    : `provisioned, writes ${describeCapacity(t.writeCapacity)}, reads ${describeCapacity(t.readCapacity)}`;
  const lines = [
    `  - ${t.logicalId} [${t.resourceType}]`,
    `      keys:        partition ${key(t.partitionKey)}, sort ${key(t.sortKey)}`,
    `      capacity:    ${capacity}`,
  ];
  for (const index of [...t.globalSecondaryIndexes, ...t.localSecondaryIndexes]) {
    const projection = index.projectionType === 'INCLUDE'
      ? `INCLUDE [${index.nonKeyAttributes.join(', ')}]`
      : index.projectionType;
    lines.push(`      ${index.scope === 'GLOBAL' ? 'GSI' : 'LSI'} ${index.indexName}: partition ${key(index.partitionKey)}, sort ${key(index.sortKey)}, ${projection}`);
  }
  lines.push(`      stream:      ${t.streamViewType ?? 'off'}; TTL: ${t.timeToLiveAttribute ?? 'off'}`);
  lines.push(`      encryption:  ${t.customerManagedKey ? 'customer-managed KMS key' : t.encryption === TableEncryption.AWS_MANAGED ? 'AWS managed KMS key' : 'AWS owned key'}`);
  lines.push(`      retention:   DeletionPolicy ${t.deletionPolicy ?? 'Delete'}, UpdateReplacePolicy ${t.updateReplacePolicy ?? 'Delete'}`);
  for (const r of t.replicas) {
    const flag = (on: boolean) => (on ? 'on' : 'OFF');
    lines.push(`      ${(r.region ?? 'stack region').padEnd(14)} PITR ${flag(r.pointInTimeRecovery)}${r.recoveryPeriodInDays ? ` (${r.recoveryPeriodInDays} d)` : ''}, deletion protection ${flag(r.deletionProtection)}, contributor insights ${flag(r.contributorInsights)}`);
  }
  return lines.join('\n');
}

function describeCapacity(c?: CapacityDefinition): string {
  if (c === undefined) {
    return 'unknown';
  }
  return c.autoscaled
    ? `auto scaled ${c.minCapacity}-${c.maxCapacity} at ${c.targetUtilizationPercent ?? 70}%`
    : `FIXED ${c.fixedUnits}`;
}
