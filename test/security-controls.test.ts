import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { BlueprintMultiAccountReplica, BlueprintTable, DaxCluster, DynamoDBGatewayEndpoint, KinesisChangeStream, TableDataEvents, TableStreamConsumer, TableAlarms, TableBackupPlan } from '../src';
import { testStack } from './util';

/**
 * The AWS Control Tower proactive controls for the services the library creates resources of, run by
 * cfn-guard on one stack holding every construct of the library, as a Control Tower hook would run them
 * on a deployment. scripts/ci/security-controls.sh runs the same rules (and cfn-lint and Checkov) on
 * the examples.
 */
const GUARD_PACKAGE = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
const GUARD = path.join(GUARD_PACKAGE, 'bin', 'ubuntu', 'x86_64', 'cfn-guard');
const SERVICES = ['dynamodb', 'kinesis', 'identityandaccessmanagement', 'keymanagementservice', 'sqs', 'cloudwatch', 'cloudtrail', 's3', 'ec2'];

/** The logical ids of the resources failing a control, by control id (CT.KMS.PR.3). */
function failingControls(stack: Stack): Record<string, string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'security-controls-'));
  const file = path.join(dir, 'template.json');
  fs.writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));
  const args = ['validate', ...SERVICES.flatMap((s) => ['--rules', path.join(GUARD_PACKAGE, 'rules', 'control-tower', 'cfn-guard', s)]),
    '--data', file, '--output-format', 'sarif', '--show-summary', 'none', '--structured'];
  let sarif: string;
  try {
    sarif = execFileSync(GUARD, args, { encoding: 'utf8' });
  } catch (e) {
    sarif = (e as { stdout: string }).stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const failing: Record<string, Set<string>> = {};
  for (const result of JSON.parse(sarif).runs[0].results) {
    const resource = /\/Resources\/([^/\]]+)/.exec(result.message.text)?.[1] ?? '?';
    (failing[result.ruleId] ??= new Set()).add(resource);
  }
  return Object.fromEntries(Object.entries(failing).map(([rule, ids]) => [rule, [...ids].sort()]));
}

/** Every construct of the library; with an on-call topic, every alarm has an action. */
function everyConstruct(stack: Stack, onCall?: Topic) {
  const changes = new KinesisChangeStream(stack, 'Changes');
  const table = new BlueprintTable(stack, 'Orders', {
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
    kinesisStream: changes.stream,
  });
  const handler = new lambda.Function(stack, 'Handler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
  });
  const consumer = new TableStreamConsumer(stack, 'Consumer', { table, handler, alarmTopic: onCall });
  new TableBackupPlan(stack, 'Backups', { tables: [table] });
  const vpc = new Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: SubnetType.PRIVATE_ISOLATED }] });
  new DaxCluster(stack, 'Cache', { table, vpc });
  new DynamoDBGatewayEndpoint(stack, 'Endpoint', { vpc, tables: [table] });
  const dataEvents = new TableDataEvents(stack, 'DataEvents', { tables: [table] });
  // A replica of a table in another account and region (the test stack's account and region are the replica's).
  new BlueprintMultiAccountReplica(stack, 'Replica', {
    replicaSourceTable: TableV2.fromTableArn(stack, 'ReplicaSource', 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders'),
  });
  return { table, consumer, dataEvents, alarms: new TableAlarms(stack, 'Alarms', { table, alarmTopic: onCall }) };
}

const onLinuxX64 = os.platform() === 'linux' && os.arch() === 'x64' ? test : test.skip;

describe('AWS Control Tower proactive controls on every construct of the library', () => {
  onLinuxX64('pass, once the alarms have an action (CT.CLOUDWATCH.PR.1 needs one), but CT.S3.PR.2 on the end of the access-log chain', () => {
    const stack = testStack();
    const { dataEvents } = everyConstruct(stack, new Topic(stack, 'OnCall', { enforceSSL: true }));
    // The bucket receiving the trail bucket's access logs has none of its own: logging it to itself or back loops.
    // scripts/ci/security-report.ts lists it as an exception in the examples.
    const accessLogs = stack.getLogicalId(dataEvents.accessLogsBucket.node.defaultChild as CfnElement);
    expect(failingControls(stack)).toEqual({ S3_BUCKET_LOGGING_ENABLED_CHECK: [accessLogs] });
  });

  onLinuxX64('the data-event trail passes with no exception when its bucket logs to an existing access-log bucket', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Orders', { partitionKey: { name: 'PK', type: AttributeType.STRING } });
    const central = s3.Bucket.fromBucketName(stack, 'Central', 'aws-controltower-s3-access-logs-123456789012-us-east-1');
    new TableDataEvents(stack, 'DataEvents', { tables: [table], serverAccessLogsBucket: central });
    expect(failingControls(stack)).toEqual({});
  });

  onLinuxX64('alarms without an action fail CT.CLOUDWATCH.PR.1, so the pass above means something', () => {
    const stack = testStack();
    const { alarms, consumer } = everyConstruct(stack);
    expect(failingControls(stack).CLOUDWATCH_ALARM_ACTION_CHECK).toHaveLength(alarms.alarms.length + consumer.alarms.length);
  });

  test('the stream consumer\'s dead-letter queue is declared one, for CT.SQS.PR.1', () => {
    const stack = testStack();
    const { consumer } = everyConstruct(stack);
    const queue = consumer.deadLetterQueue.node.defaultChild as sqs.CfnQueue;
    expect(stack.resolve(queue.redriveAllowPolicy)).toEqual({ redrivePermission: 'allowAll' });
  });
});
