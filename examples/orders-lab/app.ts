import { App, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { BlueprintTable, IndexProjection, KeyDistribution, SortKeyCondition } from 'cdk-dynamodb-blueprints';

/** The busiest second over the average: a Black Friday hour. */
const PEAK_FACTOR = 5;
/** The busiest customer (a reseller) makes 0.1% of the orders and reads. */
const CUSTOMERS = KeyDistribution.hottestShare(0.001, 1_000_000);
/** Five statuses; PLACED takes 60% of the by-status writes and reads. */
const STATUSES = KeyDistribution.hottestShare(0.6, 5);
/** Write shards of GSI1PK (STATUS#<status>#<0-9>). */
const STATUS_SHARDS = 10;

/**
 * An order store as a CDK app: orders per customer, by status and by order id.
 *
 * Items: PK = CUST#<customerId>, SK = ORDER#<yyyy-mm-dd>#<orderId>, so one Query with
 * begins_with(SK, 'ORDER#2026-06') lists a customer's orders of a month, in date order.
 */
export class OrdersLabStack extends Stack {
  public readonly orders: BlueprintTable;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.orders = new BlueprintTable(this, 'LabOrders', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      // Orders by status. A bare `status` partition key would put every PLACED order on one
      // partition; GSI1PK is STATUS#<status>#<0-9> (a write shard from the order id), read by
      // fanning one Query out to the ten shards. GSI1SK orders them by total.
      blueprintGlobalSecondaryIndexes: [{
        indexName: 'byStatus',
        partitionKey: { name: 'GSI1PK', type: AttributeType.STRING },
        sortKey: { name: 'GSI1SK', type: AttributeType.STRING },
        projection: IndexProjection.include(['status', 'total', 'city']),
      }],
      // Abandoned carts expire: expiresAt is a Number of epoch seconds.
      timeToLiveAttribute: 'expiresAt',
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
    Validations.of(this.orders).acknowledge({ id: 'DynamoDBBlueprint-DDB14', reason: "A sample app: it assumes the account's organization trail records the data events of every DynamoDB table (an advanced event selector on resources.type AWS::DynamoDB::Table). In an account without one, add `new TableDataEvents(this, 'Audit', { tables })`, as examples/operations does." });

    // Support looks an order up by its id alone: GSI2PK = ORDER#<orderId>, keys only, then GetItem.
    this.orders.addBlueprintGlobalSecondaryIndex({
      indexName: 'byOrderId',
      partitionKey: { name: 'GSI2PK', type: AttributeType.STRING },
      projection: IndexProjection.keysOnly(),
    });

    // Every read the app makes, checked at synth against the keys and projections above.
    this.orders.addAccessPattern({
      name: 'getOrder',
      description: 'One order by customer and order key',
      partitionKey: 'PK',
      partitionKeyValue: 'CUST#<customerId>',
      sortKeyCondition: SortKeyCondition.equalTo('ORDER#<yyyy-mm-dd>#<orderId>'),
      returns: ['status', 'total', 'city'],
      traffic: { requestsPerSecond: 3000, peakFactor: PEAK_FACTOR, distribution: CUSTOMERS },
    });
    this.orders.addAccessPattern({
      name: 'ordersByCustomer',
      description: "A customer's orders, newest first (ScanIndexForward=false)",
      partitionKey: 'PK',
      partitionKeyValue: 'CUST#<customerId>',
      sortKeyCondition: SortKeyCondition.beginsWith('ORDER#'),
      returns: ['status', 'total', 'city'],
      typicalResultItems: 20,
      traffic: { requestsPerSecond: 500, peakFactor: PEAK_FACTOR, distribution: CUSTOMERS },
    });
    this.orders.addAccessPattern({
      name: 'ordersOfMonth',
      description: "A customer's orders of one month, read strongly after checkout",
      partitionKey: 'PK',
      partitionKeyValue: 'CUST#<customerId>',
      sortKeyCondition: SortKeyCondition.beginsWith('ORDER#<yyyy-mm>'),
      consistentRead: true,
      typicalResultItems: 5,
      traffic: { requestsPerSecond: 200, peakFactor: PEAK_FACTOR, distribution: CUSTOMERS },
    });
    this.orders.addAccessPattern({
      name: 'ordersByStatus',
      description: 'Orders of one status by total, fanned out over the 10 write shards',
      index: 'byStatus',
      partitionKey: 'GSI1PK',
      partitionKeyValue: 'STATUS#<status>',
      partitionKeyShards: STATUS_SHARDS,
      returns: ['status', 'total', 'city'],
      typicalResultItems: 50,
      typicalItemSizeBytes: 200,
      traffic: { requestsPerSecond: 20, distribution: STATUSES },
    });

    // The writes, for the heat forecast: every order write (placing it, moving it to another status) puts
    // a 200-byte entry into byStatus under its status. At the Black Friday peak that is 12,500 writes/s, and
    // PLACED takes 60% of them: 7,500 WCU/s on one status value, 9.4 partitions' worth at 80% utilization.
    // Hence the 10 write shards of GSI1PK: 750 WCU/s per shard.
    this.orders.addWriteTraffic({
      name: 'orderWrites',
      description: 'Orders placed, and orders moved to another status',
      traffic: { requestsPerSecond: 2500, peakFactor: PEAK_FACTOR, distribution: CUSTOMERS },
      itemSizeBytes: 1024,
      indexes: [{ indexName: 'byStatus', distribution: STATUSES, entrySizeBytes: 200, partitionKeyShards: STATUS_SHARDS }],
    });
    this.orders.addAccessPattern({
      name: 'orderById',
      description: "An order's keys by order id alone, for support",
      index: 'byOrderId',
      partitionKey: 'GSI2PK',
      partitionKeyValue: 'ORDER#<orderId>',
    });
  }
}

export function createStacks(app: App): void {
  new OrdersLabStack(app, 'OrdersLab', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: 'ap-south-1' },
  });
}
