import { Stack } from 'aws-cdk-lib';
import { AttributeType, StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { BlueprintTable, DaxCluster, IdempotencyTable, KinesisChangeStream, TableStreamConsumer, TableAlarms, TableBackupPlan } from '../../src';
import { nagFindings } from '../../tools/nag';
import { testStack } from '../util';

/**
 * Every construct of the library with its defaults, under the three general packs. A finding listed
 * here is one a user has to acknowledge; docs/security-controls.md gives each one with its reason and
 * the acknowledgment to copy, so this list and that page change together.
 */
function findingsOf(build: (stack: Stack) => void): string[] {
  const stack = testStack();
  build(stack);
  const packs = [new AwsSolutionsChecks(), new NIST80053R5Checks(), new HIPAASecurityChecks()];
  return nagFindings(stack, packs).map((f) => `${f.ruleId} ${f.path}`).sort();
}

const table = (stack: Stack, id = 'Orders') => new BlueprintTable(stack, id, {
  partitionKey: { name: 'PK', type: AttributeType.STRING },
  dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
});

describe('cdk-nag findings of the library\'s own constructs (AwsSolutions, NIST 800-53 R5, HIPAA)', () => {
  test('BlueprintTable: none', () => {
    expect(findingsOf((s) => table(s))).toEqual([]);
  });

  test('IdempotencyTable: none', () => {
    expect(findingsOf((s) => new IdempotencyTable(s, 'Idempotency'))).toEqual([]);
  });

  test('KinesisChangeStream: none (its customer-managed key is acknowledged by the construct, AwsSolutions-KDS3)', () => {
    expect(findingsOf((s) => new KinesisChangeStream(s, 'Changes'))).toEqual([]);
  });

  test('TableBackupPlan: none (AWS Backup\'s service-role policy is acknowledged by the construct, AwsSolutions-IAM4)', () => {
    expect(findingsOf((s) => new TableBackupPlan(s, 'Backups', { tables: [table(s)] }))).toEqual([]);
  });

  test('TableAlarms: none once the alarms have an action; NIST and HIPAA CloudWatchAlarmAction on each alarm without one', () => {
    expect(findingsOf((s) => new TableAlarms(s, 'Alarms', { table: table(s), alarmTopic: new Topic(s, 'OnCall', { enforceSSL: true }) }))
      .filter((f) => !f.includes('TestStack/OnCall/'))).toEqual([]);
    const alarms = ['ReadCapacityUtilization', 'ReadThrottledEvents', 'SystemErrors', 'WriteCapacityUtilization', 'WriteThrottledEvents'];
    expect(findingsOf((s) => new TableAlarms(s, 'Alarms', { table: table(s) }))).toEqual(
      ['HIPAA.Security', 'NIST.800.53.R5'].flatMap((pack) => alarms.map((a) => `${pack}-CloudWatchAlarmAction TestStack/Alarms/${a}/Resource`)));
  });

  test('DaxCluster: none', () => {
    expect(findingsOf((s) => {
      const vpc = new Vpc(s, 'Vpc', { maxAzs: 3, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: SubnetType.PRIVATE_ISOLATED }] });
      new DaxCluster(s, 'Cache', { table: table(s), vpc });
    }).filter((f) => !f.includes('TestStack/Vpc/'))).toEqual([]);
  });

  test('TableStreamConsumer: only the findings on the handler, which the user\'s function owns', () => {
    const found = findingsOf((s) => {
      const handler = new lambda.Function(s, 'Handler', {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
      });
      // The consumer's alarms need an action, as TableAlarms' do.
      new TableStreamConsumer(s, 'Consumer', { table: table(s), handler, alarmTopic: new Topic(s, 'OnCall', { enforceSSL: true }) });
    });
    expect(found.filter((f) => !f.includes('TestStack/Handler/') && !f.includes('TestStack/OnCall/'))).toEqual([]);
    // The consumer's grants (stream, dead-letter queue and its key, idempotency table and its key) land
    // in the handler role's inline default policy, as every grant*() of aws-cdk-lib does.
    expect(found).toEqual(expect.arrayContaining([
      'HIPAA.Security-IAMNoInlinePolicy TestStack/Handler/ServiceRole/DefaultPolicy/Resource',
      'NIST.800.53.R5-IAMNoInlinePolicy TestStack/Handler/ServiceRole/DefaultPolicy/Resource',
    ]));
  });
});
