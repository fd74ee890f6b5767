/*
 * The deployed task tracker, black box, through the emulator's APIs: tasks created in two projects, one
 * completed, one deleted, and the open-task counters the deployed consumer keeps; then a poison record
 * (a task whose project counter an operator corrupted), parked with its key's later record, the cause
 * fixed, the parked records redriven, counters right and the dead-letter queue empty.
 *
 *   ts-node scripts/ci/deploy/task-tracker.ts <cdk.out of the copied task tracker>
 */
import { DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { GetEventSourceMappingCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { clientConfig, deployedStacks } from './emulator';
import { TaskRepository } from '../../../examples/task-tracker/data-access';
import { counterKey, Task, taskKey } from '../../../examples/task-tracker/model';
import { CONSUMER_ID_ENV } from '../../../src/runtime/environment';
import { itemKeyOf, ParkedRecordsLayout } from '../../../src/runtime/parked-records';

const WAIT_MS = 30_000;
/** The handler's default attempts before it parks a record (createTransactionalStreamHandler's `maxAttempts`). */
const MAX_ATTEMPTS = 3;

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) {
      throw new Error(`Waited ${WAIT_MS / 1000} s for ${what}; last seen: ${JSON.stringify(value)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
    value = await read();
  }
  return value;
}

function expectEqual(what: string, actual: unknown, expected: unknown) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
  console.log(`  ok  ${what}: ${JSON.stringify(actual)}`);
}

async function main(cdkOut: string) {
  const stack = (await deployedStacks(cdkOut)).find((s) => s.stackName === 'TaskTracker')!;
  const resources: Record<string, any> = stack.template.Resources;
  const idOf = (type: string, prefix: string) => Object.keys(resources).find((id) => resources[id].Type === type && id.startsWith(prefix))!;
  const tasksTable = stack.physicalIds[idOf('AWS::DynamoDB::GlobalTable', 'Tasks')];
  const parkedTable = stack.physicalIds[idOf('AWS::DynamoDB::GlobalTable', 'OpenTaskCountParkedRecordsTable')];
  const functionId = idOf('AWS::Lambda::Function', 'OpenTaskCounter');
  const functionName = stack.physicalIds[functionId];
  // The consumer's identity names its items in the parked-records table (TableStreamConsumer sets it on the function).
  const layout = new ParkedRecordsLayout(resources[functionId].Properties.Environment.Variables[CONSUMER_ID_ENV]);
  const mappingId = stack.physicalIds[idOf('AWS::Lambda::EventSourceMapping', 'OpenTaskCounter')];
  const queueUrl = stack.physicalIds[idOf('AWS::SQS::Queue', 'OpenTaskCountDeadLetterQueue')];

  const config = clientConfig(stack.region);
  const client = new DynamoDBClient(config);
  const doc = DynamoDBDocumentClient.from(client);
  const streams = new DynamoDBStreamsClient(config);
  const lambda = new LambdaClient(config);
  const sqs = new SQSClient({ ...config, useQueueUrlAsEndpoint: false });
  const repo = new TaskRepository(client, tasksTable);
  const counts = async () => ({
    apollo: await repo.openTaskCount('acme', 'apollo'),
    zeus: await repo.openTaskCount('acme', 'zeus'),
    // The counter an operator corrupts below reads back as the String it was given.
    hermes: await repo.openTaskCount('acme', 'hermes') as number | string,
  });
  const task = (taskId: string, projectId: string, status: Task['status']): Task =>
    ({ tenantId: 'acme', taskId, projectId, title: `Task ${taskId}`, status, assigneeId: 'ana', dueDate: '2026-12-24' });
  const processed = async () => (await lambda.send(new GetEventSourceMappingCommand({ UUID: mappingId }))).LastProcessingResult;

  try {
    console.log('Counters kept by the deployed consumer, through the emulator\'s event source mapping');
    for (const t of [task('a1', 'apollo', 'OPEN'), task('a2', 'apollo', 'OPEN'), task('a3', 'apollo', 'IN_PROGRESS'), task('z1', 'zeus', 'OPEN'), task('z2', 'zeus', 'OPEN')]) {
      await repo.putTask(t);
    }
    expectEqual('after 5 tasks in two projects', await until('the counters', counts, (c) => c.apollo === 3 && c.zeus === 2), { apollo: 3, zeus: 2, hermes: 0 });
    await repo.putTask({ ...task('a1', 'apollo', 'DONE'), expiresAt: Math.floor(Date.now() / 1000) + 90 * 24 * 3600 });
    await doc.send(new DeleteCommand({ TableName: tasksTable, Key: taskKey('acme', 'z1') }));
    expectEqual('after completing apollo/a1 and deleting zeus/z1', await until('the counters', counts, (c) => c.apollo === 2 && c.zeus === 1), { apollo: 2, zeus: 1, hermes: 0 });
    console.log('  --  a TTL-style REMOVE (userIdentity dynamodb.amazonaws.com) cannot be made: the emulator does not model time to live, and a client DeleteItem carries no userIdentity');

    console.log('A poison record: an operator wrote the hermes counter as a String, so adding to it fails');
    await client.send(new PutItemCommand({ TableName: tasksTable, Item: { PK: { S: counterKey('acme', 'hermes').PK }, SK: { S: counterKey('acme', 'hermes').SK }, openTasks: { S: 'corrupt' } } }));
    await repo.putTask(task('h1', 'hermes', 'OPEN'));
    const poisonRecords = (await streamRecordsOf(streams, stack.region, client, tasksTable, taskKey('acme', 'h1').PK)).slice(0, 1);
    const attempts = async () => (await doc.send(new QueryCommand({
      TableName: parkedTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': layout.attemptsKey(poisonRecords[0]).pk },
    }))).Items?.[0]?.attempts;
    expectEqual('attempts the handler counted after the emulator delivered it', await until('the attempt count', attempts, (a) => a !== undefined), 1);
    await repo.putTask(task('a4', 'apollo', 'OPEN'));
    expectEqual('a later task of another project still counted', await until('the counters', counts, (c) => c.apollo === 3), { apollo: 3, zeus: 1, hermes: 'corrupt' });
    expectEqual('attempts of the poison record once the poller went past it', await attempts(), 1);
    console.log(`  --  the emulator's poller moved past the poison record after one attempt (LastProcessingResult '${await processed()}'): for a DynamoDB stream it`
      + ' does not act on ReportBatchItemFailures, MaximumRetryAttempts or BisectBatchOnFunctionError; the retries Lambda would make are made here by'
      + ' invoking the deployed function with the same stream record, read from the emulator\'s DynamoDB Streams API');
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      const response = await invoke(lambda, functionName, { Records: poisonRecords });
      if (attempt < MAX_ATTEMPTS) {
        expectEqual(`attempt ${attempt}: batchItemFailures`, response.batchItemFailures.map((f: any) => f.itemIdentifier), [poisonRecords[0].dynamodb.SequenceNumber]);
      } else {
        expectEqual(`attempt ${attempt}: parked, no batchItemFailures`, response.batchItemFailures, []);
      }
    }
    const parkedOf = async () => (await doc.send(new QueryCommand({
      TableName: parkedTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': layout.keyPk(itemKeyOf(poisonRecords[0])) },
    }))).Items ?? [];
    expectEqual('parked records of acme/h1', (await parkedOf()).length, 1);
    await repo.putTask({ ...task('h1', 'hermes', 'OPEN'), title: 'Renamed while parked' });
    expectEqual('its later record, delivered by the emulator, parked behind it', (await until('the later record to park', parkedOf, (items) => items.length === 2)).length, 2);
    expectEqual('counters while parked', await counts(), { apollo: 3, zeus: 1, hermes: 'corrupt' });

    console.log('The cause fixed (the counter repaired), the parked records redriven with the event the construct sends');
    await client.send(new PutItemCommand({ TableName: tasksTable, Item: { PK: { S: counterKey('acme', 'hermes').PK }, SK: { S: counterKey('acme', 'hermes').SK }, openTasks: { N: '0' } } }));
    const redrive = await invoke(lambda, functionName, { redriveParkedRecords: {} });
    expectEqual('redrive result', { keys: redrive.keys, redriven: redrive.redriven, stillParked: redrive.stillParked }, { keys: 1, redriven: 2, stillParked: 0 });
    expectEqual('counters after the redrive', await counts(), { apollo: 3, zeus: 1, hermes: 1 });
    const again = await invoke(lambda, functionName, { redriveParkedRecords: {} });
    expectEqual('a second redrive replays nothing', { redriven: again.redriven, stillParked: again.stillParked }, { redriven: 0, stillParked: 0 });
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expectEqual('dead-letter queue messages', [Attributes?.ApproximateNumberOfMessages, Attributes?.ApproximateNumberOfMessagesNotVisible], ['0', '0']);
  } finally {
    client.destroy();
    streams.destroy();
    lambda.destroy();
    sqs.destroy();
  }
}

