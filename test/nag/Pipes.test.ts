import { Stack } from 'aws-cdk-lib';
import { TableV2, AttributeType, StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { CfnPipe } from 'aws-cdk-lib/aws-pipes';
import { DynamoDBBlueprintChecks, DynamoDBBlueprintChecksProps, rules } from '../../src';
import { testStack } from '../util';
import { findings, ruleFindings } from './util';

const ACCOUNT = '123456789012';

/** A pipe from a TableV2's stream to a queue, every setting right unless `parameters` overrides one. */
function pipeStack(parameters: Record<string, unknown> = {}, source?: string): Stack {
  const stack = testStack();
  const table = new TableV2(stack, 'Orders', { partitionKey: { name: 'pk', type: AttributeType.STRING }, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
  new CfnPipe(stack, 'Audit', {
    roleArn: `arn:aws:iam::${ACCOUNT}:role/pipe`,
    source: source ?? table.tableStreamArn!,
    target: `arn:aws:sqs:us-east-1:${ACCOUNT}:audit`,
    sourceParameters: {
      dynamoDbStreamParameters: {
        startingPosition: 'TRIM_HORIZON',
        deadLetterConfig: { arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:audit-dlq` },
        maximumRetryAttempts: 3,
        maximumRecordAgeInSeconds: 3600,
        onPartialBatchItemFailure: 'AUTOMATIC_BISECT',
        ...parameters,
      },
    },
  });
  return stack;
}

/** The findings of one Pipes rule alone and in the pack (advisory rules on), which must agree. */
function check(stack: Stack, rule: any, suffix: string): string[] {
  const alone = ruleFindings(stack, rule);
  expect(findings(stack, suffix).map((id) => (id === `DynamoDBBlueprint-${suffix}` ? '' : id))).toEqual(alone);
  return alone;
}

describe.each([
  ['PipesStreamDeadLetterConfig (PIPE1)', rules.pipes.PipesStreamDeadLetterConfig, 'PIPE1', { deadLetterConfig: undefined }, 'no dead-letter config'],
  ['PipesStreamMaximumRetryAttempts (PIPE2)', rules.pipes.PipesStreamMaximumRetryAttempts, 'PIPE2', { maximumRetryAttempts: -1 }, 'infinite retries (-1)'],
  ['PipesStreamMaximumRetryAttempts (PIPE2)', rules.pipes.PipesStreamMaximumRetryAttempts, 'PIPE2', { maximumRetryAttempts: undefined }, 'retries left unset (the default is -1)'],
  ['PipesStreamMaximumRecordAge (PIPE3)', rules.pipes.PipesStreamMaximumRecordAge, 'PIPE3', { maximumRecordAgeInSeconds: -1 }, 'record age -1 (until the record expires)'],
  ['PipesStreamMaximumRecordAge (PIPE3)', rules.pipes.PipesStreamMaximumRecordAge, 'PIPE3', { maximumRecordAgeInSeconds: undefined }, 'record age left unset'],
  ['PipesStreamPartialBatchFailure (PIPE4)', rules.pipes.PipesStreamPartialBatchFailure, 'PIPE4', { onPartialBatchItemFailure: undefined }, 'no OnPartialBatchItemFailure'],
  ['PipesStreamStartingPosition (PIPE5)', rules.pipes.PipesStreamStartingPosition, 'PIPE5', { startingPosition: 'LATEST' }, 'starting at LATEST'],
])('%s', (_name, rule, suffix, wrong, why) => {
  test(`Noncompliance 1: ${why}`, () => {
    expect(check(pipeStack(wrong), rule, suffix)).toEqual(['']);
  });

  test('Compliance: every setting of the pipe right', () => {
    expect(check(pipeStack(), rule, suffix)).toEqual([]);
  });

  test('Not applicable: a pipe reading a queue', () => {
    expect(check(pipeStack(wrong, `arn:aws:sqs:us-east-1:${ACCOUNT}:orders`), rule, suffix)).toEqual([]);
  });
});

test('the pack leaves the advisory PIPE5 out unless asked for', () => {
  const stack = pipeStack({ startingPosition: 'LATEST' });
  const ids = (props: DynamoDBBlueprintChecksProps) => new DynamoDBBlueprintChecks(undefined, props).validateScope(stack).violations
    .map((v) => v.ruleName)
    .filter((id) => id.startsWith('DynamoDBBlueprint-PIPE'));
  expect(ids({})).toEqual([]);
  expect(ids({ includeAdvisoryRules: true })).toEqual(['DynamoDBBlueprint-PIPE5']);
});
