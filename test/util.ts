import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** The account and region every test stack is pinned to, so snapshots never depend on the machine. */
export const TEST_ENV = { account: '123456789012', region: 'us-east-1' };

/**
 * An app for unit tests: aws-cdk-lib's built-in CloudFormation schema validation costs 2-3 s per synth
 * and is covered by its own test (test/examples/schema.slow-test.ts, run by scripts/ci/schema-validation.sh), so it is off here.
 */
export function testApp(): App {
  return new App({ builtinCloudFormationValidation: false });
}

/** A stack in a fresh test app, pinned to `TEST_ENV` unless `env` is given. */
export function testStack(props: StackProps = {}): Stack {
  return new Stack(testApp(), 'TestStack', { env: TEST_ENV, ...props });
}

/** The template of a stack, without the parts that change with every aws-cdk-lib release. */
export function snapshotTemplate(stack: Stack): Record<string, unknown> {
  const template = Template.fromStack(stack).toJSON();
  const mappings = template.Mappings as Record<string, unknown> | undefined;
  if (mappings) {
    delete mappings.LatestNodeRuntimeMap;
    if (Object.keys(mappings).length === 0) {
      delete template.Mappings;
    }
  }
  return template;
}

/** A function that answers a stream batch with no failures, for tests that need a consumer's handler. */
export function noFailureStreamHandler(stack: Stack, id = 'Handler'): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
  });
}
