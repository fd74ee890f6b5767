"""A global table across two accounts: the orders table in account A (us-east-1) and a replica of it
in account B (eu-west-1) with the same protections.

DynamoDB never copies point-in-time recovery, deletion protection, the encryption key or contributor
insights to a replica: BlueprintMultiAccountReplica sets them on the replica itself, with a key of
account B. The source table's resource policy (which lets account B associate the replica) is written
by the source table, because both stacks are in this app.
"""
import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb

from cdk_dynamodb_blueprints import BlueprintMultiAccountReplica, BlueprintTable

SOURCE_ENV = cdk.Environment(account="111111111111", region="us-east-1")
REPLICA_ENV = cdk.Environment(account="222222222222", region="eu-west-1")


def create_stacks(app: cdk.App) -> tuple[cdk.Stack, cdk.Stack, BlueprintMultiAccountReplica]:
    source_stack = cdk.Stack(app, "OrdersSource", env=SOURCE_ENV)
    orders = BlueprintTable(
        source_stack,
        "Orders",
        partition_key=dynamodb.Attribute(name="PK", type=dynamodb.AttributeType.STRING),
        sort_key=dynamodb.Attribute(name="SK", type=dynamodb.AttributeType.STRING),
    )
    replica_stack = cdk.Stack(app, "OrdersReplica", env=REPLICA_ENV)
    replica = BlueprintMultiAccountReplica(replica_stack, "Replica", replica_source_table=orders)
    return source_stack, replica_stack, replica
