import { CfnParameter, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { AttributeType, StreamViewType, Table, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Stream } from 'aws-cdk-lib/aws-kinesis';
import { CfnEventSourceMapping, Code, Function, Runtime, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, KinesisEventSource, SqsDlq, SqsEventSource, StreamEventSourceProps } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { findings } from './util';
import { testStack } from '../util';

const STREAM_RULES = ['ESM1', 'ESM2', 'ESM3', 'ESM4', 'ESM5'];

function consumer(stack: Stack, id = 'Consumer'): Function {
  return new Function(stack, id, { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => ({})') });
}

/** Every stream-consumer setting the rules ask for. */
function safeOptions(stack: Stack): StreamEventSourceProps {
  return {
    startingPosition: StartingPosition.TRIM_HORIZON,
    onFailure: new SqsDlq(new Queue(stack, 'Failed')),
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    retryAttempts: 3,
    maxRecordAge: Duration.hours(1),
  };
}

function streamTable(stack: Stack): TableV2 {
  return new TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING }, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
}

function stackFindings(stack: Stack): string[] {
  return STREAM_RULES.flatMap((rule) => findings(stack, rule));
}

describe('Stream event source mappings (ESM1-ESM5)', () => {
  test('Noncompliance 1: a DynamoEventSource on a TableV2 stream with the defaults breaks every rule', () => {
    const stack = testStack();
    consumer(stack).addEventSource(new DynamoEventSource(streamTable(stack), { startingPosition: StartingPosition.LATEST }));
    expect(stackFindings(stack)).toEqual(STREAM_RULES.map((r) => `DynamoDBBlueprint-${r}`));
  });

  test('Noncompliance 2: a KinesisEventSource that only lacks an on-failure destination', () => {
    const stack = testStack();
    const { onFailure: _dropped, ...options } = safeOptions(stack);
    consumer(stack).addEventSource(new KinesisEventSource(new Stream(stack, 'Changes'), options));
    expect(stackFindings(stack)).toEqual(['DynamoDBBlueprint-ESM1']);
  });

  test('Noncompliance 3: a Table stream consumer with unbounded retries (-1) and record age (-1)', () => {
    const stack = testStack();
    const table = new Table(stack, 'Legacy', { partitionKey: { name: 'pk', type: AttributeType.STRING }, stream: StreamViewType.NEW_IMAGE });
    consumer(stack).addEventSource(new DynamoEventSource(table, { ...safeOptions(stack), retryAttempts: -1, maxRecordAge: undefined }));
    expect(stackFindings(stack)).toEqual(['DynamoDBBlueprint-ESM4', 'DynamoDBBlueprint-ESM5']);
  });

  test('Noncompliance 4: an L1 mapping on a literal DynamoDB stream ARN without bisect', () => {
    const stack = testStack();
    new CfnEventSourceMapping(stack, 'L1', {
      functionName: 'consumer',
      eventSourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-01-01T00:00:00.000',
      startingPosition: 'LATEST',
      destinationConfig: { onFailure: { destination: 'arn:aws:sqs:us-east-1:123456789012:failed' } },
      functionResponseTypes: ['ReportBatchItemFailures'],
      maximumRetryAttempts: 3,
      maximumRecordAgeInSeconds: 3600,
    });
    expect(stackFindings(stack)).toEqual(['DynamoDBBlueprint-ESM2']);
  });

  test('Noncompliance 5: an L1 mapping on a stream ARN passed as a parameter', () => {
    const stack = testStack();
    const arn = new CfnParameter(stack, 'ChangesStreamArn');
    new CfnEventSourceMapping(stack, 'L1', { functionName: 'consumer', eventSourceArn: arn.valueAsString, startingPosition: 'LATEST' });
    expect(stackFindings(stack)).toEqual(STREAM_RULES.map((r) => `DynamoDBBlueprint-${r}`));
  });

  test('Compliance: a consumer with every setting, and SQS and MSK mappings that are not table streams', () => {
    const stack = testStack();
    consumer(stack).addEventSource(new DynamoEventSource(streamTable(stack), safeOptions(stack)));
    consumer(stack, 'QueueConsumer').addEventSource(new SqsEventSource(new Queue(stack, 'Work')));
    const msk = new CfnResource(stack, 'Msk', { type: 'AWS::MSK::Cluster' });
    new CfnEventSourceMapping(stack, 'Kafka', { functionName: 'consumer', eventSourceArn: msk.ref, startingPosition: 'LATEST', topics: ['orders'] });
    expect(stackFindings(stack)).toEqual([]);
  });
});
