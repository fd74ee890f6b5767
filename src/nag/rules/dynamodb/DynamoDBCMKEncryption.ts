import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { regionName, tableDefinition } from '../../../model/rendering';
import { TableResourceType } from '../../../model/table-definition';

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
      .filter((r) => table.encryption === TableEncryption.DEFAULT || r.kmsKey === undefined)
      .map((r) => `Replica::${regionName(r)}`);
  },
  'name',
  { value: parse(__filename).name },
);
