import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { BackupPlanRule, BackupVault } from 'aws-cdk-lib/aws-backup';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { BlueprintTable, TableBackupPlan } from '../../src';
import { testStack } from '../util';

function orders(stack: Stack): BlueprintTable {
  return new BlueprintTable(stack, 'Orders', { partitionKey: { name: 'PK', type: AttributeType.STRING } });
}

describe('TableBackupPlan defaults', () => {
  const stack = testStack();
  const table = orders(stack);
  const backups = new TableBackupPlan(stack, 'Backups', { tables: [table] });
  const template = Template.fromStack(stack);

  test('daily, weekly and monthly rules kept 35, 91 and 365 days, in the plan vault', () => {
    const vault = { 'Fn::GetAtt': [stack.getLogicalId(backups.vault.node.defaultChild as any), 'BackupVaultName'] };
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          { RuleName: 'Daily', ScheduleExpression: 'cron(0 5 * * ? *)', Lifecycle: { DeleteAfterDays: 35 }, StartWindowMinutes: 60, CompletionWindowMinutes: 480, TargetBackupVault: vault },
          { RuleName: 'Weekly', ScheduleExpression: 'cron(0 5 ? * SUN *)', Lifecycle: { DeleteAfterDays: 91 }, StartWindowMinutes: 60, CompletionWindowMinutes: 480, TargetBackupVault: vault },
          { RuleName: 'Monthly', ScheduleExpression: 'cron(0 5 1 * ? *)', Lifecycle: { DeleteAfterDays: 365 }, StartWindowMinutes: 60, CompletionWindowMinutes: 480, TargetBackupVault: vault },
        ],
      },
    });
  });

  test('a retained vault encrypted with a rotating customer-managed key that refuses early deletion', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: 'Encrypts the DynamoDB backups of TestStack/Backups' });
    template.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Retain',
      Properties: {
        EncryptionKeyArn: { 'Fn::GetAtt': [stack.getLogicalId(backups.vaultKey!.node.defaultChild as any), 'Arn'] },
        AccessPolicy: { Statement: [Match.objectLike({ Effect: 'Deny', Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'] })] },
      },
    });
  });

  test('the selection names the table ARN', () => {
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ Resources: [{ 'Fn::GetAtt': [stack.getLogicalId(table.node.defaultChild as any), 'Arn'] }] }),
    });
  });
});

