import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { judgeStreamMappings } from './stream-source';
import { asNumber } from '../../../model/rendering';

/**
 * An event source mapping that reads a DynamoDB or Kinesis stream retries a failing batch a
 * bounded number of times (unset or -1 means until the record expires).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => judgeStreamMappings(node, (mapping) => {
    const attempts = asNumber(mapping.MaximumRetryAttempts);
    return attempts !== undefined && attempts >= 0;
  }),
  'name',
  { value: parse(__filename).name },
);
