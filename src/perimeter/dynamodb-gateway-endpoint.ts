import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { tableResourceOf } from '../model/rendering';
import { hostError } from '../private/host-language';

/** The item-level and describe actions an endpoint policy allows by default. */
const DEFAULT_ENDPOINT_ACTIONS = [
  'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLSelect', 'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete',
  'dynamodb:DescribeTable',
];

/** The data actions a table's resource policy refuses outside the endpoint. */
const DATA_ACTIONS = DEFAULT_ENDPOINT_ACTIONS.filter((a) => a !== 'dynamodb:DescribeTable');

/** Properties of `DynamoDBGatewayEndpoint`. */
export interface DynamoDBGatewayEndpointProps {
  /** The VPC whose route tables get the endpoint. */
  readonly vpc: ec2.IVpc;

  /**
   * The tables the VPC may reach through the endpoint: the endpoint policy allows these tables and their
   * indexes, and nothing else, whatever the callers' IAM policies allow.
   */
  readonly tables: ITable[];

  /**
   * The subnets whose route tables send DynamoDB traffic to the endpoint.
   *
   * @default - every subnet of the VPC
   */
  readonly subnets?: ec2.SubnetSelection[];

  /**
   * The DynamoDB actions the endpoint policy allows on the tables.
   *
   * @default - item reads and writes, Query, Scan, PartiQL and DescribeTable
   */
  readonly actions?: string[];
}

/**
 * A Gateway VPC endpoint for DynamoDB: traffic from the VPC to DynamoDB stays on the AWS network, and
 * its endpoint policy allows only the tables it serves (and their indexes), so a principal inside the VPC
 * cannot copy data to a table of another account through it.
 *
 * `requireEndpoint(table)` adds a statement to a table's resource policy that refuses data actions that
 * do not come through this endpoint (`aws:SourceVpce`); `TableAccess`'s `sourceVpce` does the same in a grant.
 *
 * @example
 * const endpoint = new DynamoDBGatewayEndpoint(this, 'DynamoDB', { vpc, tables: [orders] });
 * endpoint.requireEndpoint(orders);
 */
export class DynamoDBGatewayEndpoint extends Construct {
  /** The gateway endpoint. */
  public readonly endpoint: ec2.GatewayVpcEndpoint;

  /** The endpoint id (`vpce-...`), the value of `aws:SourceVpce` for requests through it. */
  public readonly vpcEndpointId: string;

  private readonly tables: ITable[];

  constructor(scope: Construct, id: string, props: DynamoDBGatewayEndpointProps) {
    super(scope, id);
    const errors: string[] = [];
    if (props.tables.length === 0) {
      errors.push(`\`tables\` is empty on ${this.node.path}: list the tables the VPC reaches through the endpoint; an endpoint policy allowing no table blocks all DynamoDB traffic of the VPC.`);
    }
    const actions = props.actions ?? DEFAULT_ENDPOINT_ACTIONS;
    const wrong = actions.filter((a) => !/^dynamodb:[A-Za-z]+$/.test(a));
    if (actions.length === 0 || wrong.length > 0) {
      errors.push(`\`actions\` on ${this.node.path} is ${JSON.stringify(actions)}: list DynamoDB actions by name, such as 'dynamodb:GetItem' (no wildcard, no other service).`);
    }
    if (errors.length > 0) {
      throw hostError(errors.join('\n'));
    }
    this.endpoint = new ec2.GatewayVpcEndpoint(this, 'Resource', {
      vpc: props.vpc,
      service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
      subnets: props.subnets,
    });
    this.tables = [...props.tables];
    // ARNs from the table names: a named table's ARN is then a literal, so that the table's resource policy
    // can name this endpoint (`requireEndpoint`) without the two resources referencing each other.
    const stack = Stack.of(this);
    const arn = (t: ITable) => stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: literalTableName(t) ?? t.tableName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    this.endpoint.addToPolicy(new iam.PolicyStatement({
      sid: 'ServedTablesOnly',
      effect: iam.Effect.ALLOW,
      // A gateway endpoint's policy takes only the literal `"Principal": "*"` (principals are named with
      // `aws:PrincipalArn`), not `{"AWS": "*"}`.
      principals: [new iam.StarPrincipal()],
      actions,
      resources: props.tables.flatMap((t) => [arn(t), `${arn(t)}/index/*`]),
    }));
    this.vpcEndpointId = this.endpoint.vpcEndpointId;
  }

  /**
   * Adds a statement to the table's resource policy that denies its data actions (item reads and writes,
   * Query, Scan, PartiQL) to any request that does not come through this endpoint, AWS services acting for
   * the account excepted (`aws:PrincipalIsAWSService`). Control-plane actions (DescribeTable) stay open.
   *
   * Note: callers outside the VPC (a Lambda function not attached to it, a stream consumer, the console's
   * item explorer) lose data access to the table. The table must be one of `tables` and have a literal
   * `tableName`: the endpoint policy names it, and its resource policy names the endpoint, so with a
   * generated name the two would reference each other, a cycle CloudFormation refuses.
   *
   * @param table a `TableV2`, `BlueprintTable` or `Table` of this app, served by this endpoint
   */
  public requireEndpoint(table: ITable): iam.AddToResourcePolicyResult {
    const errors: string[] = [];
    if (!this.tables.includes(table)) {
      errors.push(`\`table\` ${table.node.path} is not one of the \`tables\` of ${this.node.path}: its endpoint policy would refuse every request to it. Add it to \`tables\`.`);
    }
    if (literalTableName(table) === undefined) {
      errors.push(`\`table\` ${table.node.path} has a generated name: the endpoint policy of ${this.node.path} and the table's resource policy would reference each other (a dependency cycle). Give the table a \`tableName\`, or grant with \`TableAccess\` and \`sourceVpce\` instead.`);
    }
    const withPolicy = table as unknown as Partial<iam.IResourceWithPolicy>;
    if (typeof withPolicy.addToResourcePolicy !== 'function') {
      errors.push(`\`table\` ${table.node.path} takes no resource policy: pass a TableV2, BlueprintTable or Table defined in this app.`);
    }
    if (errors.length > 0) {
      throw hostError(errors.join('\n'));
    }
    return withPolicy.addToResourcePolicy!(new iam.PolicyStatement({
      sid: 'DenyDataActionsOutsideEndpoint',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: DATA_ACTIONS,
      // The table's own ARN would make its resource policy depend on itself: `*` is the table the policy is on.
      resources: ['*'],
      conditions: {
        StringNotEquals: { 'aws:SourceVpce': this.vpcEndpointId },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      },
    }));
  }
}

/** The table's name when the app sets it (`tableName`) or imports the table by name or ARN; undefined when CloudFormation generates it. */
function literalTableName(table: ITable): string | undefined {
  if (!Token.isUnresolved(table.tableName)) {
    return table.tableName;
  }
  const name = (tableResourceOf(table) as unknown as { tableName?: unknown } | undefined)?.tableName;
  return typeof name === 'string' && !Token.isUnresolved(name) ? name : undefined;
}
