import { CfnResource } from 'aws-cdk-lib';
import { policyDocument } from '../../../model/policy-documents';
import { globMatches } from '../../../model/references';
import { renderResource } from '../../../model/rendering';
import { SAM_FUNCTION, samPolicies } from '../../../model/sam';

/** An IAM policy statement as the template shows it, with Action, NotAction and Resource always lists. */
export interface PolicyStatement {
  readonly effect: string;
  /** `Action`, or empty for a `NotAction` statement. */
  readonly actions: string[];
  /** `NotAction`, when the statement uses it: it allows every action but these. */
  readonly notActions?: string[];
  /** `Resource`; a `NotResource` statement reads as `*` (it reaches every resource but a few). */
  readonly resources: unknown[];
  readonly condition: any;
  /** The AWS managed policy the statement comes from, for a role, user or group that attaches one. */
  readonly managedPolicy?: string;
  /** Whether the statement is of a table's own resource policy, where every statement is about that table. */
  readonly resourcePolicy?: boolean;
}

/**
 * What the AWS managed policies that reach DynamoDB data on every table grant, as statements.
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html
 */
const AWS_MANAGED_POLICIES: Record<string, string[]> = {
  AdministratorAccess: ['*'],
  PowerUserAccess: ['dynamodb:*'],
  AmazonDynamoDBFullAccess: ['dynamodb:*'],
  AmazonDynamoDBFullAccess_v2: ['dynamodb:*'],
  AmazonDynamoDBFullAccesswithDataPipeline: ['dynamodb:*'],
  AmazonDynamoDBReadOnlyAccess: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PartiQLSelect'],
  ReadOnlyAccess: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PartiQLSelect'],
};

/**
 * The statements of every policy a resource carries: `AWS::IAM::Policy` and `ManagedPolicy`
 * documents, the inline policies of roles, users and groups, and the AWS managed policies they
 * attach (`ManagedPolicyArns`); a SAM function's `Policies` (policy templates expanded); a table's
 * own `ResourcePolicy` (of each replica for a global table). Documents may be objects, JSON strings
 * or an `Fn::Sub` of one. Undefined for other resources.
 */
export function policyStatements(node: CfnResource): PolicyStatement[] | undefined {
  const props = (): any => renderResource(node).properties;
  let documents: unknown[];
  let managed: PolicyStatement[] = [];
  switch (node.cfnResourceType) {
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
      documents = [props().PolicyDocument];
      break;
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      documents = asList(props().Policies).map((p: any) => p?.PolicyDocument);
      managed = awsManagedPolicies(props().ManagedPolicyArns);
      break;
    case SAM_FUNCTION: {
      const sam = samPolicies(props().Policies);
      documents = sam.documents;
      managed = awsManagedPolicies(sam.managedPolicyArns);
      break;
    }
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable': {
      const p = props();
      const policies = [p.ResourcePolicy, ...asList(p.Replicas).map((r: any) => r?.ResourcePolicy)];
      return policies.flatMap((policy) => statementsOf(policy?.PolicyDocument))
        .map((s) => ({ ...s, resources: s.resources.length === 0 ? ['*'] : s.resources, resourcePolicy: true }));
    }
    default:
      return undefined;
  }
  return [...documents.flatMap(statementsOf), ...managed];
}

/** The statements of one policy document, in any form CloudFormation accepts. */
function statementsOf(value: unknown): PolicyStatement[] {
  const doc = policyDocument(value);
  return asList(doc?.Statement).filter((s) => s !== null && typeof s === 'object').map((s: any): PolicyStatement => ({
    effect: s.Effect ?? 'Allow',
    actions: asList(s.Action).filter((a): a is string => typeof a === 'string'),
    notActions: s.NotAction === undefined ? undefined : asList(s.NotAction).filter((a): a is string => typeof a === 'string'),
    resources: s.NotResource !== undefined ? ['*'] : asList(s.Resource),
    condition: s.Condition,
  }));
}

/** The AWS managed policies among `ManagedPolicyArns` (`arn:${Partition}:iam::aws:policy/<name>`) that reach DynamoDB data. */
function awsManagedPolicies(arns: unknown): PolicyStatement[] {
  return asList(arns).flatMap((arn) => {
    const name = /:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)"?/.exec(typeof arn === 'string' ? arn : JSON.stringify(arn))?.[1];
    const actions = name === undefined ? undefined : AWS_MANAGED_POLICIES[name];
    return actions === undefined ? [] : [{ effect: 'Allow', actions, resources: ['*'], condition: undefined, managedPolicy: name }];
  });
}

function asList(value: unknown): any[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/** Whether an IAM action pattern (`dynamodb:*`, `dynamodb:Sc*`, `*`) matches an action, ignoring case. */
export function actionMatches(pattern: string, action: string): boolean {
  return globMatches(pattern, action);
}

/** Whether an `Allow` statement allows `action`: through `Action`, or through a `NotAction` that leaves it out. */
export function allowsAction(statement: PolicyStatement, action: string): boolean {
  if (statement.effect !== 'Allow') {
    return false;
  }
  if (statement.notActions !== undefined) {
    return !statement.notActions.some((pattern) => actionMatches(pattern, action));
  }
  return statement.actions.some((pattern) => actionMatches(pattern, action));
}

/** The actions of a statement that allow one of `actions`, as written; `NotAction::<list>` for a NotAction statement. */
export function matchingActions(statement: PolicyStatement, actions: string[]): string[] {
  if (statement.effect !== 'Allow') {
    return [];
  }
  if (statement.notActions !== undefined) {
    return actions.some((a) => allowsAction(statement, a)) ? [`NotAction::${statement.notActions.join(',')}`] : [];
  }
  return statement.actions.filter((pattern) => actions.some((a) => actionMatches(pattern, a)));
}

/** Whether a statement condition tests the `dynamodb:LeadingKeys` key, under any operator. */
export function hasLeadingKeysCondition(condition: any): boolean {
  if (condition === null || typeof condition !== 'object') {
    return false;
  }
  return Object.values(condition).some((block) => block !== null && typeof block === 'object'
    && Object.keys(block as object).some((key) => key.toLowerCase() === 'dynamodb:leadingkeys'));
}
