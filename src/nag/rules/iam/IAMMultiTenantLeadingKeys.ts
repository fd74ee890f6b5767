import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { allowsAction, hasLeadingKeysCondition, policyStatements } from './policy-statements';
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

/**
 * No policy allows data actions on a table declared multi-tenant (`MultiTenantTable.declare()`)
 * without a `dynamodb:LeadingKeys` condition: through `Action`, `NotAction` or an attached AWS
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
      if (hasLeadingKeysCondition(statement.condition) || !DATA_ACTIONS.some((a) => allowsAction(statement, a))) {
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
