import { App, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import {
  AttributeType, Billing, BillingMode, CfnGlobalTable, Capacity, ProjectionType, StreamViewType, Table, TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Code, Function, Runtime, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { BlueprintTable, IndexProjection, MultiTenantTable } from 'cdk-dynamodb-blueprints';

/*
 * The common DynamoDB design mistakes that a template can show, one construct each, from hot keys and
 * fixed capacity to missing protections and tenant isolation. This app is meant to FAIL
 * DynamoDBBlueprintChecks: each construct's comment names the rule that catches it. Do not copy it.
 */

/**
 * "Throttling on one key": a low-cardinality partition key. Every PLACED order lands on one
 * partition. Caught by DDB8 (DynamoDBPartitionKeyCardinality).
 */
export class HotPartitionKey extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new BlueprintTable(this, 'OrdersByStatus', { partitionKey: { name: 'status', type: AttributeType.STRING } });
  }
}

/**
 * "Throttling though total capacity looks fine (provisioned)": fixed provisioned capacity and a
 * time-based partition key, so today's date takes every write of the day on one partition.
 * Caught by DDB6 (DynamoDBAutoScaling) and DDB8 (DynamoDBPartitionKeyCardinality).
 */
export class FixedCapacityTimeKey extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Table(this, 'Events', {
      partitionKey: { name: 'eventDate', type: AttributeType.STRING },
      sortKey: { name: 'eventId', type: AttributeType.STRING },
      billingMode: BillingMode.PROVISIONED,
      readCapacity: 5,
      writeCapacity: 5,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: new Key(this, 'Key', { enableKeyRotation: true }),
    });
  }
}

/**
 * "A query is slow and expensive and reads the whole table": the job's role may Scan, because
 * `grantReadData` includes `dynamodb:Scan`. Caught by IAM1 (IAMNoDynamoDBScan).
 */
export class ScanPermission extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const table = new BlueprintTable(this, 'Customers', { partitionKey: { name: 'customerId', type: AttributeType.STRING } });
    table.grantReadData(new Role(this, 'ReportJob', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }));
  }
}

/**
 * "Writes to the base table suddenly throttle after adding a GSI": the index scales writes up to
 * 50 units while the table scales to 1000, and DynamoDB throttles the table when the index lags.
 * Caught by DDB7 (DynamoDBGSIWriteCapacity).
 */
export class UnderProvisionedIndex extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new BlueprintTable(this, 'Orders', {
      partitionKey: { name: 'orderId', type: AttributeType.STRING },
      billing: Billing.provisioned({
        readCapacity: Capacity.autoscaled({ maxCapacity: 1000 }),
        writeCapacity: Capacity.autoscaled({ maxCapacity: 1000 }),
      }),
      blueprintGlobalSecondaryIndexes: [{
        indexName: 'byCustomer',
        partitionKey: { name: 'customerId', type: AttributeType.STRING },
        projection: IndexProjection.keysOnly(),
        writeCapacity: Capacity.autoscaled({ maxCapacity: 50 }),
      }],
    });
  }
}

/**
 * "I need to add an LSI but can't": leaning on local secondary indexes, which exist only from
 * table creation and cap every item collection at 10 GB. Caught by DDB10 (DynamoDBNoLSI).
 */
