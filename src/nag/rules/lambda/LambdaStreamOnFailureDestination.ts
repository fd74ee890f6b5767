import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { judgeStreamMappings } from './stream-source';

/**
 * An event source mapping that reads a DynamoDB or Kinesis stream has an on-failure destination.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => judgeStreamMappings(node, (mapping) => mapping.DestinationConfig?.OnFailure?.Destination !== undefined),
  'name',
  { value: parse(__filename).name },
);
