import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { tableDefinition } from '../../../model/rendering';

// DynamoDB tables do not support the Snapshot policy.
const KEEPS_DATA = ['Retain', 'RetainExceptOnCreate'];

/**
 * The table's DeletionPolicy and UpdateReplacePolicy keep the data (Retain).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const table = tableDefinition(node);
    if (table === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const findings: string[] = [];
    if (!KEEPS_DATA.includes(table.deletionPolicy ?? 'Delete')) {
      findings.push('DeletionPolicy');
    }
    if (!KEEPS_DATA.includes(table.updateReplacePolicy ?? 'Delete')) {
      findings.push('UpdateReplacePolicy');
    }
    return findings;
  },
  'name',
  { value: parse(__filename).name },
);
