import { App, Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { FlowLogDestination, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { AccountPrincipal, AnyPrincipal, Effect, ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  BlueprintTable,
  DaxCluster,
  DynamoDBGatewayEndpoint,
  IndexProjection,
  KinesisChangeStream,
  TableAccess,
  TableAlarms,
  TableBackupPlan,
  TableDashboard,
  TableDataEvents,
  TableOperation,
  TenantKey,
} from 'cdk-dynamodb-blueprints';

const REGION = 'us-east-1';

/**
 * A multi-tenant task tracker with everything around the table that operating it takes: alarms and a
 * dashboard, AWS Backup, a DAX cache, a Kinesis change stream, and a tenant-scoped role.
 *
 * Items: PK = <tenant id>, SK = TASK#<task id>. The partition key is the tenant id itself, so
 * `dynamodb:LeadingKeys` can pin a principal to its tenant; the index keeps the same partition key.
 */
export class OperationsStack extends Stack {
  public readonly tasks: BlueprintTable;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // One key for the operational plumbing (alarm topic, flow logs); tables and backups get their own.
    const opsKey = new kms.Key(this, 'OpsKey', {
      description: 'Encrypts the on-call topic and the VPC flow logs of the operations example',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts the flow logs, and CloudWatch alarms publish to the encrypted topic.
    opsKey.grantEncryptDecrypt(new ServicePrincipal(`logs.${REGION}.amazonaws.com`));
    opsKey.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
    // AWS Control Tower's CT.KMS.PR.3: only AWS services acting for a resource may create grants on the key.
    opsKey.addToResourcePolicy(new PolicyStatement({
      sid: 'DenyGrantsNotForAwsResources',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }));

    const changes = new KinesisChangeStream(this, 'TaskChanges', { retention: Duration.days(30) });

    this.tasks = new BlueprintTable(this, 'Tasks', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      // Keyed by the tenant too, so tenant-scoped queries work on it; a global rather than a local index
      // keeps a large tenant clear of the 10 GB item-collection limit.
      blueprintGlobalSecondaryIndexes: [{
        indexName: 'byDueDate',
        partitionKey: { name: 'PK', type: AttributeType.STRING },
        sortKey: { name: 'dueDate', type: AttributeType.STRING },
        projection: IndexProjection.include(['title', 'status']),
      }],
      timeToLiveAttribute: 'expiresAt',
      kinesisStream: changes.stream,
    });

    // Task templates shared by all tenants and read on every task create: the DAX cluster below caches
    // them. DAX does not evaluate dynamodb:LeadingKeys (whoever may use the cluster reads every cached
    // item), so it never fronts the tenants' tasks.
    const templates = new BlueprintTable(this, 'TaskTemplates', {
      partitionKey: { name: 'templateId', type: AttributeType.STRING },
    });

    // Alarms and a dashboard, paging the on-call topic.
    const onCall = new Topic(this, 'OnCall', { masterKey: opsKey, enforceSSL: true });
    const alarms = new TableAlarms(this, 'TasksAlarms', {
      table: this.tasks,
      alarmTopic: onCall,
      alarmNamePrefix: 'tasks',
      // Every task create is guarded by attribute_not_exists(PK): a failure is a duplicate id, a bug.
      conditionalCheckFailures: { maxErrorCount: 5 },
      userErrors: { maxErrorCount: 25 },
    });
    new TableDashboard(this, 'Dashboard', { dashboardName: 'tasks-operations' }).addTable(this.tasks, { alarms, title: 'Tasks' });

    // Daily, weekly and monthly backups; PITR stays on the table for the last 35 days.
    new TableBackupPlan(this, 'Backups', { tables: [this.tasks, templates] });

    // A DAX cache of the templates in an isolated VPC across three zones.
    const flowLogs = new LogGroup(this, 'FlowLogs', { encryptionKey: opsKey, retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const vpc = new Vpc(this, 'Vpc', {
      availabilityZones: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: SubnetType.PRIVATE_ISOLATED }],
      flowLogs: { all: { destination: FlowLogDestination.toCloudWatchLogs(flowLogs) } },
      // Removes all rules from the default security group, so nothing can use it by accident.
      restrictDefaultSecurityGroup: true,
    });
    const flowLogRole = vpc.node.findChild('all').node.findChild('IAMRole');
    for (const pack of ['NIST.800.53.R5', 'HIPAA.Security']) {
      Validations.of(flowLogRole).acknowledge({
        id: `${pack}-IAMNoInlinePolicy`,
        reason: 'The VPC flow log\'s own role, created by aws-ec2: its inline policy only creates streams and writes events in the one flow-log group, and nothing else attaches to it.',
      });
    }
    new DaxCluster(this, 'Cache', { table: templates, vpc });
    // DynamoDB traffic from the VPC's subnets stays on the AWS network, and reaches only these two tables.
    new DynamoDBGatewayEndpoint(this, 'DynamoDBEndpoint', { vpc, tables: [this.tasks, templates] });
    // Who read or wrote which task, for 400 days: CloudTrail data events of the tasks table.
    const dataEvents = new TableDataEvents(this, 'TaskDataEvents', { tables: [this.tasks], retention: Duration.days(400) });
    Validations.of(templates).acknowledge({
      id: 'DynamoDBBlueprint-DDB14',
      reason: 'The task templates hold no tenant data and are the same for every tenant, and they are read on every task create, mostly through DAX, whose cache hits reach DynamoDB not at all: their data events would cost per event and show little. The tenants\' tasks are recorded by TaskDataEvents.',
    });
    for (const bucket of [dataEvents.bucket, dataEvents.accessLogsBucket]) {
      for (const pack of ['NIST.800.53.R5', 'HIPAA.Security']) {
        Validations.of(bucket).acknowledge({
          id: `${pack}-S3BucketReplicationEnabled`,
          reason: 'Audit logs are versioned, KMS-encrypted and kept 400 days in this region, with a copy of the events in CloudWatch Logs; a second-region copy belongs in the organization\'s log archive account, not in this app.',
        });
      }
    }

    // Tenants assume this role with a `tenantId` session tag and reach only their own partition.
    const tenantRole = new Role(this, 'TenantRole', {
      assumedBy: new AccountPrincipal(this.account).withSessionTags(),
      description: 'Tenant access to the tasks table, scoped by the tenantId session tag',
    });
    new ManagedPolicy(this, 'TenantTaskAccess', {
      description: 'Point reads, queries and writes of the caller tenant\'s tasks only',
      roles: [tenantRole],
      statements: TableAccess.of(this.tasks, {
        operations: [TableOperation.POINT_READ, TableOperation.QUERY, TableOperation.WRITE],
        tenantKey: TenantKey.fromPrincipalTag('tenantId'),
      }).statements(),
    });
  }
}

export function createStacks(app: App): void {
  new OperationsStack(app, 'Operations', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: REGION },
  });
}
