package dev.cdkdynamodbblueprints.examples.orderslab;

import java.util.List;

import dev.cdkdynamodbblueprints.AccessPatternProps;
import dev.cdkdynamodbblueprints.BlueprintGlobalSecondaryIndexProps;
import dev.cdkdynamodbblueprints.BlueprintTable;
import dev.cdkdynamodbblueprints.IndexProjection;
import dev.cdkdynamodbblueprints.SortKeyCondition;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.constructs.Construct;

/**
 * The orders lab (examples/orders-lab/app.ts) written in Java: orders per customer.
 *
 * <p>Items: PK = CUST#&lt;customerId&gt;, SK = ORDER#&lt;yyyy-mm-dd&gt;#&lt;orderId&gt;, so one Query with
 * begins_with(SK, 'ORDER#2026-06') lists a customer's orders of a month, in date order.
 */
public class OrdersLabStack extends Stack {
    private final BlueprintTable orders;

    public OrdersLabStack(final Construct scope, final String id, final StackProps props) {
        super(scope, id, props);

        orders = BlueprintTable.Builder.create(this, "LabOrders")
                .partitionKey(key("PK"))
                .sortKey(key("SK"))
                // Orders by status. A bare `status` partition key would put every PLACED order on one
                // partition; GSI1PK is STATUS#<status>#<0-9> (a write shard from the order id), read by
                // fanning one Query out to the ten shards. GSI1SK orders them by total.
                .blueprintGlobalSecondaryIndexes(List.of(BlueprintGlobalSecondaryIndexProps.builder()
                        .indexName("byStatus")
                        .partitionKey(key("GSI1PK"))
                        .sortKey(key("GSI1SK"))
                        .projection(IndexProjection.include(List.of("status", "total", "city")))
                        .build()))
                // Abandoned carts expire: expiresAt is a Number of epoch seconds.
                .timeToLiveAttribute("expiresAt")
                .dynamoStream(StreamViewType.NEW_AND_OLD_IMAGES)
                .build();

        // Support looks an order up by its id alone: GSI2PK = ORDER#<orderId>, keys only, then GetItem.
        orders.addBlueprintGlobalSecondaryIndex(BlueprintGlobalSecondaryIndexProps.builder()
                .indexName("byOrderId")
                .partitionKey(key("GSI2PK"))
                .projection(IndexProjection.keysOnly())
                .build());

        // Every read the app makes, checked at synth against the keys and projections above.
        orders.addAccessPattern(AccessPatternProps.builder()
                .name("getOrder")
                .description("One order by customer and order key")
                .partitionKey("PK")
                .partitionKeyValue("CUST#<customerId>")
                .sortKeyCondition(SortKeyCondition.equalTo("ORDER#<yyyy-mm-dd>#<orderId>"))
                .returns(List.of("status", "total", "city"))
                .build());
        orders.addAccessPattern(AccessPatternProps.builder()
                .name("ordersByCustomer")
                .description("A customer's orders, newest first (ScanIndexForward=false)")
                .partitionKey("PK")
                .partitionKeyValue("CUST#<customerId>")
                .sortKeyCondition(SortKeyCondition.beginsWith("ORDER#"))
                .returns(List.of("status", "total", "city"))
                .typicalResultItems(20)
                .build());
        orders.addAccessPattern(AccessPatternProps.builder()
                .name("ordersOfMonth")
                .description("A customer's orders of one month, read strongly after checkout")
                .partitionKey("PK")
                .partitionKeyValue("CUST#<customerId>")
                .sortKeyCondition(SortKeyCondition.beginsWith("ORDER#<yyyy-mm>"))
                .consistentRead(true)
                .typicalResultItems(5)
                .build());
        orders.addAccessPattern(AccessPatternProps.builder()
                .name("ordersByStatus")
                .description("Orders of one status by total, fanned out over the 10 write shards")
                .index("byStatus")
                .partitionKey("GSI1PK")
                .partitionKeyValue("STATUS#<status>")
                .partitionKeyShards(10)
                .returns(List.of("status", "total", "city"))
                .typicalResultItems(50)
                .typicalItemSizeBytes(200)
                .build());
        orders.addAccessPattern(AccessPatternProps.builder()
                .name("orderById")
                .description("An order's keys by order id alone, for support")
                .index("byOrderId")
                .partitionKey("GSI2PK")
                .partitionKeyValue("ORDER#<orderId>")
                .build());
    }

    public BlueprintTable getOrders() {
        return orders;
    }

    private static Attribute key(final String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }
}
