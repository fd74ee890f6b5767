import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { coversTable } from '../../../model/references';
import { renderResource, resolveIn, stackResources, tableDefinition } from '../../../model/rendering';

/**
 * The table is covered by point-in-time recovery in every region or by an AWS Backup selection
 * of the same stack. A selection naming resources the template cannot resolve (`Fn::ImportValue`,
 * a parameter) does not count as covering it: the finding then names that selection.
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
    const unresolved: string[] = [];
    for (const selection of stackResources(node, 'AWS::Backup::BackupSelection')) {
      const rendered = renderResource(selection);
      const refs = resolveIn(node, rendered.properties.BackupSelection?.Resources);
      if (coversTable(refs, table.logicalId, table.tableName)) {
        return NagRuleCompliance.COMPLIANT;
      }
      if (refs.unresolved.length > 0) {
        unresolved.push(`Unresolved::${rendered.logicalId}`);
      }
    }
    return unresolved.length > 0 ? unresolved : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
