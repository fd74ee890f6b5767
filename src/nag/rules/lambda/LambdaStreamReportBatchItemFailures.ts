import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { streamEventSourceMapping } from './stream-source';

/**
 * An event source mapping that reads a DynamoDB or Kinesis stream lets the function report
 * which records failed (`ReportBatchItemFailures`).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const mapping = streamEventSourceMapping(node);
    if (mapping === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const types: unknown = mapping.FunctionResponseTypes;
    return Array.isArray(types) && types.includes('ReportBatchItemFailures')
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
