import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { streamEventSourceMapping } from './stream-source';
import { isTrue } from '../../../model/rendering';

/**
 * An event source mapping that reads a DynamoDB or Kinesis stream splits a failing batch in two.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const mapping = streamEventSourceMapping(node);
    if (mapping === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return isTrue(mapping.BisectBatchOnFunctionError) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
