import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { tableDefinition } from '../../../model/rendering';

/**
 * The time-to-live attribute is not declared, as a key of the table or of an index, with a type
 * other than Number.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const table = tableDefinition(node);
    // A multi-account replica's attribute definitions are its source table's, not in its template.
    if (table === undefined || table.timeToLiveAttribute === undefined || table.globalTableSourceArn !== undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    // Only key attributes have a declared type; a non-key TTL attribute is checked at run time only.
    const declared = table.attributeDefinitions.find((a) => a.name === table.timeToLiveAttribute);
    return declared !== undefined && declared.type !== 'N' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
