import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { TableAccess, TableOperation, TenantKey, TenantKeyLayout } from '../../src';
import { listExamples } from '../../tools/examples';
import { simulate, SimulatedRequest, StatementJson } from '../../tools/iam-simulator';

export const title = 'Operations: cdk-nag packs on the operations example, and tenant-scoped access evaluated';

export async function run(): Promise<void> {
  const example = listExamples().find((e) => e.name === 'operations');
  if (example === undefined) {
    throw new Error('examples/operations is missing');
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'operations-'));
  try {
    const app = new App({ outdir, builtinCloudFormationValidation: false });
    example.createStacks(app);
    // Synthesis fails on any finding of any level that is not acknowledged.
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app));
    const assembly = app.synth();
    const acknowledged = app.node.findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.keys(m.data as Record<string, string>))
      .map((id) => id.replace(/^annotation::/i, ''))
      .filter((id) => /^(AwsSolutions|NIST\.800\.53\.R5|HIPAA\.Security)-/.test(id));
    for (const stack of assembly.stacks) {
      const resources = Object.values(stack.template.Resources as Record<string, { Type: string }>);
      const types = new Map<string, number>();
      resources.forEach((r) => types.set(r.Type, (types.get(r.Type) ?? 0) + 1));
      console.log(`operations / ${stack.stackName}: ${resources.length} resources, AwsSolutions + NIST 800-53 R5 + HIPAA: 0 unacknowledged findings, ${acknowledged.length} acknowledged in code:`);
      acknowledged.forEach((id) => console.log(`    - ${id}`));
      for (const type of ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Dashboard', 'AWS::Backup::BackupPlan', 'AWS::DAX::Cluster', 'AWS::Kinesis::Stream', 'AWS::IAM::ManagedPolicy']) {
        console.log(`  ${type.padEnd(28)} ${types.get(type) ?? 0}`);
      }
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }

  // The tenant grant, rendered, and judged by an IAM policy simulator (@cloud-copilot/iam-simulate).
  const stack = new Stack(new App(), 'Demo', { env: { account: '123456789012', region: 'us-east-1' } });
  const tableArn = 'arn:aws:dynamodb:us-east-1:123456789012:table/Tasks';
  const access = TableAccess.of(TableV2.fromTableArn(stack, 'Tasks', tableArn), {
    operations: [TableOperation.POINT_READ, TableOperation.QUERY, TableOperation.WRITE],
    tenantKey: TenantKey.fromPrincipalTag('tenantId'),
    indexNames: ['byDueDate'],
    // An imported table: say where the index's partition key holds the tenant.
    indexTenantKeyLayouts: [{ indexName: 'byDueDate', layout: TenantKeyLayout.wholeKey() }],
  });
  const statements = access.statements().map((s) => stack.resolve(s.toStatementJson()) as StatementJson);
  console.log('\nTenant-scoped statement:');
  console.log(JSON.stringify(statements[0].Condition, null, 2));
  const cases: Array<[string, SimulatedRequest]> = [
    ['acme reads its own task', { action: 'dynamodb:GetItem', resource: tableArn, principalTags: { tenantId: 'acme' }, leadingKeys: ['acme'] }],
    ['acme reads a globex task', { action: 'dynamodb:GetItem', resource: tableArn, principalTags: { tenantId: 'acme' }, leadingKeys: ['globex'] }],
    ['acme batch-reads acme + globex', { action: 'dynamodb:BatchGetItem', resource: tableArn, principalTags: { tenantId: 'acme' }, leadingKeys: ['acme', 'globex'] }],
    ['acme queries byDueDate', { action: 'dynamodb:Query', resource: `${tableArn}/index/byDueDate`, principalTags: { tenantId: 'acme' }, leadingKeys: ['acme'] }],
    ['acme scans the table', { action: 'dynamodb:Scan', resource: tableArn, principalTags: { tenantId: 'acme' } }],
    ['untagged caller reads acme', { action: 'dynamodb:GetItem', resource: tableArn, leadingKeys: ['acme'] }],
  ];
  for (const [name, ctx] of cases) {
    console.log(`  ${name.padEnd(34)} ${await simulate(statements, ctx)}`);
  }
}
