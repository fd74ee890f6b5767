import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { TableResourceType } from '../../../template/table-definition';
import { regionName, tableDefinition } from '../../resources';

/**
 * The table, and every replica of a global table, is encrypted with a customer-managed KMS key.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const table = tableDefinition(node);
    if (table === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    if (table.resourceType === TableResourceType.TABLE) {
      return table.customerManagedKey ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
    // Without SSEType KMS a replica's key is ignored: the table uses an AWS owned key everywhere.
    return table.replicas
      .filter((r) => table.sseType !== 'KMS' || r.kmsKey === undefined)
      .map((r) => `Replica::${regionName(r.region)}`);
  },
  'name',
  { value: parse(__filename).name },
);
