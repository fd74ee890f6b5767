"""BlueprintMultiAccountReplica from Python: the replica from its source alone carries every protection."""
import sys
from pathlib import Path

import aws_cdk as cdk
from aws_cdk.assertions import Match, Template

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from multi_account_replica import create_stacks  # noqa: E402

GLOBAL_TABLE = "AWS::DynamoDB::GlobalTable"


def test_the_replica_carries_the_protections_and_passes_the_pack(tmp_path):
    from cdk_dynamodb_blueprints import DynamoDBBlueprintChecks

    app = cdk.App(outdir=str(tmp_path))
    source_stack, replica_stack, replica = create_stacks(app)
    # Any finding of the pack fails synthesis.
    cdk.Validations.of(app).add_plugins(DynamoDBBlueprintChecks(app))
    app.synth()

    template = Template.from_stack(replica_stack)
    key_id = next(iter(template.find_resources("AWS::KMS::Key")))
    template.has_resource(GLOBAL_TABLE, {
        "DeletionPolicy": "Retain",
        "Properties": {
            "GlobalTableSourceArn": Match.any_value(),
            "Replicas": [Match.object_like({
                "Region": "eu-west-1",
                "DeletionProtectionEnabled": True,
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 35},
                "ContributorInsightsSpecification": {"Enabled": True},
                "SSESpecification": {"KMSMasterKeyId": {"Fn::GetAtt": [key_id, "Arn"]}},
            })],
        },
    })
    assert replica.created_encryption_key is not None
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})

    # The source table lets account B associate the replica.
    Template.from_stack(source_stack).has_resource_properties(GLOBAL_TABLE, {
        "Replicas": [Match.object_like({
            "ResourcePolicy": {"PolicyDocument": {"Statement": Match.array_with([
                Match.object_like({"Action": "dynamodb:AssociateTableReplica"}),
            ])}},
        })],
    })
