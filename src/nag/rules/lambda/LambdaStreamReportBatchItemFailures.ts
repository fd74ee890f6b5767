import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { judgeStreamMappings } from './stream-source';

/**
 * An event source mapping that reads a DynamoDB or Kinesis stream lets the function report
 * which records failed (`ReportBatchItemFailures`).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => judgeStreamMappings(node, (mapping) => Array.isArray(mapping.FunctionResponseTypes) && mapping.FunctionResponseTypes.includes('ReportBatchItemFailures')),
  'name',
  { value: parse(__filename).name },
);
