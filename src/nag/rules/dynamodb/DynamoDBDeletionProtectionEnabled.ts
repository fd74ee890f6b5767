import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { regionName, tableDefinition } from '../../../model/rendering';
import { TableResourceType } from '../../../model/table-definition';

/**
 * Deletion protection is on for the table and for every replica of a global table.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const table = tableDefinition(node);
    if (table === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const off = table.replicas.filter((r) => !r.deletionProtection);
    if (table.resourceType === TableResourceType.TABLE) {
      return off.length > 0 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    }
    return off.map((r) => `Replica::${regionName(r)}`);
  },
  'name',
  { value: parse(__filename).name },
);
