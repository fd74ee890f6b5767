import { CfnResource } from 'aws-cdk-lib';
import { renderResource } from '../../resources';

/** An IAM policy statement as the template shows it, with Action and Resource always lists. */
export interface PolicyStatement {
  readonly effect: string;
  readonly actions: string[];
  readonly resources: unknown[];
  readonly condition: any;
}

/**
 * The statements of every policy a resource carries: `AWS::IAM::Policy` and `ManagedPolicy`
 * documents, and the inline policies of roles, users and groups. Undefined for other resources.
 */
export function policyStatements(node: CfnResource): PolicyStatement[] | undefined {
  const props = (): any => renderResource(node).properties;
  let documents: any[];
  switch (node.cfnResourceType) {
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
      documents = [props().PolicyDocument];
      break;
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      documents = (props().Policies ?? []).map((p: any) => p?.PolicyDocument);
      break;
    default:
      return undefined;
  }
  return documents.flatMap((doc) => asList(doc?.Statement)).map((s: any) => ({
    effect: s?.Effect ?? 'Allow',
    // NotAction statements are not read: what they grant depends on every other action there is.
    actions: asList(s?.Action).filter((a): a is string => typeof a === 'string'),
    resources: asList(s?.Resource),
    condition: s?.Condition,
  }));
}

function asList(value: unknown): any[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/** Whether an IAM action pattern (`dynamodb:*`, `dynamodb:Sc*`, `*`) matches an action, ignoring case. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(action);
}

/** Whether a statement condition tests the `dynamodb:LeadingKeys` key, under any operator. */
export function hasLeadingKeysCondition(condition: any): boolean {
  if (condition === null || typeof condition !== 'object') {
    return false;
  }
  return Object.values(condition).some((block) => block !== null && typeof block === 'object'
    && Object.keys(block as object).some((key) => key.toLowerCase() === 'dynamodb:leadingkeys'));
}
