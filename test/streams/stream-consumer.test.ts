import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, StreamViewType, Table, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  BlueprintTable, IdempotencyTable, ParkedRecordsTable, TableStreamConsumer, TableStreamConsumerProps, StreamEventName, StreamFilter,
} from '../../src';
import { snapshotTemplate, testStack } from '../util';

const PK = { name: 'PK', type: AttributeType.STRING };

function fn(stack: Stack, id = 'Handler'): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
  });
}

function setup(props: Partial<TableStreamConsumerProps> = {}, viewType: StreamViewType | undefined = StreamViewType.NEW_AND_OLD_IMAGES) {
  const stack = testStack();
  const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, dynamoStream: viewType });
  const handler = fn(stack);
  const consumer = new TableStreamConsumer(stack, 'Consumer', { table, handler, ...props });
  return { stack, table, handler, consumer, get template() { return Template.fromStack(stack); } };
}

function mapping(template: Template): any {
  const mappings = template.findResources('AWS::Lambda::EventSourceMapping');
  expect(Object.keys(mappings)).toHaveLength(1);
  return Object.values(mappings)[0].Properties;
}

function policyStatements(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('event source mapping defaults', () => {
  test('starts at TRIM_HORIZON, bisects, reports batch item failures, retries 10 times, gives up after 1 hour', () => {
    const props = mapping(setup().template);
    expect(props).toEqual(expect.objectContaining({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 3600,
      ParallelizationFactor: 1,
    }));
    expect(props.MaximumBatchingWindowInSeconds).toBeUndefined();
    expect(props.FilterCriteria).toBeUndefined();
  });

  test('reads the table stream', () => {
    const { template } = setup();
    expect(mapping(template).EventSourceArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Tasks/), 'StreamArn'] });
  });

  test('sends given-up records to the dead-letter queue', () => {
    const { template } = setup();
    expect(mapping(template).DestinationConfig).toEqual({
      OnFailure: { Destination: { 'Fn::GetAtt': [expect.stringMatching(/^ConsumerDeadLetterQueue/), 'Arn'] } },
    });
  });
});

describe('event source mapping overrides', () => {
  test('batch size, batching window, retries, record age, parallelization, bisect and starting position', () => {
    const props = mapping(setup({
      batchSize: 500,
      maxBatchingWindow: Duration.seconds(5),
      retryAttempts: 2,
      maxRecordAge: Duration.minutes(10),
      parallelizationFactor: 4,
      bisectBatchOnError: false,
      startingPosition: lambda.StartingPosition.LATEST,
    }).template);
    expect(props).toEqual(expect.objectContaining({
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 5,
      MaximumRetryAttempts: 2,
      MaximumRecordAgeInSeconds: 600,
      ParallelizationFactor: 4,
      BisectBatchOnFunctionError: false,
      StartingPosition: 'LATEST',
    }));
  });

  test('filters: event names and key prefix in one pattern, several filters as alternatives', () => {
    const props = mapping(setup({
      filters: [
        StreamFilter.of({ eventNames: [StreamEventName.MODIFY, StreamEventName.INSERT], keyAttribute: 'PK', keyPrefix: 'TASK#' }),
        StreamFilter.fromPattern({ eventName: ['REMOVE'] }),
      ],
    }).template);
    expect(props.FilterCriteria.Filters.map((f: any) => JSON.parse(f.Pattern))).toEqual([
      { eventName: ['MODIFY', 'INSERT'], dynamodb: { Keys: { PK: { S: [{ prefix: 'TASK#' }] } } } },
      { eventName: ['REMOVE'] },
    ]);
  });

  test('uses a given dead-letter queue and creates none', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    const queue = new sqs.Queue(stack, 'MyDlq', { enforceSSL: true });
    const consumer = new TableStreamConsumer(stack, 'Consumer', { table, handler: fn(stack), deadLetterQueue: queue });
    const template = Template.fromStack(stack);
    expect(consumer.deadLetterQueue).toBe(queue);
    template.resourceCountIs('AWS::SQS::Queue', 1);
    expect(mapping(template).DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^MyDlq/), 'Arn'] });
  });
});

