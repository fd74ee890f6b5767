import { Annotations, Duration, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanCopyActionProps, BackupPlanRule, BackupResource, BackupSelection, BackupVault, IBackupVault } from 'aws-cdk-lib/aws-backup';
import { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { createLibraryKey, EncryptedResource } from '../private/kms-key';
import { tableShape } from '../private/table-shape';

/** How often a backup rule runs. */
export enum BackupFrequency {
  /** Every day at 05:00 UTC. */
  DAILY = 'DAILY',
  /** Every Sunday at 05:00 UTC. */
  WEEKLY = 'WEEKLY',
  /** On the first day of every month at 05:00 UTC. */
  MONTHLY = 'MONTHLY',
}

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
   * The rules to create.
   *
   * @default - daily, weekly and monthly
   */
  readonly frequencies?: BackupFrequency[];

  /**
   * How long daily backups are kept.
   *
   * @default Duration.days(35)
   */
  readonly dailyRetention?: Duration;

  /**
   * How long weekly backups are kept.
   *
   * @default Duration.days(91)
   */
  readonly weeklyRetention?: Duration;

  /**
   * How long monthly backups are kept.
   *
   * @default Duration.days(365)
   */
  readonly monthlyRetention?: Duration;

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

const RULE_SCHEDULES: Record<BackupFrequency, Schedule> = {
  [BackupFrequency.DAILY]: Schedule.cron({ minute: '0', hour: '5' }),
  [BackupFrequency.WEEKLY]: Schedule.cron({ minute: '0', hour: '5', weekDay: 'SUN' }),
  [BackupFrequency.MONTHLY]: Schedule.cron({ minute: '0', hour: '5', day: '1' }),
};
const ALL = [BackupFrequency.DAILY, BackupFrequency.WEEKLY, BackupFrequency.MONTHLY];

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
    const frequencies = props.frequencies ?? ALL;
    validateFrequencies(frequencies);
    if (props.tables.length === 0) {
      throw new Error('`tables` is empty: list at least one table to back up.');
    }
    const retention: Record<BackupFrequency, Duration> = {
      [BackupFrequency.DAILY]: validateRetention('dailyRetention', props.dailyRetention ?? Duration.days(35)),
      [BackupFrequency.WEEKLY]: validateRetention('weeklyRetention', props.weeklyRetention ?? Duration.days(91)),
      [BackupFrequency.MONTHLY]: validateRetention('monthlyRetention', props.monthlyRetention ?? Duration.days(365)),
    };
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
    for (const frequency of ALL.filter((f) => frequencies.includes(f))) {
      const copyActions: BackupPlanCopyActionProps[] | undefined = props.copyTo
        ? [{ destinationBackupVault: props.copyTo.vault, deleteAfter: props.copyTo.retention ?? retention[frequency] }]
        : undefined;
      this.plan.addRule(new BackupPlanRule({
        ruleName: `${frequency.charAt(0)}${frequency.slice(1).toLowerCase()}`,
        scheduleExpression: RULE_SCHEDULES[frequency],
        deleteAfter: retention[frequency],
        startWindow: Duration.hours(1),
        completionWindow: Duration.hours(8),
        copyActions,
      }));
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

function validateFrequencies(frequencies: BackupFrequency[]): void {
  if (frequencies.length === 0) {
    throw new Error(`\`frequencies\` is empty: list at least one of ${ALL.join(', ')}.`);
  }
  for (const f of frequencies) {
    if (!ALL.includes(f)) {
      throw new Error(`\`frequencies\` contains ${JSON.stringify(f)}: allowed values are ${ALL.join(', ')}.`);
    }
  }
  if (new Set(frequencies).size !== frequencies.length) {
    throw new Error(`\`frequencies\` lists a frequency twice (${frequencies.join(', ')}): list each once.`);
  }
}

function validateRetention(prop: string, retention: Duration): Duration {
  if (Token.isUnresolved(retention.toString())) {
    return retention;
  }
  const days = retention.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(`\`${prop}\` is ${retention.toHumanString()}: AWS Backup keeps backups for a whole number of days, at least 1. Use Duration.days(n).`);
  }
  return retention;
}
