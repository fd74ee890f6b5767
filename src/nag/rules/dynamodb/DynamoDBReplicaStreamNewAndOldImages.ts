import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { renderResource, resolveIn, stackResources, tableDefinition } from '../../../model/rendering';
import { TableResourceType } from '../../../model/table-definition';

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
        .some((replica) => resolveIn(node, renderResource(replica).properties.TableName).resources.some((r) => r.logicalId === table.logicalId));
    if (!replicated) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return table.streamViewType === StreamViewType.NEW_AND_OLD_IMAGES ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
