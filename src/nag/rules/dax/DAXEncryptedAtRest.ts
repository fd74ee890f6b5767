import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { isTrue, renderResource } from '../../../model/rendering';

/**
 * A DAX cluster encrypts its cache at rest.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    if (node.cfnResourceType !== 'AWS::DAX::Cluster') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return isTrue(renderResource(node).properties.SSESpecification?.SSEEnabled)
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
