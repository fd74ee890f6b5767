import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { streamEventSourceMapping } from './stream-source';
import { asNumber } from '../../../model/rendering';

/**
 * An event source mapping that reads a DynamoDB or Kinesis stream gives up on records older
 * than a bounded age (unset or -1 means until the record expires).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const mapping = streamEventSourceMapping(node);
    if (mapping === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const age = asNumber(mapping.MaximumRecordAgeInSeconds);
    return age !== undefined && age >= 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
