import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { asNumber, renderResource } from '../../../model/rendering';

/** One node per Availability Zone of the three AWS recommends for production. */
export const MIN_DAX_NODES = 3;

/**
 * A DAX cluster has at least 3 nodes.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    if (node.cfnResourceType !== 'AWS::DAX::Cluster') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const nodes = asNumber(renderResource(node).properties.ReplicationFactor);
    if (nodes === undefined) {
      throw new Error('ReplicationFactor is not a number known at synthesis time.');
    }
    return nodes >= MIN_DAX_NODES ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
