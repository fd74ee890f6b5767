"""Errors read from Python name props as Python writes them (the jsii runtime sets JSII_AGENT=Python/<version>)."""
import aws_cdk as cdk
import pytest
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_lambda as lambda_

PK = dynamodb.Attribute(name="PK", type=dynamodb.AttributeType.STRING)


def _handler(stack: cdk.Stack) -> lambda_.Function:
    return lambda_.Function(
        stack,
        "Handler",
        runtime=lambda_.Runtime.NODEJS_22_X,
        handler="index.handler",
        code=lambda_.Code.from_inline("exports.handler = async () => ({ batchItemFailures: [] });"),
    )


def test_a_consumer_prop_is_named_in_snake_case(tmp_path):
    from cdk_dynamodb_blueprints import BlueprintTable, TableStreamConsumer

    stack = cdk.Stack(cdk.App(outdir=str(tmp_path)), "Spelling")
    table = BlueprintTable(stack, "Tasks", partition_key=PK, dynamo_stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES)
    with pytest.raises(RuntimeError) as raised:
        TableStreamConsumer(
            stack, "Consumer", table=table, handler=_handler(stack), max_batching_window=cdk.Duration.minutes(6)
        )
    message = str(raised.value)
    assert "`max_batching_window` is 6 minutes" in message
    assert "maxBatchingWindow" not in message


def test_a_table_prop_checked_at_synthesis_is_named_in_snake_case(tmp_path):
    from cdk_dynamodb_blueprints import BlueprintTable

    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Spelling")
    BlueprintTable(stack, "Tasks", partition_key=PK, time_to_live_attribute="PK")
    with pytest.raises(RuntimeError) as raised:
        app.synth()
    message = str(raised.value)
    assert "`time_to_live_attribute` is 'PK', a key of the table" in message
    assert "timeToLiveAttribute" not in message
