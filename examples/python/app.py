#!/usr/bin/env python3
import aws_cdk as cdk

from cdk_dynamodb_blueprints import DynamoDBBlueprintChecks
from orders_lab import create_stacks

app = cdk.App()
create_stacks(app)
# cdk-nag 3 packs are validation plugins: any finding fails synthesis.
cdk.Validations.of(app).add_plugins(DynamoDBBlueprintChecks(app))
app.synth()
