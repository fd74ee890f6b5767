import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { tableDefinition } from '../../../model/rendering';

/**
 * The table has no local secondary index.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const table = tableDefinition(node);
    // A multi-account replica's local secondary indexes are its source table's, not in its template.
    if (table === undefined || table.globalTableSourceArn !== undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return table.localSecondaryIndexes.map((lsi) => `Index::${lsi.indexName}`);
  },
  'name',
  { value: parse(__filename).name },
);