describe('dead-letter queue', () => {
  test('is encrypted with a rotated customer-managed key, keeps messages 14 days, refuses plain HTTP', () => {
    const { template } = setup();
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ConsumerDeadLetterQueueKey'), 'Arn'] },
      MessageRetentionPeriod: 1_209_600,
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('dead-letter queue of the stream consumer'),
      EnableKeyRotation: true,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]),
      },
    });
  });

  test('the function may send to it and use its key to do so, nothing more', () => {
    const statements = policyStatements(setup().template);
    const onQueue = statements.filter((s) => /"ConsumerDeadLetterQueue[0-9A-F]{8}"/.test(JSON.stringify(s.Resource)));
    expect(onQueue.flatMap((s) => [s.Action].flat()).sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    const onKey = statements.filter((s) => /"ConsumerDeadLetterQueueKey[0-9A-F]{8}"/.test(JSON.stringify(s.Resource)));
    expect(onKey.flatMap((s) => [s.Action].flat()).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  test('is a dead-letter queue for the AwsSolutions pack: SQS3 acknowledged, and the construct adds no other finding', () => {
    const { stack } = setup();
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    // What remains belongs to the test's own function: its managed policy and runtime.
    expect(report.violations.map((v) => v.ruleName).sort()).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-L1',
    ]);
  });

  test('the SQS3 acknowledgment carries a reason', () => {
    const { consumer } = setup();
    const acknowledged = (consumer.deadLetterQueue as sqs.Queue).node.metadata
      .filter((m) => m.type === 'aws:cdk:acknowledged-rules');
    expect(JSON.stringify(acknowledged)).toMatch(/AwsSolutions-SQS3.*on-failure destination of the DynamoDB stream event source mapping/);
  });
});

describe('idempotency table', () => {
  test('has the Powertools schema: partition key id (S), TTL on expiration, on-demand, PITR', () => {
    const { template } = setup();
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: Match.objectLike({ PointInTimeRecoveryEnabled: true }) })],
    });
  });

  test('gives the handler its name in IDEMPOTENCY_TABLE_NAME', () => {
    const { template } = setup();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { IDEMPOTENCY_TABLE_NAME: { Ref: Match.stringLikeRegexp('^ConsumerIdempotencyTable') } } },
    });
  });

  test('the environment variable name can be changed', () => {
    const { template } = setup({ idempotencyTableEnvironmentVariable: 'IDEMPOTENCY_TABLE' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { IDEMPOTENCY_TABLE: Match.anyValue() } },
    });
  });

  test('grants only GetItem, PutItem, UpdateItem and DeleteItem on it, and its key', () => {
    const statements = policyStatements(setup().template);
    const onIdempotency = statements.filter((s) => /"ConsumerIdempotencyTable[0-9A-F]{8}"/.test(JSON.stringify(s.Resource)));
    expect(onIdempotency).toHaveLength(1);
    expect([onIdempotency[0].Action].flat().sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    const onKey = statements.filter((s) => JSON.stringify(s.Resource).includes('ConsumerIdempotencyTableKey'));
    expect([onKey[0].Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']);
  });

  test('one table can be shared by several consumers', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    const shared = new IdempotencyTable(stack, 'Idempotency');
    const a = new TableStreamConsumer(stack, 'A', { table, handler: fn(stack, 'FnA'), idempotencyTable: shared });
    const b = new TableStreamConsumer(stack, 'B', { table, handler: fn(stack, 'FnB'), idempotencyTable: shared });
    const template = Template.fromStack(stack);
    expect(a.idempotencyTable).toBe(shared);
    expect(b.idempotencyTable).toBe(shared);
    // The stream's table, the shared idempotency table, and each consumer's parked-records table.
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 4);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
  });

  test('none when idempotency is off', () => {
    const { template, consumer } = setup({ idempotency: false });
    expect(consumer.idempotencyTable).toBeUndefined();
    // The stream's table and the parked-records table.
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 2);
    expect(JSON.stringify(template.findResources('AWS::Lambda::Function'))).not.toContain('IDEMPOTENCY_TABLE_NAME');
  });
});

describe('stream access', () => {
  test('the function reads the stream and decrypts it with the table key, and nothing else on the table', () => {
    const statements = policyStatements(setup().template);
    const onTable = statements.filter((s) => JSON.stringify(s.Resource).match(/"Tasks[0-9A-F]{8}"/));
    const actions = onTable.flatMap((s) => [s.Action].flat()).sort();
    expect(actions).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']);
  });
});

