import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { TableResourceType } from '../../../template/table-definition';
import { referencesLogicalId, renderResource, stackResources, tableDefinition } from '../../resources';

/**
 * A global table with more than one replica, or a `Table` replicated with `replicationRegions`,
 * has a NEW_AND_OLD_IMAGES stream.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const table = tableDefinition(node);
    if (table === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const replicated = table.resourceType === TableResourceType.GLOBAL_TABLE
      ? table.replicas.length > 1
      // `Table` replicates through one custom resource per region that names the table.
      : stackResources(node, 'Custom::DynamoDBReplica')
        .some((replica) => referencesLogicalId(renderResource(replica).properties.TableName, table.logicalId));
    if (!replicated) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return table.streamViewType === 'NEW_AND_OLD_IMAGES' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
