import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { allowsAction, hasLeadingKeysCondition, PolicyStatement, policyStatements } from './policy-statements';
import { MultiTenantTable } from '../../../model/multi-tenant';
import { coversTable, literalName } from '../../../model/references';
import { isTrue, logicalIdOf, renderResource, resolveIn, stackResources } from '../../../model/rendering';
import { SAM_SIMPLE_TABLE } from '../../../model/sam';

/** The item-level actions `dynamodb:LeadingKeys` can restrict. */
const DATA_ACTIONS = [
  'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan',
  'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem', 'dynamodb:PartiQLSelect', 'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete',
];

/** Actions whose requests can name no partition key, for which `ForAllValues` alone holds. */
const KEYLESS_ACTIONS = ['dynamodb:Scan', 'dynamodb:PartiQLSelect'];

/**
 * Whether a statement's `dynamodb:LeadingKeys` condition confines it to some partition keys: it names a
 * value that is not only wildcards (`TENANT#${aws:PrincipalTag/tenantId}#*` or `${aws:PrincipalTag/tenantId}`),
 * and, under a `ForAllValues` operator on a statement allowing a request that names no key (Scan, PartiQL),
 * a `Null` check requires the key to be present.
 */
function scopesLeadingKeys(statement: PolicyStatement): boolean {
  const condition = statement.condition;
  if (!hasLeadingKeysCondition(condition)) {
    return false;
  }
  let forAllValues = false;
  let nullChecked = false;
  let narrowing = false;
  for (const [operator, block] of Object.entries(condition as Record<string, Record<string, unknown>>)) {
    for (const [key, value] of Object.entries(block ?? {})) {
      if (key.toLowerCase() !== 'dynamodb:leadingkeys') {
        continue;
      }
      if (operator.toLowerCase() === 'null') {
        nullChecked ||= String(value).toLowerCase() === 'false';
        continue;
      }
      forAllValues ||= operator.toLowerCase().startsWith('forallvalues:');
      const values = Array.isArray(value) ? value : [value];
      // A value that is not a plain string (a token) is taken to narrow: it cannot be read here.
      narrowing ||= values.some((v) => typeof v !== 'string' || !/^[*?]*$/.test(v));
    }
  }
  if (!narrowing) {
    return false;
  }
  return !forAllValues || nullChecked || !KEYLESS_ACTIONS.some((a) => allowsAction(statement, a));
}

/**
 * No policy allows data actions on a table declared multi-tenant (`MultiTenantTable.declare()`)
 * without a `dynamodb:LeadingKeys` condition that narrows the keys (a value other than `*`, and a `Null`
 * check beside `ForAllValues` when Scan or PartiQL is allowed): through `Action`, `NotAction` or an attached AWS
 * managed policy, on the table in any reference form, on `*` or on a wildcard table ARN. A statement
 * whose resources cannot be resolved is reported as `Unresolved`: it may name the table.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const statements = policyStatements(node);
    if (statements === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    // The declaration is resource metadata, readable without rendering every table of the stack.
    const tenantTables = stackResources(node, 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', SAM_SIMPLE_TABLE)
      .filter((t) => isTrue(t.getMetadata(MultiTenantTable.METADATA_KEY)))
      .map(renderResource);
    if (tenantTables.length === 0) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const findings = new Set<string>();
    for (const statement of statements) {
      if (scopesLeadingKeys(statement) || !DATA_ACTIONS.some((a) => allowsAction(statement, a))) {
        continue;
      }
      const refs = resolveIn(node, statement.resources);
      let named = false;
      for (const table of tenantTables) {
        // A table's own resource policy speaks of that table only.
        if (statement.resourcePolicy && table.logicalId !== logicalIdOf(node)) {
          continue;
        }
        if (coversTable(refs, table.logicalId, literalName(table.type, table.properties))) {
          findings.add(`Table::${table.logicalId}`);
          named = true;
        }
      }
      if (!named && refs.unresolved.length > 0) {
        findings.add('Unresolved');
      }
    }
    return [...findings];
  },
  'name',
  { value: parse(__filename).name },
);
