/**
 * A small model of how IAM evaluates an identity policy's Allow statements for one DynamoDB request:
 * action and resource matching with `*` and `?`, policy variables in condition values, and the
 * condition operators our grants use (StringEquals, StringEqualsIfExists, ForAllValues:StringEquals,
 * ForAnyValue:StringEquals, Null). It exists because the IAM policy simulator is not reachable offline.
 *
 * It does not model: Deny statements from other policies, SCPs, permission boundaries, session
 * policies, resource policies, KMS key policies, NotAction/NotResource, or what DynamoDB actually puts
 * into the request context for each API (the tests state that as assumptions, from the DynamoDB docs).
 */

/** One request as IAM sees it. Condition keys that are absent are `undefined`. */
export interface RequestContext {
  readonly action: string;
  readonly resource: string;
  /** Tags of the calling principal (`aws:PrincipalTag/<key>`). */
  readonly principalTags?: Record<string, string>;
  /** The Cognito identity id (`cognito-identity.amazonaws.com:sub`). */
  readonly cognitoIdentityId?: string;
  /** `dynamodb:LeadingKeys`: the partition key values the request touches. */
  readonly leadingKeys?: string[];
  /** `dynamodb:Attributes`: the attribute names the request reads or writes. */
  readonly attributes?: string[];
  /** `dynamodb:Select`. */
  readonly select?: string;
  /** `dynamodb:ReturnValues`. */
  readonly returnValues?: string;
}

/** A statement as rendered in a template, with resolved strings. */
export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export type Decision = 'ALLOW' | 'IMPLICIT_DENY' | 'EXPLICIT_DENY';

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, ignoreCase ? 'i' : '');
  return re.test(value);
}

/** The request context's value(s) of a condition key, or undefined when absent. */
function contextValues(ctx: RequestContext, key: string): string[] | undefined {
  switch (key) {
    case 'dynamodb:LeadingKeys': return ctx.leadingKeys;
    case 'dynamodb:Attributes': return ctx.attributes;
    case 'dynamodb:Select': return ctx.select === undefined ? undefined : [ctx.select];
    case 'dynamodb:ReturnValues': return ctx.returnValues === undefined ? undefined : [ctx.returnValues];
    case 'cognito-identity.amazonaws.com:sub': return ctx.cognitoIdentityId === undefined ? undefined : [ctx.cognitoIdentityId];
    default:
      if (key.startsWith('aws:PrincipalTag/')) {
        const v = ctx.principalTags?.[key.slice('aws:PrincipalTag/'.length)];
        return v === undefined ? undefined : [v];
      }
      throw new Error(`The evaluator does not model the condition key ${key}`);
  }
}

/**
 * Substitutes `${...}` policy variables in a condition value. A variable with no value in the context
 * makes the value match nothing (undefined), as IAM does for a variable without a default.
 */
export function substitute(value: string, ctx: RequestContext): string | undefined {
  let missing = false;
  const out = value.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
    if (name === '*' || name === '?' || name === '$') {
      return name;
    }
    const v = contextValues(ctx, name);
    if (v === undefined || v.length !== 1) {
      missing = true;
      return '';
    }
    return v[0];
  });
  return missing ? undefined : out;
}

function evaluateOperator(operator: string, key: string, policyValues: unknown[], ctx: RequestContext): boolean {
  const requestValues = contextValues(ctx, key);
  if (operator === 'Null') {
    const wantsAbsent = String(policyValues[0]) === 'true';
    const absent = requestValues === undefined || requestValues.length === 0;
    return wantsAbsent === absent;
  }
  const allowed = policyValues.map((v) => substitute(String(v), ctx)).filter((v): v is string => v !== undefined);
  const matches = (v: string) => allowed.includes(v);
  switch (operator) {
    case 'StringEquals':
      return requestValues !== undefined && requestValues.length > 0 && requestValues.some(matches);
    case 'StringEqualsIfExists':
      return requestValues === undefined || requestValues.some(matches);
    case 'ForAllValues:StringEquals':
      // True for an absent or empty key: the reason grants pair it with a Null check.
      return (requestValues ?? []).every(matches);
    case 'ForAnyValue:StringEquals':
      return (requestValues ?? []).some(matches);
    default:
      throw new Error(`The evaluator does not model the condition operator ${operator}`);
  }
}

/** Whether all conditions of a statement hold: operators AND keys AND, values of one key OR. */
export function conditionsHold(condition: Record<string, Record<string, unknown>> | undefined, ctx: RequestContext): boolean {
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) {
      if (!evaluateOperator(operator, key, list(values), ctx)) {
        return false;
      }
    }
  }
  return true;
}

function statementApplies(s: PolicyStatementJson, ctx: RequestContext): boolean {
  const actionMatch = list(s.Action).some((a) => globMatch(String(a), ctx.action, true));
  const resourceMatch = list(s.Resource).some((r) => globMatch(String(r), ctx.resource, false));
  return actionMatch && resourceMatch && conditionsHold(s.Condition, ctx);
}

/** Evaluates identity-policy statements for one request: an explicit Deny wins, then any Allow, else implicit deny. */
export function evaluate(statements: PolicyStatementJson[], ctx: RequestContext): Decision {
  const applying = statements.filter((s) => statementApplies(s, ctx));
  if (applying.some((s) => s.Effect === 'Deny')) {
    return 'EXPLICIT_DENY';
  }
  return applying.some((s) => s.Effect === 'Allow') ? 'ALLOW' : 'IMPLICIT_DENY';
}
