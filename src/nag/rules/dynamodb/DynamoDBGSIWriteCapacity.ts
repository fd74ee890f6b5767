import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { tableDefinition } from '../../../model/rendering';
import { CapacityDefinition } from '../../../model/table-definition';

/**
 * No global secondary index of a provisioned table can write less than the table: its fixed
 * units, or its auto scaling maximum, are at least the table's.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const table = tableDefinition(node, true);
    // A multi-account replica's capacity is its source table's, not in its template.
    if (table === undefined || table.globalTableSourceArn !== undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const tableCeiling = ceiling(table.writeCapacity);
    if (table.billingMode !== 'PROVISIONED' || tableCeiling === undefined) {
      return NagRuleCompliance.COMPLIANT;
    }
    return table.globalSecondaryIndexes
      .filter((gsi) => {
        const indexCeiling = ceiling(gsi.writeCapacity);
        return indexCeiling !== undefined && indexCeiling < tableCeiling;
      })
      .map((gsi) => `Index::${gsi.indexName}`);
  },
  'name',
  { value: parse(__filename).name },
);

/** The most write units the capacity can reach. */
function ceiling(capacity: CapacityDefinition | undefined): number | undefined {
  const value = capacity?.autoscaled ? capacity.maxCapacity : capacity?.fixedUnits;
  return typeof value === 'number' ? value : undefined;
}
