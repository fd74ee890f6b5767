import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { actionMatches, policyStatements } from './policy-statements';
import { isTableType, renderResource, stackResources } from '../../resources';

/** The actions that read (or rewrite) a whole table or index in one call. */
const WHOLE_TABLE_ACTIONS = [
  'dynamodb:Scan',
  'dynamodb:PartiQLSelect',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];

/**
 * No policy allows `dynamodb:Scan`, a PartiQL action or a wildcard covering them on a DynamoDB
 * table or index (or on `*`).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const statements = policyStatements(node);
    if (statements === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    let tableIds: string[] | undefined;
    const coversTable = (resource: unknown): boolean => {
      if (resource === '*') {
        return true;
      }
      const text = JSON.stringify(resource);
      if (/:dynamodb:/.test(text)) {
        return true;
      }
      tableIds ??= stackResources(node, 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable')
        .filter((t) => isTableType(t.cfnResourceType))
        .map((t) => renderResource(t).logicalId);
      return tableIds.some((id) => text.includes(`"${id}"`));
    };
    const findings = new Set<string>();
    for (const statement of statements) {
      if (statement.effect !== 'Allow' || !statement.resources.some(coversTable)) {
        continue;
      }
      for (const action of statement.actions) {
        if (WHOLE_TABLE_ACTIONS.some((a) => actionMatches(action, a))) {
          findings.add(`Action::${action}`);
        }
      }
    }
    return [...findings];
  },
  'name',
  { value: parse(__filename).name },
);
