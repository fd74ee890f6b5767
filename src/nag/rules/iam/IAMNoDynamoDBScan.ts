import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { matchingActions, policyStatements } from './policy-statements';
import { isTableType, resolveIn, stackIndex } from '../../../model/rendering';

/** The actions that read (or rewrite) a whole table or index in one call. */
const WHOLE_TABLE_ACTIONS = [
  'dynamodb:Scan',
  'dynamodb:PartiQLSelect',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];

/**
 * No policy allows `dynamodb:Scan`, a PartiQL action or a wildcard covering them (through `Action`,
 * `NotAction` or an attached AWS managed policy) on a DynamoDB table or index, on `*`, or on a
 * table ARN with a wildcard; or, in a table's own resource policy, on that table
 * (`ResourcePolicy::<action>`). A statement whose resources cannot be resolved (`Fn::ImportValue`, a
 * parameter) is reported as `Unresolved::<action>`: it may name a table.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const statements = policyStatements(node);
    if (statements === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const findings = new Set<string>();
    for (const statement of statements) {
      const actions = matchingActions(statement, WHOLE_TABLE_ACTIONS);
      if (actions.length === 0) {
        continue;
      }
      const refs = resolveIn(node, statement.resources);
      const index = stackIndex(node);
      const table = refs.wildcardTable || refs.dynamoDBArn || refs.resources.some((r) => isTableType(index.typeOf(r.logicalId)));
      if (statement.resourcePolicy) {
        actions.forEach((action) => findings.add(`ResourcePolicy::${action}`));
      } else if (table) {
        for (const action of actions) {
          findings.add(statement.managedPolicy !== undefined ? `ManagedPolicy::${statement.managedPolicy}`
            : (action.startsWith('NotAction::') ? action : `Action::${action}`));
        }
      } else if (refs.unresolved.length > 0) {
        for (const action of actions) {
          findings.add(`Unresolved::${action}`);
        }
      }
    }
    return [...findings];
  },
  'name',
  { value: parse(__filename).name },
);