describe('alarms', () => {
  test('iterator age (5 min), dead letters (1), errors (1), throttles (1) by default', () => {
    const { template } = setup();
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties);
    const byMetric = Object.fromEntries(alarms.map((a) => [a.MetricName, a]));
    expect(Object.keys(byMetric).sort()).toEqual(['ApproximateNumberOfMessagesVisible', 'Errors', 'IteratorAge', 'ParkedRecords', 'Throttles']);
    expect(byMetric.IteratorAge).toEqual(expect.objectContaining({ Threshold: 300_000, Statistic: 'Maximum', Period: 60, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' }));
    expect(byMetric.ApproximateNumberOfMessagesVisible).toEqual(expect.objectContaining({ Threshold: 1, Namespace: 'AWS/SQS' }));
    expect(byMetric.Errors).toEqual(expect.objectContaining({ Threshold: 1, Statistic: 'Sum', Period: 300 }));
    expect(byMetric.Throttles).toEqual(expect.objectContaining({ Threshold: 1, Statistic: 'Sum', Period: 300 }));
  });

  test('thresholds can be set', () => {
    const { template } = setup({
      alarmThresholds: { iteratorAge: Duration.seconds(30), deadLetterMessages: 5, errors: 3, throttles: 10, parkedRecords: 2 },
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties);
    const thresholds = Object.fromEntries(alarms.map((a) => [a.MetricName, a.Threshold]));
    expect(thresholds).toEqual({ IteratorAge: 30_000, ApproximateNumberOfMessagesVisible: 5, Errors: 3, Throttles: 10, ParkedRecords: 2 });
  });
});

describe('stream checks', () => {
  test('accepts a TableV2 with a NEW_AND_OLD_IMAGES stream', () => {
    const stack = testStack();
    const table = new TableV2(stack, 'T', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    expect(() => new TableStreamConsumer(stack, 'C', { table, handler: fn(stack) })).not.toThrow();
  });

  test('accepts a NEW_IMAGE stream when the handler needs only new images', () => {
    expect(() => setup({ requiredStreamViewType: StreamViewType.NEW_IMAGE }, StreamViewType.NEW_IMAGE)).not.toThrow();
  });

  test('accepts an imported table with a stream ARN', () => {
    const stack = testStack();
    const table = Table.fromTableAttributes(stack, 'Imported', {
      tableName: 'tasks',
      tableStreamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/tasks/stream/2026-01-01T00:00:00.000',
    });
    new TableStreamConsumer(stack, 'C', { table, handler: fn(stack) });
    expect(mapping(Template.fromStack(stack)).EventSourceArn).toBe('arn:aws:dynamodb:us-east-1:123456789012:table/tasks/stream/2026-01-01T00:00:00.000');
  });

  test('fails when the table has no stream', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK });
    expect(() => new TableStreamConsumer(stack, 'C', { table, handler: fn(stack) })).toThrow(/`table` TestStack\/Tasks has no stream: set `dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES`/);
  });

  test('fails when an imported table has no stream ARN', () => {
    const stack = testStack();
    const table = Table.fromTableName(stack, 'Imported', 'tasks');
    expect(() => new TableStreamConsumer(stack, 'C', { table, handler: fn(stack) })).toThrow(/`table` TestStack\/Imported has no stream: give `tableStreamArn` when importing it/);
  });

  test('fails when a BlueprintTable stream lacks the old images the consumer needs', () => {
    expect(() => setup({}, StreamViewType.NEW_IMAGE))
      .toThrow(/has a NEW_IMAGE stream, but the consumer needs NEW_AND_OLD_IMAGES \(`requiredStreamViewType`\): records would have no OldImage/);
  });

  test('fails when a TableV2 has no stream', () => {
    const stack = testStack();
    const table = new TableV2(stack, 'T', { partitionKey: PK });
    expect(() => new TableStreamConsumer(stack, 'C', { table, handler: fn(stack) })).toThrow(/`table` TestStack\/T has no stream/);
  });

  test('fails when a Table (v1) stream has only new images', () => {
    const stack = testStack();
    const table = new Table(stack, 'T', { partitionKey: PK, stream: StreamViewType.NEW_IMAGE });
    expect(() => new TableStreamConsumer(stack, 'C', { table, handler: fn(stack) })).toThrow(/has a NEW_IMAGE stream, but the consumer needs NEW_AND_OLD_IMAGES/);
  });

  test('fails when a TableV2 stream is KEYS_ONLY', () => {
    const stack = testStack();
    const table = new TableV2(stack, 'T', { partitionKey: PK, dynamoStream: StreamViewType.KEYS_ONLY });
    expect(() => new TableStreamConsumer(stack, 'C', { table, handler: fn(stack), requiredStreamViewType: StreamViewType.OLD_IMAGE }))
      .toThrow(/has a KEYS_ONLY stream, but the consumer needs OLD_IMAGE/);
  });
});

describe('validation', () => {
  test.each([
    ['batchSize', { batchSize: 0 }, /`batchSize` is 0; it must be a whole number from 1 to 10000/],
    ['batchSize', { batchSize: 10_001 }, /`batchSize` is 10001/],
    ['retryAttempts', { retryAttempts: -1 }, /`retryAttempts` is -1; it must be a whole number from 0 to 10000 \(retries must be bounded/],
    ['parallelizationFactor', { parallelizationFactor: 11 }, /`parallelizationFactor` is 11; it must be a whole number from 1 to 10/],
    ['maxBatchingWindow', { maxBatchingWindow: Duration.minutes(6) }, /`maxBatchingWindow` is 6 minutes; Lambda allows at most 5 minutes/],
    ['maxRecordAge', { maxRecordAge: Duration.seconds(30) }, /`maxRecordAge` is 30 seconds; it must be between 1 minute and 24 hours/],
    ['maxRecordAge', { maxRecordAge: Duration.days(2) }, /`maxRecordAge` is 2 days/],
    ['alarmThresholds.errors', { alarmThresholds: { errors: 0 } }, /`alarmThresholds.errors` is 0; it must be a whole number of at least 1/],
    ['alarmThresholds.iteratorAge', { alarmThresholds: { iteratorAge: Duration.seconds(0) } }, /`alarmThresholds.iteratorAge` is 0 seconds; it must be longer than zero/],
    ['idempotencyTableEnvironmentVariable', { idempotencyTableEnvironmentVariable: 'MY-TABLE' }, /`idempotencyTableEnvironmentVariable` is 'MY-TABLE'/],
  ] as Array<[string, Partial<TableStreamConsumerProps>, RegExp]>)('fails on an invalid %s', (_prop, props, message) => {
    expect(() => setup(props)).toThrow(message);
  });

  test('fails with more than 5 filters', () => {
    const filters = Array.from({ length: 6 }, () => StreamFilter.of({ eventNames: [StreamEventName.MODIFY] }));
    expect(() => setup({ filters })).toThrow(/`filters` has 6 filters; an event source mapping takes at most 5/);
  });

  test('fails when an idempotency table is given with idempotency off', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    expect(() => new TableStreamConsumer(stack, 'C', {
      table, handler: fn(stack), idempotency: false, idempotencyTable: new IdempotencyTable(stack, 'I'),
    })).toThrow(/`idempotencyTable` is set but `idempotency` is false/);
  });
});

describe('StreamFilter', () => {
  test('fails with an empty eventNames', () => {
    expect(() => StreamFilter.of({ eventNames: [] })).toThrow(/received an empty `eventNames`/);
  });
  test('fails with a key prefix but no key attribute', () => {
    expect(() => StreamFilter.of({ keyPrefix: 'TASK#' })).toThrow(/`keyPrefix` 'TASK#' without `keyAttribute`/);
  });
  test('fails with no condition', () => {
    expect(() => StreamFilter.of({})).toThrow(/received no condition/);
  });
  test('fails with an empty pattern', () => {
    expect(() => StreamFilter.fromPattern({})).toThrow(/`StreamFilter.fromPattern\(\)` received \{\}/);
  });
});

describe('alarm actions', () => {
  test('alarmTopic and alarmActions go on all five alarms', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    const topic = new sns.Topic(stack, 'OnCall');
    const other = new sns.Topic(stack, 'Other');
    const consumer = new TableStreamConsumer(stack, 'Consumer', { table, handler: fn(stack), alarmTopic: topic, alarmActions: [new SnsAction(other)] });
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties);
    expect(alarms).toHaveLength(5);
    expect(consumer.alarms).toHaveLength(5);
    for (const a of alarms) {
      expect(a.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^OnCall/) }, { Ref: expect.stringMatching(/^Other/) }]);
    }
  });

  test('no actions unless given', () => {
    const alarms = Object.values(setup().template.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties);
    expect(alarms.every((a) => a.AlarmActions === undefined)).toBe(true);
  });
});

