"""The orders lab (examples/orders-lab/app.ts) written in Python: orders per customer.

Items: PK = CUST#<customerId>, SK = ORDER#<yyyy-mm-dd>#<orderId>, so one Query with
begins_with(SK, 'ORDER#2026-06') lists a customer's orders of a month, in date order.
"""
import os

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from cdk_dynamodb_blueprints import (
    BlueprintTable,
    BlueprintGlobalSecondaryIndexProps,
    IndexProjection,
    SortKeyCondition,
)


class OrdersLabStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        self.orders = BlueprintTable(
            self,
            "LabOrders",
            partition_key=dynamodb.Attribute(name="PK", type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name="SK", type=dynamodb.AttributeType.STRING),
            # Orders by status. A bare `status` partition key would put every PLACED order on one
            # partition; GSI1PK is STATUS#<status>#<0-9> (a write shard from the order id), read by
            # fanning one Query out to the ten shards. GSI1SK orders them by total.
            blueprint_global_secondary_indexes=[
                BlueprintGlobalSecondaryIndexProps(
                    index_name="byStatus",
                    partition_key=dynamodb.Attribute(name="GSI1PK", type=dynamodb.AttributeType.STRING),
                    sort_key=dynamodb.Attribute(name="GSI1SK", type=dynamodb.AttributeType.STRING),
                    projection=IndexProjection.include(["status", "total", "city"]),
                )
            ],
            # Abandoned carts expire: expiresAt is a Number of epoch seconds.
            time_to_live_attribute="expiresAt",
            dynamo_stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
        )

        # Support looks an order up by its id alone: GSI2PK = ORDER#<orderId>, keys only, then GetItem.
        self.orders.add_blueprint_global_secondary_index(
            index_name="byOrderId",
            partition_key=dynamodb.Attribute(name="GSI2PK", type=dynamodb.AttributeType.STRING),
            projection=IndexProjection.keys_only(),
        )

        # Every read the app makes, checked at synth against the keys and projections above.
        self.orders.add_access_pattern(
            name="getOrder",
            description="One order by customer and order key",
            partition_key="PK",
            partition_key_value="CUST#<customerId>",
            sort_key_condition=SortKeyCondition.equal_to("ORDER#<yyyy-mm-dd>#<orderId>"),
            returns=["status", "total", "city"],
        )
        self.orders.add_access_pattern(
            name="ordersByCustomer",
            description="A customer's orders, newest first (ScanIndexForward=false)",
            partition_key="PK",
            partition_key_value="CUST#<customerId>",
            sort_key_condition=SortKeyCondition.begins_with("ORDER#"),
            returns=["status", "total", "city"],
            typical_result_items=20,
        )
        self.orders.add_access_pattern(
            name="ordersOfMonth",
            description="A customer's orders of one month, read strongly after checkout",
            partition_key="PK",
            partition_key_value="CUST#<customerId>",
            sort_key_condition=SortKeyCondition.begins_with("ORDER#<yyyy-mm>"),
            consistent_read=True,
            typical_result_items=5,
        )
        self.orders.add_access_pattern(
            name="ordersByStatus",
            description="Orders of one status by total, fanned out over the 10 write shards",
            index="byStatus",
            partition_key="GSI1PK",
            partition_key_value="STATUS#<status>",
            partition_key_shards=10,
            returns=["status", "total", "city"],
            typical_result_items=50,
            typical_item_size_bytes=200,
        )
        self.orders.add_access_pattern(
            name="orderById",
            description="An order's keys by order id alone, for support",
            index="byOrderId",
            partition_key="GSI2PK",
            partition_key_value="ORDER#<orderId>",
        )


def create_stacks(app: cdk.App) -> OrdersLabStack:
    return OrdersLabStack(
        app,
        "OrdersLab",
        env=cdk.Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region="ap-south-1"),
    )
