import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { renderResource, stackResources, tableDefinition } from '../../resources';

/**
 * The table is covered by point-in-time recovery in every region or by an AWS Backup selection
 * of the same stack.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const table = tableDefinition(node);
    if (table === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    if (table.replicas.length > 0 && table.replicas.every((r) => r.pointInTimeRecovery)) {
      return NagRuleCompliance.COMPLIANT;
    }
    for (const selection of stackResources(node, 'AWS::Backup::BackupSelection')) {
      const resources: unknown[] = renderResource(selection).properties.BackupSelection?.Resources ?? [];
      if (resources.some((r) => selects(r, table.logicalId, table.tableName))) {
        return NagRuleCompliance.COMPLIANT;
      }
    }
    return NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);

function selects(resource: unknown, logicalId: string, tableName: string | undefined): boolean {
  if (resource === '*') {
    return true;
  }
  const text = JSON.stringify(resource);
  // `BackupResource.fromDynamoDbTable()` renders the table's Arn; a literal ARN may name the table or `table/*`.
  return text.includes(`"${logicalId}"`)
    || /:table\/\*/.test(text)
    || (tableName !== undefined && new RegExp(`:table/${escape(tableName)}(?![\\w.-])`).test(text));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
