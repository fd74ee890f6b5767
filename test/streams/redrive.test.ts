import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BlueprintTable, ParkedItemKey, TableStreamConsumer, TableStreamConsumerProps } from '../../src';
import { testStack } from '../util';

const PK = { name: 'PK', type: AttributeType.STRING };
const SK = { name: 'SK', type: AttributeType.STRING };

function fn(stack: Stack, code = 'exports.handler = async () => ({ batchItemFailures: [] });'): lambda.Function {
  return new lambda.Function(stack, 'Handler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(code),
  });
}

function setup(props: Partial<TableStreamConsumerProps> = {}, options: { sortKey?: boolean; code?: string } = {}) {
  const stack = testStack();
  const table = new BlueprintTable(stack, 'Tasks', {
    partitionKey: PK, sortKey: options.sortKey === false ? undefined : SK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
  });
  const handler = fn(stack, options.code);
  const consumer = new TableStreamConsumer(stack, 'Consumer', { table, handler, ...props });
  return { stack, table, handler, consumer };
}

/** The redrive custom resource of a stack. */
function redriveResource(stack: Stack): any {
  const resources = Template.fromStack(stack).findResources('Custom::RedriveParkedRecords');
  expect(Object.keys(resources)).toHaveLength(1);
  return Object.values(resources)[0];
}

/**
 * The SDK call of the custom resource's `Create` or `Update` (a JSON string joined with the function's ARN),
 * with the ARN as `<function>`, and its payload parsed.
 */
function sdkCall(stack: Stack, phase: 'Create' | 'Update' = 'Create'): { call: any; payload: any; functionArn: unknown } {
  const joined = redriveResource(stack).Properties[phase]['Fn::Join'][1] as unknown[];
  const references = joined.filter((part) => typeof part !== 'string');
  expect(references).toHaveLength(1);
  const call = JSON.parse(joined.map((part) => (typeof part === 'string' ? part : '<function>')).join(''));
  return { call, payload: JSON.parse(call.parameters.Payload), functionArn: references[0] };
}

function statementsOf(stack: Stack, rolePrefix: RegExp): any[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => rolePrefix.test(r.Ref)))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('grantRedrive', () => {
  test('lets the grantee invoke the consumer\'s function, and nothing else', () => {
    const { stack, consumer } = setup();
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    consumer.grantRedrive(operator);
    expect(statementsOf(stack, /^Operator/)).toEqual([{
      Action: 'lambda:InvokeFunction',
      Effect: 'Allow',
      Resource: [
        { 'Fn::GetAtt': [expect.stringMatching(/^Handler/), 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Handler/), 'Arn'] }, ':*']] },
      ],
    }]);
  });

  test('on an alias, the alias the mapping invokes', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    const live = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn(stack).currentVersion });
    const consumer = new TableStreamConsumer(stack, 'Consumer', { table, handler: live });
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    consumer.grantRedrive(operator);
    const [statement] = statementsOf(stack, /^Operator/);
    expect(statement.Action).toBe('lambda:InvokeFunction');
    expect(JSON.stringify(statement.Resource)).toMatch(/"Ref":"Live[0-9A-F]{8}"/);
  });

  test('fails when parking is off, naming the consumer and the fix', () => {
    const { stack, consumer } = setup({ parkRecords: false });
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => consumer.grantRedrive(operator)).toThrow(
      'TableStreamConsumer TestStack/Consumer: `grantRedrive()` needs parked records, but `parkRecords` is false: '
      + 'turn `parkRecords` on (the handler must be a createTransactionalStreamHandler), or remove the call.');
  });
});

