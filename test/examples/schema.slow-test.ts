import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { listExamples, STRICT_SCHEMA_VALIDATION, synthExample } from '../../tools/examples';

// aws-cdk-lib's built-in CloudFormation schema validation is off in every other test (2-3 s a synth);
// here it is on, to prove the templates this library emits are schema-clean.
describe('CloudFormation schema validation', () => {
  test('catches a schema error (so the checks below can fail)', () => {
    const app = new App({ builtinCloudFormationValidation: true, context: { [STRICT_SCHEMA_VALIDATION]: true } });
    const stack = new Stack(app, 'Broken', { env: { account: '123456789012', region: 'us-east-1' } });
    new CfnResource(stack, 'Bad', { type: 'AWS::DynamoDB::GlobalTable', properties: { KeySchema: 'not-a-list' } });
    expect(() => app.synth()).toThrow(/KeySchema/);
  });

  test.each(listExamples().map((e) => [e.name, e]))('examples/%s is schema-clean', (_name, example) => {
    expect(() => synthExample(example, { schemaValidation: true })).not.toThrow();
  });
});
