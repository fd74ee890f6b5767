import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { judgeStreamMappings } from './stream-source';
import { asNumber } from '../../../model/rendering';

/**
 * An event source mapping that reads a DynamoDB or Kinesis stream gives up on records older
 * than a bounded age (unset or -1 means until the record expires), unless it never retries
 * (`MaximumRetryAttempts: 0`), where no failing batch can hold its shard. A SAM function's stream
 * events are judged one by one (`Event::<name>`).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => judgeStreamMappings(node, (mapping) => {
    // With no retry, a failing batch is given up at once: no shard waits on it, whatever its age.
    const age = asNumber(mapping.MaximumRecordAgeInSeconds);
    return asNumber(mapping.MaximumRetryAttempts) === 0 || (age !== undefined && age >= 0);
  }),
  'name',
  { value: parse(__filename).name },
);
