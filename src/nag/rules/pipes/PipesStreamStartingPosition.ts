import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { dynamoDBStreamPipe } from './stream-source';

/**
 * An EventBridge pipe that reads a DynamoDB stream starts at the oldest record the stream holds (`TRIM_HORIZON`), not at the newest.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const parameters = dynamoDBStreamPipe(node);
    if (parameters === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return parameters.StartingPosition === 'TRIM_HORIZON' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
