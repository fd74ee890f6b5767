import { App, Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, Capacity, TableEncryptionV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { BlueprintTable, IndexProjection } from 'cdk-dynamodb-blueprints';

/** The alias every region's table key is created under, so the table stack can name it by ARN. */
export const TABLE_KEY_ALIAS = 'alias/global-orders-table';

/**
 * AWS Control Tower's CT.KMS.PR.3: only AWS services acting for a resource (DynamoDB, for the table
 * and its replicas) may create grants on a key. CDK's default key policy does not say so.
 */
function denyGrantsNotForAwsResources(key: kms.Key): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyGrantsNotForAwsResources',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
}

/**
 * A customer-managed key in one replica region. A KMS key never leaves its region, so each
 * replica of a global table is encrypted with a key of its own region.
 */
export class ReplicaKeyStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    denyGrantsNotForAwsResources(new kms.Key(this, 'TableKey', {
      alias: TABLE_KEY_ALIAS,
      description: 'Encrypts the global-orders table replica in this region',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
    }));
  }
}

export interface GlobalOrdersStackProps extends StackProps {
  /** Regions that hold a replica, each with a ReplicaKeyStack deployed first. */
  readonly replicaRegions: string[];
}

/**
 * A multi-region, active-active orders table: steady, forecastable traffic, so provisioned
 * capacity with auto scaling on both reads and writes; a replica in each region with its own key.
 */
export class GlobalOrdersStack extends Stack {
  public readonly orders: BlueprintTable;

  constructor(scope: Construct, id: string, props: GlobalOrdersStackProps) {
    super(scope, id, props);

    const tableKey = new kms.Key(this, 'TableKey', {
      alias: TABLE_KEY_ALIAS,
      description: 'Encrypts the global-orders table in its primary region',
      enableKeyRotation: true,
    });
    denyGrantsNotForAwsResources(tableKey);
    const replicaKeyArns: Record<string, string> = {};
    for (const region of props.replicaRegions) {
      replicaKeyArns[region] = this.formatArn({ service: 'kms', region, resource: 'alias', resourceName: TABLE_KEY_ALIAS.replace(/^alias\//, '') });
    }

    this.orders = new BlueprintTable(this, 'Orders', {
      tableName: 'global-orders',
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      billing: Billing.provisioned({
        readCapacity: Capacity.autoscaled({ minCapacity: 10, maxCapacity: 2000 }),
        writeCapacity: Capacity.autoscaled({ minCapacity: 10, maxCapacity: 1000, targetUtilizationPercent: 60 }),
      }),
      // Each region owns the orders it takes (GSI1PK = REGION#<region>#<shard>), which keeps
      // last-writer-wins conflicts between regions out of the order lifecycle.
      blueprintGlobalSecondaryIndexes: [{
        indexName: 'byRegion',
        partitionKey: { name: 'GSI1PK', type: AttributeType.STRING },
        sortKey: { name: 'GSI1SK', type: AttributeType.STRING },
        projection: IndexProjection.keysOnly(),
      }],
      encryption: TableEncryptionV2.customerManagedKey(tableKey, replicaKeyArns),
      replicas: props.replicaRegions.map((region) => ({ region })),
    });
    Validations.of(this.orders).acknowledge({
      id: 'DynamoDBBlueprint-DDB14',
      reason: "A sample app: it assumes the organization's multi-region trail records the data events of every DynamoDB table (an advanced event selector on resources.type AWS::DynamoDB::Table). A selector on this stack's table ARN would record only the us-east-1 replica: each replica is written in its own region, under its own ARN.",
    });
  }
}

export function createStacks(app: App): void {
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const replicaRegions = ['eu-west-1', 'ap-southeast-2'];
  const keyStacks = replicaRegions.map((region) =>
    new ReplicaKeyStack(app, `GlobalOrdersKey-${region}`, { env: { account, region } }));
  const table = new GlobalOrdersStack(app, 'GlobalOrders', {
    env: { account, region: 'us-east-1' },
    replicaRegions,
  });
  keyStacks.forEach((keyStack) => table.addStackDependency(keyStack));
}
