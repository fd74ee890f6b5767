import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { tableDefinition } from '../../../model/rendering';

/**
 * No global secondary index projects ALL attributes.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const table = tableDefinition(node);
    // A multi-account replica's indexes are its source table's, not in its template.
    if (table === undefined || (table.globalTableSourceArn !== undefined && table.globalSecondaryIndexes.length === 0)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return table.globalSecondaryIndexes
      .filter((gsi) => gsi.projectionType === 'ALL')
      .map((gsi) => `Index::${gsi.indexName}`);
  },
  'name',
  { value: parse(__filename).name },
);