export class LocalSecondaryIndex extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new BlueprintTable(this, 'Messages', {
      partitionKey: { name: 'threadId', type: AttributeType.STRING },
      sortKey: { name: 'messageId', type: AttributeType.STRING },
      blueprintLocalSecondaryIndexes: [{ indexName: 'byPostedAt', sortKey: { name: 'postedAt', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
    });
  }
}

/**
 * "TTL items still showing up ... wrong attribute type": the TTL attribute is a String (it is
 * also an index key), so DynamoDB never expires these items. Caught by DDB13 (DynamoDBTTLAttributeNumber).
 */
export class StringTimeToLive extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const table = new Table(this, 'Sessions', {
      partitionKey: { name: 'sessionId', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: new Key(this, 'Key', { enableKeyRotation: true }),
    });
    table.addGlobalSecondaryIndex({
      indexName: 'byExpiry',
      partitionKey: { name: 'expiresAt', type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
  }
}

/**
 * The cost note's "GSIs with ALL projection": every base-table write also writes a full copy of
 * the item into the index. Caught by DDB9 (DynamoDBGSIProjectionNotAll).
 */
export class AllProjection extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new BlueprintTable(this, 'Products', {
      partitionKey: { name: 'productId', type: AttributeType.STRING },
      blueprintGlobalSecondaryIndexes: [{ indexName: 'byBrand', partitionKey: { name: 'brandId', type: AttributeType.STRING }, projection: IndexProjection.all() }],
    });
  }
}

/**
 * "Turn on PITR and deletion protection for every production table": none of the protections,
 * and the table is deleted with the stack. Caught by DDB1-DDB4 (and DDB5, an advisory rule).
 */
export class UnprotectedTable extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Table(this, 'Invoices', {
      partitionKey: { name: 'invoiceId', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}

/**
 * Global tables replicate through a NEW_AND_OLD_IMAGES stream; this one has two replicas and a
 * KEYS_ONLY stream. Caught by DDB12 (DynamoDBReplicaStreamNewAndOldImages).
 */
export class GlobalTableWithoutImages extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const replica = (region: string): CfnGlobalTable.ReplicaSpecificationProperty => ({
      region,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtectionEnabled: true,
      sseSpecification: { kmsMasterKeyId: `alias/profiles-${region}` },
    });
    const table = new CfnGlobalTable(this, 'Profiles', {
      attributeDefinitions: [{ attributeName: 'userId', attributeType: 'S' }],
      keySchema: [{ attributeName: 'userId', keyType: 'HASH' }],
      billingMode: 'PAY_PER_REQUEST',
      sseSpecification: { sseEnabled: true, sseType: 'KMS' },
      streamSpecification: { streamViewType: StreamViewType.KEYS_ONLY },
      replicas: [replica(Stack.of(this).region), replica('eu-west-1')],
    });
    table.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}

/**
 * A stream consumer with Lambda's defaults: no on-failure destination, no bisect, whole-batch
 * retries, forever. One poison record blocks its shard for a day and is then lost. Caught by
 * ESM1-ESM5.
 */
export class StreamConsumerDefaults extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const table = new BlueprintTable(this, 'Payments', {
      partitionKey: { name: 'paymentId', type: AttributeType.STRING },
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
    const fn = new Function(this, 'Projector', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => ({})'),
      timeout: Duration.seconds(30),
    });
    fn.addEventSource(new DynamoEventSource(table, { startingPosition: StartingPosition.TRIM_HORIZON }));
  }
}

/**
 * A multi-tenant table whose service role may read any tenant's items: no `dynamodb:LeadingKeys`
 * condition. Caught by IAM2 (IAMMultiTenantLeadingKeys).
 */
export class TenantIsolationMissing extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const table = new BlueprintTable(this, 'TenantData', { partitionKey: { name: 'tenantItem', type: AttributeType.STRING } });
    MultiTenantTable.declare(table);
    table.grant(new Role(this, 'Api', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }), 'dynamodb:GetItem', 'dynamodb:Query');
  }
}

/** One construct per anti-pattern, by construct id. */
export const ANTI_PATTERNS = {
  HotPartitionKey,
  FixedCapacityTimeKey,
  ScanPermission,
  UnderProvisionedIndex,
  LocalSecondaryIndex,
  StringTimeToLive,
  AllProjection,
  UnprotectedTable,
  GlobalTableWithoutImages,
  StreamConsumerDefaults,
  TenantIsolationMissing,
};

export class AntiPatternsStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    for (const [name, AntiPattern] of Object.entries(ANTI_PATTERNS)) {
      new AntiPattern(this, name);
    }
  }
}

export function createStacks(app: App): void {
  new AntiPatternsStack(app, 'AntiPatterns', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: 'us-east-1' },
  });
}
