import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { regionName, renderResource, tableDefinition } from '../../../model/rendering';
import { CapacityDefinition, TableResourceType } from '../../../model/table-definition';

/**
 * A provisioned table scales its reads and writes, and those of every global secondary index,
 * with Application Auto Scaling.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const table = tableDefinition(node, true);
    // A multi-account replica's billing and capacity are its source table's, not in its template.
    if (table === undefined || table.globalTableSourceArn !== undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    if (table.billingMode !== 'PROVISIONED') {
      return NagRuleCompliance.COMPLIANT;
    }
    const findings: string[] = [];
    const check = (capacity: CapacityDefinition | undefined, finding: string) => {
      if (capacity?.autoscaled !== true) {
        findings.push(finding);
      }
    };
    if (table.resourceType === TableResourceType.TABLE) {
      check(table.readCapacity, 'Table::Reads');
      check(table.writeCapacity, 'Table::Writes');
      for (const gsi of table.globalSecondaryIndexes) {
        check(gsi.readCapacity, `Index::${gsi.indexName}::Reads`);
        check(gsi.writeCapacity, `Index::${gsi.indexName}::Writes`);
      }
      return findings;
    }
    // A global table sets writes once and reads per replica, for the table and for each index.
    check(table.writeCapacity, 'Table::Writes');
    for (const gsi of table.globalSecondaryIndexes) {
      check(gsi.writeCapacity, `Index::${gsi.indexName}::Writes`);
    }
    const replicas: any[] = renderResource(node).properties.Replicas ?? [];
    replicas.forEach((replica, i) => {
      const region = regionName(table.replicas[i]);
      if (replica.ReadProvisionedThroughputSettings?.ReadCapacityAutoScalingSettings === undefined) {
        findings.push(`Replica::${region}::Reads`);
      }
      for (const gsi of table.globalSecondaryIndexes) {
        // An index without its own settings reads with the replica's, reported above.
        const settings = (replica.GlobalSecondaryIndexes ?? []).find((g: any) => g.IndexName === gsi.indexName)?.ReadProvisionedThroughputSettings;
        if (settings !== undefined && settings.ReadCapacityAutoScalingSettings === undefined) {
          findings.push(`Replica::${region}::Index::${gsi.indexName}::Reads`);
        }
      }
    });
    return findings;
  },
  'name',
  { value: parse(__filename).name },
);