describe('parked-records table', () => {
  test('pk (S) and sk (S), on-demand, PITR, customer-managed key, deletion protection, retained, time to live on the counters only', () => {
    const { template } = setup();
    const keySchema = [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }];
    const tables = template.findResources('AWS::DynamoDB::GlobalTable', { Properties: { KeySchema: keySchema } });
    expect(Object.keys(tables)).toHaveLength(1);
    const [resource] = Object.values(tables) as any[];
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.Properties).toEqual(expect.objectContaining({
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: expect.objectContaining({ SSEEnabled: true, SSEType: 'KMS' }),
    }));
    // The counters of attempts and invocations expire; parked records never carry the attribute (the fault
    // scenarios check every parked item they read).
    expect(resource.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiration', Enabled: true });
    expect(resource.Properties.Replicas[0]).toEqual(expect.objectContaining({
      PointInTimeRecoverySpecification: expect.objectContaining({ PointInTimeRecoveryEnabled: true }),
      DeletionProtectionEnabled: true,
      SSESpecification: { KMSMasterKeyId: expect.anything() },
    }));
  });

  test('gives the handler its name in PARKED_RECORDS_TABLE_NAME', () => {
    const { template, consumer } = setup();
    expect(TableStreamConsumer.PARKED_RECORDS_TABLE_ENVIRONMENT_VARIABLE).toBe('PARKED_RECORDS_TABLE_NAME');
    expect(consumer.parkedRecordsTable).toBeInstanceOf(ParkedRecordsTable);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { PARKED_RECORDS_TABLE_NAME: { Ref: Match.stringLikeRegexp('^ConsumerParkedRecordsTable') } } },
    });
  });

  test('grants the item actions parking and redriving need, and the key, nothing else', () => {
    const statements = policyStatements(setup().template);
    const onTable = statements.filter((s) => /"ConsumerParkedRecordsTable[0-9A-F]{8}"/.test(JSON.stringify(s.Resource)));
    expect(onTable).toHaveLength(1);
    expect([onTable[0].Action].flat().sort()).toEqual([
      'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem',
    ]);
    const onKey = statements.filter((s) => JSON.stringify(s.Resource).includes('ConsumerParkedRecordsTableKey'));
    expect([onKey[0].Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']);
  });

  test('alarms on the sum of ParkedRecords >= 1 in 5 minutes, by the function name', () => {
    const { template, consumer } = setup();
    expect(consumer.parkedRecordsAlarm).toBeDefined();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'CdkDynamoDBBlueprints',
      MetricName: 'ParkedRecords',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^Handler') } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test('one table can be shared by several consumers', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    const shared = new ParkedRecordsTable(stack, 'Parked');
    const a = new TableStreamConsumer(stack, 'A', { table, handler: fn(stack, 'FnA'), parkedRecordsTable: shared });
    const b = new TableStreamConsumer(stack, 'B', { table, handler: fn(stack, 'FnB'), parkedRecordsTable: shared });
    expect(a.parkedRecordsTable).toBe(shared);
    expect(b.parkedRecordsTable).toBe(shared);
    // The stream's table, two idempotency tables, one parked-records table.
    Template.fromStack(stack).resourceCountIs('AWS::DynamoDB::GlobalTable', 4);
  });

  test('none, and no alarm, when parking is off', () => {
    const { template, consumer } = setup({ parkRecords: false });
    expect(consumer.parkedRecordsTable).toBeUndefined();
    expect(consumer.parkedRecordsAlarm).toBeUndefined();
    expect(consumer.alarms).toHaveLength(4);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/PARKED_RECORDS_TABLE_NAME|ParkedRecords/);
  });

  test('fails when a parked-records table is given with parking off', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    expect(() => new TableStreamConsumer(stack, 'C', {
      table, handler: fn(stack), parkRecords: false, parkedRecordsTable: new ParkedRecordsTable(stack, 'P'),
    })).toThrow(/`parkedRecordsTable` is set but `parkRecords` is false/);
  });
});

