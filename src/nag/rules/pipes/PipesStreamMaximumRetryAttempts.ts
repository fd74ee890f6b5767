import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { dynamoDBStreamPipe } from './stream-source';
import { asNumber } from '../../../model/rendering';

/**
 * An EventBridge pipe that reads a DynamoDB stream retries a failing batch a bounded number of times
 * (unset or -1 means until the record expires).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const parameters = dynamoDBStreamPipe(node);
    if (parameters === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const attempts = asNumber(parameters.MaximumRetryAttempts);
    return attempts !== undefined && attempts >= 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
