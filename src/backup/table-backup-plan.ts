import { Annotations, Duration, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanCopyActionProps, BackupPlanRule, BackupResource, BackupSelection, BackupVault, IBackupVault } from 'aws-cdk-lib/aws-backup';
import { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { tableShape } from '../model/table-shape';
import { hostError } from '../private/host-language';
import { createLibraryKey, EncryptedResource } from '../private/kms-key';

/** A copy of every backup to a vault in another region or account. */
export interface BackupCopyTarget {
  /**
   * The destination vault, usually `BackupVault.fromBackupVaultArn()` of a vault in another region or account.
   *
   * Note: a copy to another account needs AWS Backup's advanced features for DynamoDB turned on, both accounts in
   * one AWS Organization, and a vault access policy on the destination that allows `backup:CopyIntoBackupVault`.
   */
  readonly vault: IBackupVault;

  /**
   * How long the copies are kept.
   *
   * @default - as long as the backup they copy
   */
  readonly retention?: Duration;
}

/** Properties of `TableBackupPlan`. */
export interface TableBackupPlanProps {
  /** The tables to back up. */
  readonly tables: ITable[];

  /**
   * The backup rules: aws-backup's own `BackupPlanRule`s, with any schedule and retention, for example
   * `BackupPlanRule.daily()` or `new BackupPlanRule({ scheduleExpression, deleteAfter })`.
   *
   * Note: a rule's `backupVault` and `copyActions` are kept; `copyTo` adds one more copy action to every rule.
   *
   * @default TableBackupPlan.defaultRules()
   */
  readonly rules?: BackupPlanRule[];

  /**
   * Copy every backup to another vault, for a region or an account lost.
   *
   * @default - no copy
   */
  readonly copyTo?: BackupCopyTarget;

  /**
   * The vault that holds the backups.
   *
   * @default - a new vault encrypted with a new customer-managed key (yearly rotation), retained, which refuses `DeleteRecoveryPoint`
   */
  readonly vault?: IBackupVault;

  /**
   * The backup plan name.
   *
   * @default - generated
   */
  readonly backupPlanName?: string;
}

/**
 * An AWS Backup plan for DynamoDB tables: daily, weekly and monthly backups with retention, a vault
 * encrypted with a customer-managed key, an optional copy to another region or account, and a backup
 * selection naming each table's ARN (which the NIST 800-53 and HIPAA packs recognise).
 *
 * Point-in-time recovery stays on the tables: it restores any second of the last 35 days; the plan keeps
 * backups for longer; replicas keep the table available when a region is lost.
 *
 * @example
 * new TableBackupPlan(this, 'Backups', { tables: [orders] });
 */
export class TableBackupPlan extends Construct {
  /**
   * The rules a plan gets by default: daily backups kept 35 days, weekly (Sunday) kept 91 days and monthly
   * (the 1st) kept 365 days, each starting at 05:00 UTC within an hour and finishing within 8 hours.
   */
  public static defaultRules(): BackupPlanRule[] {
    const rule = (ruleName: string, scheduleExpression: Schedule, days: number) => new BackupPlanRule({
      ruleName,
      scheduleExpression,
      deleteAfter: Duration.days(days),
      startWindow: Duration.hours(1),
      completionWindow: Duration.hours(8),
    });
    return [
      rule('Daily', Schedule.cron({ minute: '0', hour: '5' }), 35),
      rule('Weekly', Schedule.cron({ minute: '0', hour: '5', weekDay: 'SUN' }), 91),
      rule('Monthly', Schedule.cron({ minute: '0', hour: '5', day: '1' }), 365),
    ];
  }

  /** The backup plan. */
  public readonly plan: BackupPlan;

  /** The vault holding the backups. */
  public readonly vault: IBackupVault;

  /** The key of the vault, when this construct created the vault. */
  public readonly vaultKey?: kms.IKey;

  /** The selection of tables. */
  public readonly selection: BackupSelection;

  constructor(scope: Construct, id: string, props: TableBackupPlanProps) {
    super(scope, id);
    const rules = props.rules ?? TableBackupPlan.defaultRules();
    validateRules(rules);
    if (props.tables.length === 0) {
      throw hostError('`tables` is empty: list at least one table to back up.');
    }
    if (props.copyTo?.retention !== undefined) {
      validateRetention('copyTo.retention', props.copyTo.retention);
    }

    if (props.vault === undefined) {
      this.vaultKey = createLibraryKey(this, 'VaultKey', {
        description: `Encrypts the DynamoDB backups of ${this.node.path}`,
        encrypts: EncryptedResource.BACKUP_VAULT,
      });
      this.vault = new BackupVault(this, 'Vault', {
        encryptionKey: this.vaultKey,
        removalPolicy: RemovalPolicy.RETAIN,
        // Backups outlive a compromised deploy role: nobody deletes a recovery point before it expires.
        blockRecoveryPointDeletion: true,
      });
    } else {
      this.vault = props.vault;
    }

    this.plan = new BackupPlan(this, 'Plan', { backupPlanName: props.backupPlanName, backupVault: this.vault });
    for (const rule of rules) {
      const copy: BackupPlanCopyActionProps[] = props.copyTo
        ? [{ destinationBackupVault: props.copyTo.vault, deleteAfter: props.copyTo.retention ?? rule.props.deleteAfter }]
        : [];
      const copyActions = [...(rule.props.copyActions ?? []), ...copy];
      this.plan.addRule(new BackupPlanRule({ ...rule.props, copyActions: copyActions.length > 0 ? copyActions : undefined }));
    }
    for (const table of props.tables) {
      if (tableShape(table).pointInTimeRecovery === false) {
        Annotations.of(this).addWarningV2('cdk-dynamodb-blueprints:BackupWithoutPitr',
          `Table ${table.node.path} is backed up but has point-in-time recovery off: backups restore to the last backup, up to a day old. Turn PITR on to restore any second of the last 35 days.`);
      }
    }
    this.selection = this.plan.addSelection('Tables', {
      resources: props.tables.map((t) => BackupResource.fromArn(t.tableArn)),
      allowRestores: false,
    });
    Validations.of(this.selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason: 'AWS Backup\'s own service-role policy, which AWS keeps current as the backup APIs of DynamoDB change; the role can be assumed only by backup.amazonaws.com.',
    });
  }
}

function validateRules(rules: BackupPlanRule[]): void {
  if (rules.length === 0) {
    throw hostError('`rules` is empty: list at least one BackupPlanRule, or leave `rules` unset for `TableBackupPlan.defaultRules()`.');
  }
  const names = new Set<string>();
  rules.forEach((rule, i) => {
    const name = rule.props.ruleName;
    if (name !== undefined && !Token.isUnresolved(name)) {
      if (names.has(name)) {
        throw hostError(`\`rules[${i}].ruleName\` is '${name}', the name of an earlier rule: rule names must be unique within a plan.`);
      }
      names.add(name);
    }
    if (rule.props.deleteAfter === undefined) {
      throw hostError(`\`rules[${i}]\`${name ? ` (${name})` : ''} has no \`deleteAfter\`: a backup kept forever is paid for forever. Set a retention, for example \`Duration.days(35)\`.`);
    }
    validateRetention(`rules[${i}].deleteAfter`, rule.props.deleteAfter);
  });
}

function validateRetention(prop: string, retention: Duration): Duration {
  if (Token.isUnresolved(retention.toString())) {
    return retention;
  }
  const days = retention.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) {
    throw hostError(`\`${prop}\` is ${retention.toHumanString()}: AWS Backup keeps backups for a whole number of days, at least 1. Use \`Duration.days(n)\`.`);
  }
  return retention;
}
