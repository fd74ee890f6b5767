import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { dynamoDBStreamPipe } from './stream-source';

/**
 * An EventBridge pipe that reads a DynamoDB stream splits a failing batch and retries only what failed (`OnPartialBatchItemFailure: AUTOMATIC_BISECT`, which also honours the target's `batchItemFailures`).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const parameters = dynamoDBStreamPipe(node);
    if (parameters === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return parameters.OnPartialBatchItemFailure === 'AUTOMATIC_BISECT' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
