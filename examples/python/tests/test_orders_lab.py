"""The Python orders lab: the same table, the same checks as examples/orders-lab in TypeScript."""
import json

from aws_cdk.assertions import Match

GLOBAL_TABLE = "AWS::DynamoDB::GlobalTable"


def global_tables(template: dict) -> dict:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == GLOBAL_TABLE}


def test_one_global_table_with_the_composite_key(synthesized):
    synthesized.template.resource_count_is(GLOBAL_TABLE, 1)
    synthesized.template.has_resource_properties(GLOBAL_TABLE, {
        "KeySchema": [
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
    })


def test_the_index_in_the_props_keeps_its_include_projection(synthesized):
    # `projection` is a field of BlueprintGlobalSecondaryIndexProps only: it reaches the
    # construct from Python only if the props are declared with that type.
    synthesized.template.has_resource_properties(GLOBAL_TABLE, {
        "GlobalSecondaryIndexes": Match.array_with([{
            "IndexName": "byStatus",
            "KeySchema": [
                {"AttributeName": "GSI1PK", "KeyType": "HASH"},
                {"AttributeName": "GSI1SK", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["status", "total", "city"]},
        }]),
    })


def test_the_index_added_after_construction_keeps_its_projection(synthesized):
    synthesized.template.has_resource_properties(GLOBAL_TABLE, {
        "GlobalSecondaryIndexes": Match.array_with([{
            "IndexName": "byOrderId",
            "KeySchema": [{"AttributeName": "GSI2PK", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
        }]),
    })
    [table] = global_tables(synthesized.template.to_json()).values()
    assert [i["IndexName"] for i in table["Properties"]["GlobalSecondaryIndexes"]] == ["byStatus", "byOrderId"]


def test_ttl_and_stream(synthesized):
    synthesized.template.has_resource_properties(GLOBAL_TABLE, {
        "TimeToLiveSpecification": {"AttributeName": "expiresAt", "Enabled": True},
        "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
    })


def test_the_production_defaults(synthesized):
    synthesized.template.has_resource(GLOBAL_TABLE, {
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": Match.object_like({
            "BillingMode": "PAY_PER_REQUEST",
            "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS"},
            "Replicas": [Match.object_like({
                "Region": "ap-south-1",
                "DeletionProtectionEnabled": True,
                "PointInTimeRecoverySpecification": {
                    "PointInTimeRecoveryEnabled": True,
                    "RecoveryPeriodInDays": 35,
                },
                "ContributorInsightsSpecification": Match.object_like({"Enabled": True}),
                "SSESpecification": {"KMSMasterKeyId": Match.any_value()},
            })],
        }),
    })
    synthesized.template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_the_rule_pack_passes_and_the_access_pattern_report_lists_every_pattern(synthesized):
    # Any cdk-nag finding fails app.synth(), so reaching here means the pack found nothing.
    report = (
        synthesized.assembly.directory + "/OrdersLab.LabOrders.access-patterns.md"
    )
    with open(report, encoding="utf-8") as f:
        text = f.read()
    for pattern in ["getOrder", "ordersByCustomer", "ordersOfMonth", "ordersByStatus", "orderById"]:
        assert f"| {pattern} |" in text
    assert "| ordersByStatus | byStatus | Query x 10 shards |" in text
    assert "INVALID" not in text


def test_a_finding_fails_synthesis(tmp_path):
    """The pack really runs from Python: a table without point-in-time recovery fails synth."""
    import aws_cdk as cdk
    import pytest
    from aws_cdk import aws_dynamodb as dynamodb
    from cdk_dynamodb_blueprints import BlueprintTable, DynamoDBBlueprintChecks

    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Unprotected", env=cdk.Environment(region="ap-south-1"))
    BlueprintTable(
        stack, "Table",
        partition_key=dynamodb.Attribute(name="PK", type=dynamodb.AttributeType.STRING),
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=False,
        ),
    )
    cdk.Validations.of(app).add_plugins(DynamoDBBlueprintChecks(app))
    with pytest.raises(Exception, match="ValidationFailed"):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    rules = [v["ruleName"] for p in report["pluginReports"] for v in p["violations"]]
    assert "DynamoDBBlueprint-DDB1[Replica::ap-south-1]" in rules


def test_the_global_table_is_identical_to_the_typescript_orders_lab(synthesized, typescript_template):
    python_tables = global_tables(synthesized.template.to_json())
    typescript_tables = global_tables(typescript_template)
    assert len(typescript_tables) == 1
    # Same construct path, same logical id; then every property, policy and dependency.
    assert python_tables.keys() == typescript_tables.keys()
    [(logical_id, python_table)] = python_tables.items()
    typescript_table = typescript_tables[logical_id]
    differing = sorted(
        k for k in {*python_table.get("Properties", {}), *typescript_table.get("Properties", {})}
        if python_table["Properties"].get(k) != typescript_table["Properties"].get(k)
    )
    assert differing == [], f"{logical_id}: these properties differ between the Python and TypeScript apps"
    assert python_table == typescript_table
