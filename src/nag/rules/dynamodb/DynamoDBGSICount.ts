import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { tableDefinition } from '../../../model/rendering';

/** More global secondary indexes than this multiplies every write by more than six. */
export const MAX_RECOMMENDED_GSIS = 5;

/**
 * The table has at most 5 global secondary indexes.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const table = tableDefinition(node);
    // A multi-account replica's indexes are its source table's, not in its template.
    if (table === undefined || table.globalTableSourceArn !== undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return table.globalSecondaryIndexes.length > MAX_RECOMMENDED_GSIS
      ? NagRuleCompliance.NON_COMPLIANT
      : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
