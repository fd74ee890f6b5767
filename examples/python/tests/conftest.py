import json
import os
import sys
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from orders_lab import OrdersLabStack, create_stacks  # noqa: E402

TS_TEMPLATE_ENV = "ORDERS_LAB_TS_TEMPLATE"


class Synthesized:
    def __init__(self, app: cdk.App, stack: OrdersLabStack, assembly: cdk.cx_api.CloudAssembly):
        self.app = app
        self.stack = stack
        self.assembly = assembly
        self.template = Template.from_stack(stack)


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory) -> Synthesized:
    """The Python app as app.py builds it (rule pack included), synthesized once."""
    from cdk_dynamodb_blueprints import DynamoDBBlueprintChecks

    app = cdk.App(outdir=str(tmp_path_factory.mktemp("cdk.out")))
    stack = create_stacks(app)
    cdk.Validations.of(app).add_plugins(DynamoDBBlueprintChecks(app))
    return Synthesized(app, stack, app.synth())


@pytest.fixture(scope="session")
def typescript_template() -> dict:
    """examples/orders-lab's template, synthesized from TypeScript by scripts/ci/multi-language.sh."""
    path = os.environ.get(TS_TEMPLATE_ENV)
    if not path:
        pytest.fail(
            f"{TS_TEMPLATE_ENV} is not set: run `bash scripts/ci/multi-language.sh` from the repository root, "
            f"or synthesize examples/orders-lab (in that folder: CDK_OUTDIR=<dir> npx ts-node --transpile-only main.ts) "
            f"and point {TS_TEMPLATE_ENV} "
            f"at <dir>/OrdersLab.template.json."
        )
    return json.loads(Path(path).read_text())
