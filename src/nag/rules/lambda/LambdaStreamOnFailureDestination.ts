import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { streamEventSourceMapping } from './stream-source';

/**
 * An event source mapping that reads a DynamoDB or Kinesis stream has an on-failure destination.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const mapping = streamEventSourceMapping(node);
    if (mapping === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return mapping.DestinationConfig?.OnFailure?.Destination !== undefined
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
