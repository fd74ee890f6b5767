import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { tableDefinition } from '../../../model/rendering';

/**
 * Words that, as the last word of a partition key name, mean few distinct values or a time
 * bucket: every item of one value lands on one partition.
 */
const LOW_CARDINALITY_WORDS = new Set([
  'status', 'state', 'stage', 'type', 'kind', 'category', 'country', 'region', 'gender', 'language',
  'locale', 'currency', 'tier', 'level', 'priority', 'flag', 'enabled', 'active', 'deleted',
  'date', 'day', 'week', 'month', 'quarter', 'year', 'hour',
]);

/**
 * Whether an attribute name says its values are few (a status, a country, a flag) or a time
 * bucket (a date, an hour): `status`, `orderStatus`, `order_status`, `eventDate`, `isActive`.
 */
export function isLowCardinalityName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
  if (words.length === 0) {
    return false;
  }
  // isActive, hasShipped: a boolean has two values.
  if (words.length > 1 && (words[0] === 'is' || words[0] === 'has')) {
    return true;
  }
  return LOW_CARDINALITY_WORDS.has(words[words.length - 1]);
}

/**
 * The partition key of the table and of every global secondary index has a name that suggests
 * many distinct values, not a status, category, region, flag or date.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const table = tableDefinition(node);
    // A multi-account replica's keys are its source table's, not in its template.
    if (table === undefined || table.partitionKey === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const findings: string[] = [];
    if (isLowCardinalityName(table.partitionKey.name)) {
      findings.push(`Table::${table.partitionKey.name}`);
    }
    for (const gsi of table.globalSecondaryIndexes) {
      if (isLowCardinalityName(gsi.partitionKey.name)) {
        findings.push(`Index::${gsi.indexName}`);
      }
    }
    return findings;
  },
  'name',
  { value: parse(__filename).name },
);