/** The stream records of one task, read from the emulator's DynamoDB Streams API, in the Lambda event's shape. */
async function streamRecordsOf(streams: DynamoDBStreamsClient, region: string, client: DynamoDBClient, table: string, pk: string): Promise<any[]> {
  const streamArn = (await client.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn!;
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const records: any[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    for (let page = 0; page < 100 && iterator; page++) {
      const result = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      records.push(...(result.Records ?? []));
      if ((result.Records ?? []).length === 0) {
        break;
      }
      iterator = result.NextShardIterator;
    }
  }
  return records
    .filter((r) => r.dynamodb?.Keys?.PK?.S === pk)
    .map((r) => ({
      ...r,
      eventSourceARN: streamArn,
      awsRegion: region,
      // The Lambda event gives the creation time in epoch seconds; the SDK parses it into a Date.
      dynamodb: { ...r.dynamodb, ApproximateCreationDateTime: epochSeconds(r.dynamodb?.ApproximateCreationDateTime) },
    }));
}

const epochSeconds = (date: Date | undefined) => (date === undefined ? undefined : date.getTime() / 1000);

async function invoke(lambda: LambdaClient, functionName: string, payload: unknown): Promise<any> {
  const response = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(payload)) }));
  const body = response.Payload ? JSON.parse(Buffer.from(response.Payload).toString('utf8')) : undefined;
  if (response.FunctionError) {
    throw new Error(`${functionName} failed: ${JSON.stringify(body)}`);
  }
  return body;
}

main(process.argv[2]).catch((err) => {
  console.error(err);
  process.exit(1);
});
