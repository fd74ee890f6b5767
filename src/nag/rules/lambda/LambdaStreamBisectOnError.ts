import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { judgeStreamMappings } from './stream-source';
import { isTrue } from '../../../model/rendering';

/**
 * An event source mapping that reads a DynamoDB or Kinesis stream splits a failing batch in two.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => judgeStreamMappings(node, (mapping) => isTrue(mapping.BisectBatchOnFunctionError)),
  'name',
  { value: parse(__filename).name },
);