describe('handler kinds', () => {
  function tasks(stack: Stack) {
    return new BlueprintTable(stack, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
  }

  test('an alias of the current version: the mapping invokes the alias, the function gets the environment', () => {
    const stack = testStack();
    const f = fn(stack);
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: f.currentVersion });
    new TableStreamConsumer(stack, 'Consumer', { table: tasks(stack), handler: alias });
    const template = Template.fromStack(stack);
    // The alias's qualified name: <function name>:live.
    expect(JSON.stringify(mapping(template).FunctionName)).toMatch(/"Ref":"Live[0-9A-F]{8}".*":live"/);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { IDEMPOTENCY_TABLE_NAME: Match.anyValue(), PARKED_RECORDS_TABLE_NAME: Match.anyValue() } },
    });
    // The parked-records metric is the function's, as the runtime names it.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ParkedRecords', Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^Handler') } }],
    });
  });

  test('fails on a version published by hand, which would never get the environment', () => {
    const stack = testStack();
    const f = fn(stack);
    const version = new lambda.Version(stack, 'V1', { lambda: f });
    expect(() => new TableStreamConsumer(stack, 'Consumer', { table: tasks(stack), handler: version }))
      .toThrow(/`handler` TestStack\/V1 runs version TestStack\/V1, which was published by hand .*point it at `Handler.currentVersion`.*`setHandlerEnvironment: false`/);
  });

  test('an imported function with its role, when its environment is set elsewhere', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/counter', { mutable: true });
    const imported = lambda.Function.fromFunctionAttributes(stack, 'Imported', {
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:counter', role, sameEnvironment: true,
    });
    new TableStreamConsumer(stack, 'Consumer', { table: tasks(stack), handler: imported, setHandlerEnvironment: false });
    const template = Template.fromStack(stack);
    expect(mapping(template).FunctionName).toBe('counter');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ParkedRecords', Dimensions: [{ Name: 'FunctionName', Value: 'counter' }] });
    expect(policyStatements(template).some((s) => JSON.stringify(s.Resource).includes('ConsumerParkedRecordsTable'))).toBe(true);
  });

  test('fails on an imported function whose environment it would have to set, and says what to do', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/counter');
    const imported = lambda.Function.fromFunctionAttributes(stack, 'Imported', { functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:counter', role });
    expect(() => new TableStreamConsumer(stack, 'Consumer', { table: tasks(stack), handler: imported }))
      .toThrow(/`handler` TestStack\/Imported is an imported function: the consumer cannot set its environment variables. To use it, set IDEMPOTENCY_TABLE_NAME and PARKED_RECORDS_TABLE_NAME where the function is defined .* and pass `setHandlerEnvironment: false`/);
  });

  test('fails on an imported function without a role', () => {
    const stack = testStack();
    const imported = lambda.Function.fromFunctionArn(stack, 'Imported', 'arn:aws:lambda:us-east-1:123456789012:function:counter');
    expect(() => new TableStreamConsumer(stack, 'Consumer', { table: tasks(stack), handler: imported, setHandlerEnvironment: false }))
      .toThrow(/`handler` TestStack\/Imported has no role.*Function.fromFunctionAttributes\(scope, id, \{ functionArn, role \}\)/);
  });
});

