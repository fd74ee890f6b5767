import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { renderResource } from '../../../model/rendering';

/**
 * A DAX cluster's endpoint accepts TLS connections only.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    if (node.cfnResourceType !== 'AWS::DAX::Cluster') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return renderResource(node).properties.ClusterEndpointEncryptionType === 'TLS'
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
