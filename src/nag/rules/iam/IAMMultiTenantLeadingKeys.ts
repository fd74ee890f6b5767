import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { actionMatches, hasLeadingKeysCondition, policyStatements } from './policy-statements';
import { MultiTenantTable } from '../../multi-tenant';
import { isTrue, renderResource, stackResources } from '../../resources';

/** The item-level actions `dynamodb:LeadingKeys` can restrict. */
const DATA_ACTIONS = [
  'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan',
  'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem', 'dynamodb:PartiQLSelect', 'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete',
];

/**
 * No policy allows data actions on a table declared multi-tenant (`MultiTenantTable.declare()`)
 * without a `dynamodb:LeadingKeys` condition.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const statements = policyStatements(node);
    if (statements === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const tenantTables = stackResources(node, 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable')
      .map(renderResource)
      .filter((t) => isTrue(t.metadata?.[MultiTenantTable.METADATA_KEY]));
    if (tenantTables.length === 0) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const findings = new Set<string>();
    for (const statement of statements) {
      if (statement.effect !== 'Allow' || hasLeadingKeysCondition(statement.condition)) {
        continue;
      }
      if (!statement.actions.some((pattern) => DATA_ACTIONS.some((a) => actionMatches(pattern, a)))) {
        continue;
      }
      for (const table of tenantTables) {
        const name = typeof table.properties.TableName === 'string' ? table.properties.TableName : undefined;
        const covers = statement.resources.some((r) => r === '*'
          || JSON.stringify(r).includes(`"${table.logicalId}"`)
          || (name !== undefined && typeof r === 'string' && namesTable(r, name)));
        if (covers) {
          findings.add(`Table::${table.logicalId}`);
        }
      }
    }
    return [...findings];
  },
  'name',
  { value: parse(__filename).name },
);

/** Whether a literal ARN is the table `name` or one of its indexes or streams (not `name2`). */
function namesTable(arn: string, name: string): boolean {
  const at = arn.indexOf(`:table/${name}`);
  if (at < 0) {
    return false;
  }
  const next = arn.charAt(at + `:table/${name}`.length);
  return next === '' || next === '/' || next === '*';
}
