import { Annotations, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { hostError } from '../private/host-language';
import { createLibraryKey, EncryptedResource } from '../private/kms-key';

/** Properties of `TableDataEvents`. */
export interface TableDataEventsProps {
  /** The tables whose data events (item reads and writes, queries, scans, PartiQL) are recorded. */
  readonly tables: ITable[];

  /**
   * How long log files, their bucket's access logs and the trail's CloudWatch Logs copy are kept.
   *
   * @default Duration.days(365)
   */
  readonly retention?: Duration;

  /**
   * Record only writes (`readOnly` = false), leaving out reads, which are most of the volume and cost.
   *
   * @default false - reads and writes
   */
  readonly writesOnly?: boolean;

  /**
   * Where the log bucket's server access logs go (under the prefix `trail-bucket/`): an existing
   * access-log bucket, such as the one a log archive account keeps for the organization. The construct
   * then creates no access-log bucket of its own, which would be the end of the logging chain, with no
   * access logs itself (AWS Control Tower's CT.S3.PR.2 fails on it).
   *
   * Note: the bucket's policy must let `logging.s3.amazonaws.com` put objects from the log bucket
   * (`aws:SourceArn`) of this account (`aws:SourceAccount`); the construct adds that statement to a
   * bucket of the same app, and warns that it cannot for an imported one. A KMS-encrypted bucket's key
   * must let the same principal generate data keys.
   *
   * @default - a bucket created with the same protections as the log bucket
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * What happens to the key, the buckets and the log group when the stack is deleted.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * CloudTrail data events for chosen DynamoDB tables: who read or wrote which items, and when. A trail with
 * an advanced event selector on the tables' ARNs delivers log files, validated, to a bucket that is
 * encrypted with a customer-managed key, versioned, closed to the public and to plain HTTP, access-logged
 * to a second bucket (or to `serverAccessLogsBucket`), and kept for `retention`; a copy goes to an encrypted CloudWatch Logs group.
 *
 * Note: the trail records no management events; an organization or account trail usually does.
 *
 * @example
 * new TableDataEvents(this, 'Audit', { tables: [orders], retention: Duration.days(400) });
 */
export class TableDataEvents extends Construct {
  /** The trail. */
  public readonly trail: cloudtrail.Trail;
  /** The bucket the log files go to. */
  public readonly bucket: s3.Bucket;
  /** The bucket the log bucket's server access logs go to: the one created, or `serverAccessLogsBucket`. */
  public readonly accessLogsBucket: s3.IBucket;
  /** The key that encrypts the log files, both buckets and the log group. */
  public readonly encryptionKey: kms.Key;
  /** The CloudWatch Logs group that receives a copy of the events. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TableDataEventsProps) {
    super(scope, id);
    const retention = props.retention ?? Duration.days(365);
    const days = retention.toDays();
    const errors: string[] = [];
    if (props.tables.length === 0) {
      errors.push(`\`tables\` is empty on ${this.node.path}: list the tables whose data events to record.`);
    }
    if (!Token.isUnresolved(days) && (days < 1 || !Number.isInteger(days) || !LOG_RETENTION_DAYS.includes(days))) {
      errors.push(`\`retention\` on ${this.node.path} is ${days} days: use one of the retention periods CloudWatch Logs allows (${LOG_RETENTION_DAYS.join(', ')} days).`);
    }
    if (errors.length > 0) {
      throw hostError(errors.join('\n'));
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const stack = Stack.of(this);

    this.encryptionKey = createLibraryKey(this, 'Key', {
      description: `Encrypts the DynamoDB data-event trail, its buckets and log group (${this.node.path})`,
      encrypts: EncryptedResource.AUDIT_LOGS,
      removalPolicy,
    });
    this.addKeyStatements(stack, props.serverAccessLogsBucket === undefined);

    const lifecycle = (name: string): s3.LifecycleRule => ({
      id: name,
      expiration: retention,
      noncurrentVersionExpiration: Duration.days(1),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    });
    const bucketProps = {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      // CT.S3.PR.9.
      objectLockEnabled: true,
      removalPolicy,
    };
    const created: s3.Bucket[] = [];
    if (props.serverAccessLogsBucket === undefined) {
      // S3 refuses a server access log target with a default Object Lock retention: the lock is on, without a default.
      const accessLogs = new s3.Bucket(this, 'AccessLogs', { ...bucketProps, lifecycleRules: [lifecycle('ExpireAccessLogs')] });
      // The access-log bucket is the end of the logging chain: logging it to itself or back to the trail bucket loops.
      (accessLogs.node.defaultChild as s3.CfnBucket).addMetadata('checkov', {
        skip: [{ id: 'CKV_AWS_18', comment: ACCESS_LOGS_END_OF_CHAIN }],
      });
      created.push(accessLogs);
      this.accessLogsBucket = accessLogs;
    } else {
      this.accessLogsBucket = props.serverAccessLogsBucket;
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...bucketProps,
      lifecycleRules: [lifecycle('ExpireLogFiles')],
      // Nobody deletes or overwrites a log file before the retention ends, short of the governance-mode bypass permission.
      objectLockDefaultRetention: s3.ObjectLockRetention.governance(retention),
    });
    created.push(this.bucket);
    for (const bucket of created) {
      // Object events to EventBridge (CT.S3.PR.4), set on the L1: the L2's `eventBridgeEnabled` adds a custom resource and its function.
      (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    }
    // Server access logs delivered under a bucket policy, not an ACL (ACLs are disabled), whatever the app's
    // `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy` feature flag says.
    (this.bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: this.accessLogsBucket.bucketName,
      logFilePrefix: ACCESS_LOG_PREFIX,
    };
    const delivery = this.accessLogsBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'S3ServerAccessLogsPolicy',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [this.accessLogsBucket.arnForObjects(`${ACCESS_LOG_PREFIX}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': this.bucket.bucketArn },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    }));
    if (!delivery.statementAdded) {
      Annotations.of(this).addWarningV2('cdk-dynamodb-blueprints:serverAccessLogsBucketPolicy',
        `\`serverAccessLogsBucket\` on ${this.node.path} is imported, so its policy cannot be changed here: allow \`logging.s3.amazonaws.com\` to \`s3:PutObject\` on \`${ACCESS_LOG_PREFIX}*\` with \`aws:SourceArn\` = the log bucket's ARN and \`aws:SourceAccount\` = this account, or S3 delivers no access logs.`);
    }

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: days as logs.RetentionDays,
      encryptionKey: this.encryptionKey,
      removalPolicy,
    });
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: this.bucket,
      encryptionKey: this.encryptionKey,
      enableFileValidation: true,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: this.logGroup,
    });
    const fieldSelectors: cloudtrail.CfnTrail.AdvancedFieldSelectorProperty[] = [
      { field: 'eventCategory', equalTo: ['Data'] },
      { field: 'resources.type', equalTo: ['AWS::DynamoDB::Table'] },
      { field: 'resources.ARN', equalTo: props.tables.map((t) => t.tableArn) },
    ];
    if (props.writesOnly === true) {
      fieldSelectors.push({ field: 'readOnly', equalTo: ['false'] });
    }
    // The L2 trail has no DynamoDB data resource type: the advanced selector goes on the L1, which
    // takes either event selectors or advanced ones, so the L2's empty list goes.
    const cfnTrail = this.trail.node.defaultChild as cloudtrail.CfnTrail;
    cfnTrail.advancedEventSelectors = [{ name: 'DynamoDB data events of the chosen tables', fieldSelectors }];
    cfnTrail.addPropertyDeletionOverride('EventSelectors');

    const logsRole = this.trail.node.tryFindChild('LogsRole');
    if (logsRole !== undefined) {
      for (const pack of ['NIST.800.53.R5', 'HIPAA.Security']) {
        Validations.of(logsRole).acknowledge({
          id: `${pack}-IAMNoInlinePolicy`,
          reason: 'The trail\'s own role, created by aws-cloudtrail: its inline policy only creates log streams and puts events in the trail\'s one log group, and nothing else assumes it.',
        });
      }
    }
  }

  /** What CloudTrail, S3 server access logging (into a bucket of its own) and CloudWatch Logs need of the key. */
  private addKeyStatements(stack: Stack, accessLogsEncrypted: boolean): void {
    const key = this.encryptionKey;
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailEncryptsLogFiles',
      principals: [cloudTrail],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*` },
      },
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailDescribesKey',
      principals: [cloudTrail],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
    }));
    if (accessLogsEncrypted) {
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'S3DeliversAccessLogs',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }));
    }
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchLogsEncryptsLogGroup',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
      },
    }));
  }
}

/** Why the access-log bucket has no access logs of its own. */
const ACCESS_LOGS_END_OF_CHAIN = 'It receives the server access logs of the trail bucket; S3 warns that logging a bucket to itself loops, and logging it back to the trail bucket would loop the same way.';

/** Where the log bucket's server access logs go in the access-logs bucket. */
const ACCESS_LOG_PREFIX = 'trail-bucket/';

/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = Object.values(logs.RetentionDays).filter((d): d is number => typeof d === 'number' && d > 0);