describe('filters against the table keys', () => {
  function withKeys(filters: StreamFilter[]) {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, sortKey: { name: 'SK', type: AttributeType.STRING }, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    return () => new TableStreamConsumer(stack, 'Consumer', { table, handler: fn(stack), filters });
  }

  test('accepts conditions on the partition and sort keys', () => {
    expect(withKeys([StreamFilter.of({ keyAttribute: 'SK', keyPrefix: 'TASK' }), StreamFilter.of({ keyAttribute: 'PK', keyPrefix: 'T#' })])).not.toThrow();
  });

  test('fails on a key attribute that differs from a key only in case, naming the filter, the attribute, the keys and the fix', () => {
    expect(withKeys([StreamFilter.of({ eventNames: [StreamEventName.MODIFY] }), StreamFilter.of({ keyAttribute: 'Sk', keyPrefix: 'TASK' })])).toThrow(
      "`filters[1]` ({\"dynamodb\":{\"Keys\":{\"Sk\":{\"S\":[{\"prefix\":\"TASK\"}]}}}}) has a condition on key attribute 'Sk', which is not a key of the table "
      + "TestStack/Tasks (its keys: PK, SK): no record would match and the consumer would never run. Fix: attribute names are case-sensitive: write 'SK'.");
  });

  test('fails on a raw pattern with a condition on a non-key attribute under Keys', () => {
    expect(withKeys([StreamFilter.fromPattern({ dynamodb: { Keys: { status: { S: ['DONE'] } } } })]))
      .toThrow(/`filters\[0\]` .* key attribute 'status', which is not a key .* Fix: condition on one of 'PK', 'SK', or on `dynamodb.NewImage`/);
  });

  test('does not check an imported table, whose keys are unknown', () => {
    const stack = testStack();
    const table = Table.fromTableAttributes(stack, 'Imported', {
      tableName: 'tasks', tableStreamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/tasks/stream/2026-01-01T00:00:00.000',
    });
    expect(() => new TableStreamConsumer(stack, 'C', { table, handler: fn(stack), filters: [StreamFilter.of({ keyAttribute: 'Sk', keyPrefix: 'X' })] })).not.toThrow();
  });
});