describe('redriveAfterDeployment', () => {
  test('invokes the function asynchronously with the redrive event of every parked key, on create and on update', () => {
    const { stack, consumer } = setup();
    consumer.redriveAfterDeployment();
    const create = sdkCall(stack, 'Create');
    expect(create.call).toEqual({
      service: 'Lambda',
      action: 'Invoke',
      parameters: { FunctionName: '<function>', InvocationType: 'Event', Payload: expect.any(String) },
      physicalResourceId: { id: 'TestStack/Consumer/RedriveAfterDeployment' },
      outputPaths: ['StatusCode'],
    });
    expect(create.functionArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Handler/), 'Arn'] });
    expect(create.payload).toEqual({ redriveParkedRecords: {}, deployment: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(sdkCall(stack, 'Update').call).toEqual(create.call);
    expect(redriveResource(stack).Properties.InstallLatestAwsSdk).toBe(false);
  });

  test('runs after the function is deployed: the custom resource depends on it', () => {
    const { stack, consumer } = setup();
    consumer.redriveAfterDeployment();
    expect(redriveResource(stack).DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^Handler[0-9A-F]{8}$/)]));
  });

  test('its provider may invoke the function, nothing else', () => {
    const { stack, consumer } = setup();
    consumer.redriveAfterDeployment();
    expect(statementsOf(stack, /^AWS679f53fac002430cb0da5b7982bd2287ServiceRole/)).toEqual([{
      Action: 'lambda:InvokeFunction',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Handler/), 'Arn'] },
    }]);
  });

  test('keys become stream item keys, typed as the table\'s keys', () => {
    const { stack, consumer } = setup();
    consumer.redriveAfterDeployment({ keys: [{ partitionKeyValue: 'TASK#1', sortKeyValue: 'TASK' }, { partitionKeyValue: 'TASK#2', sortKeyValue: 'TASK' }] });
    expect(sdkCall(stack).payload.redriveParkedRecords).toEqual({
      keys: [{ PK: { S: 'TASK#1' }, SK: { S: 'TASK' } }, { PK: { S: 'TASK#2' }, SK: { S: 'TASK' } }],
    });
  });

  test('Number and Binary keys, and a table without a sort key', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', {
      partitionKey: { name: 'id', type: AttributeType.NUMBER }, sortKey: { name: 'blob', type: AttributeType.BINARY }, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
    new TableStreamConsumer(stack, 'Consumer', { table, handler: fn(stack) })
      .redriveAfterDeployment({ keys: [{ partitionKeyValue: '-1.5e3', sortKeyValue: 'AAE=' }] });
    expect(sdkCall(stack).payload.redriveParkedRecords.keys).toEqual([{ id: { N: '-1.5e3' }, blob: { B: 'AAE=' } }]);

    const { stack: noSort, consumer } = setup({}, { sortKey: false });
    consumer.redriveAfterDeployment({ keys: [{ partitionKeyValue: 'TASK#1' }] });
    expect(sdkCall(noSort).payload.redriveParkedRecords.keys).toEqual([{ PK: { S: 'TASK#1' } }]);
  });

  test('a new deployment fingerprint when the function\'s code or environment changes, the same one otherwise', () => {
    const deployment = (code: string, change: (handler: lambda.Function) => void = () => undefined) => {
      const { stack, consumer, handler } = setup({}, { code });
      consumer.redriveAfterDeployment();
      // Changes made after the call count too: the fingerprint is taken at synthesis.
      change(handler);
      return sdkCall(stack).payload.deployment;
    };
    const v1 = 'exports.handler = async () => ({ batchItemFailures: [] }); // v1';
    const before = deployment(v1);
    expect(deployment(v1)).toBe(before);
    expect(deployment(v1, (h) => { (h.node.defaultChild as lambda.CfnFunction).memorySize = 1024; })).toBe(before);
    expect(deployment('exports.handler = async () => ({ batchItemFailures: [] }); // v2, the fix')).not.toBe(before);
    expect(deployment(v1, (h) => h.addEnvironment('FIX', 'on'))).not.toBe(before);
  });

  test('on an alias: invokes the alias, fingerprints the function behind it and runs after it', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    const live = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn(stack).currentVersion });
    new TableStreamConsumer(stack, 'Consumer', { table, handler: live }).redriveAfterDeployment();
    const { functionArn, payload } = sdkCall(stack);
    expect(functionArn).toEqual({ Ref: expect.stringMatching(/^Live[0-9A-F]{8}$/) });
    expect(payload.deployment).toMatch(/^[0-9a-f]{64}$/);
    expect(redriveResource(stack).DependsOn).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Live[0-9A-F]{8}$/), expect.stringMatching(/^Handler[0-9A-F]{8}$/),
    ]));
  });

  test('on an imported function: no fingerprint, the event alone', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/consumer');
    const handler = lambda.Function.fromFunctionAttributes(stack, 'Imported', { functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:counter', role });
    new TableStreamConsumer(stack, 'Consumer', { table, handler, setHandlerEnvironment: false }).redriveAfterDeployment();
    const joined = redriveResource(stack).Properties.Create as string;
    const call = JSON.parse(joined);
    expect(call.parameters.FunctionName).toBe('arn:aws:lambda:us-east-1:123456789012:function:counter');
    expect(JSON.parse(call.parameters.Payload)).toEqual({ redriveParkedRecords: {} });
  });

  test('adds one AwsSolutions finding, on aws-cdk-lib\'s custom-resource provider: its role\'s AWSLambdaBasicExecutionRole', () => {
    const { stack, consumer } = setup();
    const findings = () => new AwsSolutionsChecks(stack).validateScope(stack).violations
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
    const before = findings();
    consumer.redriveAfterDeployment();
    expect(findings().filter((f) => !before.includes(f))).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] '
      + 'TestStack/AWS679f53fac002430cb0da5b7982bd2287/ServiceRole/Resource',
    ]);
  });

  describe('fails', () => {
    const where = 'TableStreamConsumer TestStack/Consumer: `redriveAfterDeployment()`';

    test('when parking is off', () => {
      const { consumer } = setup({ parkRecords: false });
      expect(() => consumer.redriveAfterDeployment()).toThrow(
        'TableStreamConsumer TestStack/Consumer: `redriveAfterDeployment()` needs parked records, but `parkRecords` is false: '
        + 'turn `parkRecords` on (the handler must be a createTransactionalStreamHandler), or remove the call.');
    });

    test('when called twice', () => {
      const { consumer } = setup();
      consumer.redriveAfterDeployment();
      expect(() => consumer.redriveAfterDeployment({ keys: [{ partitionKeyValue: 'a', sortKeyValue: 'b' }] })).toThrow(
        'TableStreamConsumer TestStack/Consumer: `redriveAfterDeployment()` is already called; one redrive runs per deployment: '
        + 'call it once, with every item key in `keys` (or none, for every parked key).');
    });

    test('with an empty list of keys', () => {
      expect(() => setup().consumer.redriveAfterDeployment({ keys: [] })).toThrow(
        `${where}: \`keys\` is empty: omit \`keys\` to replay every parked key, or list the item keys to replay.`);
    });

    test.each<[string, ParkedItemKey[], string]>([
      ['a missing sort key value', [{ partitionKeyValue: 'TASK#1' }],
        '`keys[0].sortKeyValue` is missing; the table TestStack/Tasks has the sort key SK: give its value.'],
      ['an empty value', [{ partitionKeyValue: '', sortKeyValue: 'TASK' }],
        '`keys[0].partitionKeyValue` is empty; DynamoDB key values are never empty: give the value of PK.'],
      ['every problem at once', [{ partitionKeyValue: 'a', sortKeyValue: 'b' }, { partitionKeyValue: '' }],
        '`keys[1].partitionKeyValue` is empty; DynamoDB key values are never empty: give the value of PK. '
        + '`keys[1].sortKeyValue` is missing; the table TestStack/Tasks has the sort key SK: give its value.'],
    ])('with %s', (_, keys, message) => {
      expect(() => setup().consumer.redriveAfterDeployment({ keys })).toThrow(`${where}: ${message}`);
    });

    test('with a sort key value on a table without a sort key', () => {
      expect(() => setup({}, { sortKey: false }).consumer.redriveAfterDeployment({ keys: [{ partitionKeyValue: 'a', sortKeyValue: 'b' }] })).toThrow(
        `${where}: \`keys[0].sortKeyValue\` is 'b', but the table TestStack/Tasks has no sort key (its keys: PK (S)): remove it.`);
    });

    test('with a value that is no number for a Number key, or no base64 for a Binary key', () => {
      const stack = testStack();
      const table = new BlueprintTable(stack, 'Tasks', {
        partitionKey: { name: 'id', type: AttributeType.NUMBER }, sortKey: { name: 'blob', type: AttributeType.BINARY }, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      });
      const consumer = new TableStreamConsumer(stack, 'Consumer', { table, handler: fn(stack) });
      expect(() => consumer.redriveAfterDeployment({ keys: [{ partitionKeyValue: 'TASK#1', sortKeyValue: 'not base64!' }] })).toThrow(
        `${where}: \`keys[0].partitionKeyValue\` is 'TASK#1', but id is a Number key: give a number such as '42' or '1.5'. `
        + '`keys[0].sortKeyValue` is \'not base64!\', but blob is a Binary key: give its bytes in base64, as stream records carry them.');
    });

    test('with a token for a value', () => {
      const { stack, consumer } = setup();
      const value = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }).roleName;
      expect(() => consumer.redriveAfterDeployment({ keys: [{ partitionKeyValue: value, sortKeyValue: 'TASK' }] }))
        .toThrow(/`keys\[0\]\.partitionKeyValue` is a token \(\$\{Token\[TOKEN\.\d+\]\}\); the redrive event is written at synthesis: give the value itself\./);
    });

    test('with keys for an imported table, whose keys are unknown', () => {
      const stack = testStack();
      const table = Table.fromTableAttributes(stack, 'Imported', {
        tableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Tasks',
        tableStreamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Tasks/stream/2026-01-01T00:00:00.000',
      });
      const consumer = new TableStreamConsumer(stack, 'Consumer', { table, handler: fn(stack) });
      expect(() => consumer.redriveAfterDeployment({ keys: [{ partitionKeyValue: 'TASK#1' }] })).toThrow(
        `${where}: \`keys\` are given, but the key attributes of the imported table TestStack/Imported are unknown at synthesis: `
        + 'omit `keys` to replay every parked key, or replay chosen keys with the `redrive` command of the CLI (`--key`).');
      // Every parked key needs no key names.
      expect(() => consumer.redriveAfterDeployment()).not.toThrow();
    });
  });
});