describe('TableBackupPlan overrides', () => {
  test('aws-backup rules of any schedule, a copy to another region, an existing vault', () => {
    const stack = testStack();
    const vault = BackupVault.fromBackupVaultName(stack, 'Existing', 'central');
    const dr = BackupVault.fromBackupVaultArn(stack, 'Dr', 'arn:aws:backup:eu-west-1:123456789012:backup-vault:dr');
    const backups = new TableBackupPlan(stack, 'Backups', {
      tables: [orders(stack)],
      vault,
      rules: [
        new BackupPlanRule({ ruleName: 'Daily', scheduleExpression: Schedule.cron({ minute: '0', hour: '3' }), deleteAfter: Duration.days(7) }),
        new BackupPlanRule({ ruleName: 'Monthly', scheduleExpression: Schedule.cron({ minute: '0', hour: '5', day: '1' }), deleteAfter: Duration.days(365) }),
      ],
      copyTo: { vault: dr, retention: Duration.days(30) },
      backupPlanName: 'orders',
    });
    expect(backups.vaultKey).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Backup::BackupVault', 0);
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: 'orders',
        BackupPlanRule: [
          Match.objectLike({ RuleName: 'Daily', ScheduleExpression: 'cron(0 3 * * ? *)', Lifecycle: { DeleteAfterDays: 7 }, TargetBackupVault: 'central', CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:123456789012:backup-vault:dr', Lifecycle: { DeleteAfterDays: 30 } }] }),
          Match.objectLike({ RuleName: 'Monthly', Lifecycle: { DeleteAfterDays: 365 } }),
        ],
      },
    });
  });

  test('copies are kept as long as the backup they copy unless told otherwise', () => {
    const stack = testStack();
    const dr = BackupVault.fromBackupVaultArn(stack, 'Dr', 'arn:aws:backup:eu-west-1:210987654321:backup-vault:dr');
    new TableBackupPlan(stack, 'Backups', { tables: [orders(stack)], rules: [BackupPlanRule.weekly()], copyTo: { vault: dr } });
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: { BackupPlanRule: [Match.objectLike({ RuleName: 'Weekly', CopyActions: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 90 } })] })] },
    });
  });

  test('a rule\'s own copy actions are kept beside the copy to `copyTo`', () => {
    const stack = testStack();
    const dr = BackupVault.fromBackupVaultArn(stack, 'Dr', 'arn:aws:backup:eu-west-1:210987654321:backup-vault:dr');
    const audit = BackupVault.fromBackupVaultArn(stack, 'Audit', 'arn:aws:backup:us-east-1:210987654321:backup-vault:audit');
    const rule = new BackupPlanRule({
      ruleName: 'Daily',
      scheduleExpression: Schedule.cron({ minute: '0', hour: '5' }),
      deleteAfter: Duration.days(35),
      copyActions: [{ destinationBackupVault: audit, deleteAfter: Duration.days(400) }],
    });
    new TableBackupPlan(stack, 'Backups', { tables: [orders(stack)], rules: [rule], copyTo: { vault: dr } });
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [Match.objectLike({
          CopyActions: [
            { DestinationBackupVaultArn: 'arn:aws:backup:us-east-1:210987654321:backup-vault:audit', Lifecycle: { DeleteAfterDays: 400 } },
            { DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:210987654321:backup-vault:dr', Lifecycle: { DeleteAfterDays: 35 } },
          ],
        })],
      },
    });
  });

  test('the NIST 800-53 R5 and HIPAA packs find a Table (v1) in this plan compliant, and one outside it not', () => {
    const stack = testStack();
    const inPlan = new Table(stack, 'InPlan', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    new Table(stack, 'Outside', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    new TableBackupPlan(stack, 'Backups', { tables: [inPlan] });
    for (const pack of [new NIST80053R5Checks(), new HIPAASecurityChecks()]) {
      const report = pack.validateScope(stack);
      const backupFindings = report.violations.filter((v) => v.ruleName.includes('DynamoDBInBackupPlan'));
      const paths = backupFindings.flatMap((v) => v.violatingResources.map((r) => r.constructPath)).join('\n');
      expect(paths).toContain('Outside');
      expect(paths).not.toContain('InPlan');
    }
  });

  test('warns when a table in the plan has point-in-time recovery off, and not when it is on', () => {
    const stack = testStack();
    const off = new BlueprintTable(stack, 'NoPitr', { partitionKey: { name: 'PK', type: AttributeType.STRING }, pointInTimeRecovery: false });
    const v1 = new Table(stack, 'V1', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    new TableBackupPlan(stack, 'Backups', { tables: [orders(stack), off, v1] });
    const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Backups', Match.stringLikeRegexp('point-in-time recovery off'));
    expect(warnings.map((w) => String(w.entry.data).match(/Table (\S+) /)?.[1])).toEqual(['TestStack/NoPitr', 'TestStack/V1']);
  });

  describe('fails', () => {
    test('fails with no tables', () => {
      expect(() => new TableBackupPlan(testStack(), 'B', { tables: [] })).toThrow(/`tables` is empty/);
    });
    test('fails with no rules, two rules of one name, or a rule that keeps backups forever', () => {
      const s = testStack();
      const t = orders(s);
      expect(() => new TableBackupPlan(s, 'B1', { tables: [t], rules: [] })).toThrow(/`rules` is empty/);
      expect(() => new TableBackupPlan(s, 'B2', { tables: [t], rules: [BackupPlanRule.daily(), BackupPlanRule.daily()] })).toThrow(/`rules\[1\].ruleName` is 'Daily', the name of an earlier rule/);
      const forever = new BackupPlanRule({ ruleName: 'Forever', scheduleExpression: Schedule.cron({ minute: '0', hour: '5' }) });
      expect(() => new TableBackupPlan(s, 'B3', { tables: [t], rules: [forever] })).toThrow(/`rules\[0\]` \(Forever\) has no `deleteAfter`/);
    });
    test('fails with a retention under a day or not whole days', () => {
      const s = testStack();
      const t = orders(s);
      const halfDay = new BackupPlanRule({ ruleName: 'Twice', scheduleExpression: Schedule.cron({ minute: '0', hour: '*/12' }), deleteAfter: Duration.hours(12) });
      expect(() => new TableBackupPlan(s, 'B1', { tables: [t], rules: [halfDay] })).toThrow(/`rules\[0\].deleteAfter` is 12 hours: AWS Backup keeps backups for a whole number of days/);
      expect(() => new TableBackupPlan(s, 'B2', { tables: [t], copyTo: { vault: BackupVault.fromBackupVaultName(s, 'V', 'v'), retention: Duration.hours(36) } })).toThrow(/`copyTo.retention` is 1 day 12 hours/);
    });
  });
});
