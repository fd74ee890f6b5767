import { runSimulation } from '@cloud-copilot/iam-simulate';

/** The account of every simulated principal and resource. */
export const ACCOUNT = '123456789012';

/** An IAM policy statement as the template holds it, resolved. */
export type StatementJson = Record<string, unknown>;

/** One DynamoDB request, as the request context IAM sees for it. */
export interface SimulatedRequest {
  readonly action: string;
  readonly resource: string;
  /** Tags of the calling principal (`aws:PrincipalTag/<key>`). */
  readonly principalTags?: Record<string, string>;
  /** `dynamodb:LeadingKeys`: every partition key value the request names; absent for Scan or a PartiQL full scan. */
  readonly leadingKeys?: string[];
  readonly attributes?: string[];
  readonly select?: string;
  readonly returnValues?: string;
  /** `aws:SourceVpce`: the VPC endpoint the request came through; absent over the internet. */
  readonly sourceVpce?: string;
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/**
 * The decision of `@cloud-copilot/iam-simulate` (an outside IAM evaluator) on one request, for identity
 * statements, an optional resource policy and the policy of the VPC endpoint the request goes through, if any.
 * A request the simulator rejects as malformed fails the test.
 */
export async function simulate(
  identity: StatementJson[],
  request: SimulatedRequest,
  resourcePolicy?: StatementJson[],
  endpointPolicy?: StatementJson[],
): Promise<Decision> {
  const context: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(request.principalTags ?? {})) {
    context[`aws:PrincipalTag/${key}`] = value;
  }
  const put = (key: string, value: string | string[] | undefined) => {
    if (value !== undefined) {
      context[key] = value;
    }
  };
  put('dynamodb:LeadingKeys', request.leadingKeys);
  put('dynamodb:Attributes', request.attributes);
  put('dynamodb:Select', request.select);
  put('dynamodb:ReturnValues', request.returnValues);
  put('aws:SourceVpce', request.sourceVpce);
  const response: any = await runSimulation({
    identityPolicies: [{ name: 'grant', policy: { Version: '2012-10-17', Statement: identity } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: resourcePolicy === undefined ? undefined : { Version: '2012-10-17', Statement: resourcePolicy },
    vpcEndpointPolicies: endpointPolicy === undefined ? undefined : [{ name: 'endpoint', policy: { Version: '2012-10-17', Statement: endpointPolicy } }],
    request: {
      action: request.action,
      principal: `arn:aws:iam::${ACCOUNT}:role/Caller`,
      resource: { accountId: ACCOUNT, resource: request.resource },
      contextVariables: context,
    },
  } as any, {});
  if (response.resultType === 'error') {
    throw new Error(`the simulator rejected the request: ${JSON.stringify(response.errors)}`);
  }
  return response.overallResult;
}

/**
 * A resolved template fragment with the given `Fn::GetAtt [logicalId, 'Arn']` replaced by a literal ARN, the given
 * `Ref`s by literal values, and
 * every `Fn::Join` of literals joined, so that the simulator sees the ARNs the deployed policy holds.
 */
export function withLiteralArns(json: unknown, arns: Record<string, string>, refs: Record<string, string> = {}): any {
  if (Array.isArray(json)) {
    return json.map((item) => withLiteralArns(item, arns, refs));
  }
  if (json === null || typeof json !== 'object') {
    return json;
  }
  const obj = json as Record<string, any>;
  if (typeof obj.Ref === 'string' && refs[obj.Ref] !== undefined) {
    return refs[obj.Ref];
  }
  const getAtt = obj['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && arns[getAtt[0]] !== undefined) {
    return arns[getAtt[0]];
  }
  const join = obj['Fn::Join'];
  if (Array.isArray(join)) {
    const parts = withLiteralArns(join[1], arns, refs) as unknown[];
    if (parts.every((p) => typeof p === 'string')) {
      return parts.join(join[0]);
    }
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, withLiteralArns(v, arns, refs)]));
}