test('snapshot', () => {
  expect(snapshotTemplate(setup().stack)).toMatchSnapshot();
});

describe('consumer identity', () => {
  const envOf = (template: Template) => Object.values(template.findResources('AWS::Lambda::Function'))
    .map((f: any) => f.Properties.Environment?.Variables).find((v) => v?.STREAM_CONSUMER_ID !== undefined);

  test('is the construct path by default, and goes to the handler in STREAM_CONSUMER_ID', () => {
    const { consumer, template } = setup();
    expect(consumer.consumerId).toBe('TestStack/Consumer');
    expect(envOf(template).STREAM_CONSUMER_ID).toBe('TestStack/Consumer');
  });

  test('does not change with the function name', () => {
    const { template } = setup({ consumerId: 'open-task-counter' });
    const renamed = testStack();
    const table = new BlueprintTable(renamed, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    const handler = new lambda.Function(renamed, 'RenamedHandler', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      functionName: 'renamed',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    });
    new TableStreamConsumer(renamed, 'Consumer', { table, handler, consumerId: 'open-task-counter' });
    expect(envOf(Template.fromStack(renamed)).STREAM_CONSUMER_ID).toBe(envOf(template).STREAM_CONSUMER_ID);
  });

  test('two consumers sharing the tables get different identities by default', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    const parkedRecordsTable = new ParkedRecordsTable(stack, 'Parked');
    const idempotencyTable = new IdempotencyTable(stack, 'Markers');
    const a = new TableStreamConsumer(stack, 'A', { table, handler: fn(stack, 'FnA'), parkedRecordsTable, idempotencyTable });
    const b = new TableStreamConsumer(stack, 'B', { table, handler: fn(stack, 'FnB'), parkedRecordsTable, idempotencyTable });
    expect([a.consumerId, b.consumerId]).toEqual(['TestStack/A', 'TestStack/B']);
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('fails when two consumers of a shared table are given one identity, naming both and the table', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    const parkedRecordsTable = new ParkedRecordsTable(stack, 'Parked');
    new TableStreamConsumer(stack, 'A', { table, handler: fn(stack, 'FnA'), parkedRecordsTable, consumerId: 'counter' });
    new TableStreamConsumer(stack, 'B', { table, handler: fn(stack, 'FnB'), parkedRecordsTable, consumerId: 'counter' });
    expect(() => Template.fromStack(stack)).toThrow(/TestStack\/A: `consumerId` is 'counter', and so is the identity of TestStack\/B, which shares the table TestStack\/Parked/);
  });

  test('fails on an identity with a # or empty, with the allowed characters', () => {
    expect(() => setup({ consumerId: 'a#b' }).template).toThrow(/`consumerId` is 'a#b'; it must be 1 to 200 letters, digits/);
    expect(() => setup({ consumerId: '' }).template).toThrow(/`consumerId` is ''/);
  });

  test('is not set on a handler without idempotency or parking (a Powertools handler needs none)', () => {
    const { template } = setup({ idempotency: false, parkRecords: false });
    expect(envOf(template)).toBeUndefined();
  });
});
