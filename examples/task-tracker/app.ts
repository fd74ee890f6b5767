import * as path from 'path';
import { App, CfnElement, Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BY_ASSIGNEE_ATTRIBUTES, BY_PROJECT_ATTRIBUTES, INDEX_BY_ASSIGNEE, INDEX_BY_PROJECT, PROJECT_SHARDS, TASK_SK } from './model';
import {
  BlueprintTable, IndexProjection, KeyDistribution, SortKeyCondition, TableStreamConsumer, StreamFilter,
  TableAccess, TableOperation, TenantKey, TenantKeyLayout,
} from 'cdk-dynamodb-blueprints';

/** The grown tracker's busiest second over the average: the start of the working day. */
const PEAK_FACTOR = 3;
/** 10,000 projects; popularity follows Zipf's law, so the largest project takes 1 / H(10,000) = 10% of the traffic. */
const PROJECTS = KeyDistribution.zipf(10_000, 1);
/** 50,000 assignees, skewed the same way. */
const ASSIGNEES = KeyDistribution.zipf(50_000, 1);
/** Tasks are keyed by their own id: 50 million tasks, none busier than another. */
const TASKS = KeyDistribution.uniform(50_000_000);

/** The open-task counter's event source mapping, shared with the DynamoDB Local scenario. */
export const COUNTER_MAPPING = { batchSize: 100, retryAttempts: 10, bisectBatchOnError: true };

/** Every partition key of the table, and of both indexes, starts with TENANT#<tenantId># (see model.ts). */
const TENANT_KEYS = TenantKeyLayout.delimited({ prefix: 'TENANT#', delimiter: '#' });

/**
 * The reference's exercise, working: a multi-tenant SaaS task tracker on one table with two
 * INCLUDE-projected indexes, time to live for completed tasks, and a per-project open-task count kept
 * by an idempotent stream consumer. See README.md for the access patterns.
 */
export class TaskTrackerStack extends Stack {
  public readonly tasks: BlueprintTable;
  public readonly counter: NodejsFunction;
  public readonly consumer: TableStreamConsumer;
  /** The role the tenants' app servers assume with a `tenantId` session tag: it reaches only that tenant's items. */
  public readonly tenantRole: iam.Role;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.tasks = new BlueprintTable(this, 'Tasks', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      blueprintGlobalSecondaryIndexes: [{
        // (b) A project's tasks by due date, write-sharded: GSI1PK ends in #SHARD#<0..3>.
        indexName: INDEX_BY_PROJECT,
        partitionKey: { name: 'GSI1PK', type: AttributeType.STRING },
        sortKey: { name: 'GSI1SK', type: AttributeType.STRING },
        projection: IndexProjection.include(BY_PROJECT_ATTRIBUTES),
      }, {
        // (c) A user's tasks across projects, by status then due date.
        indexName: INDEX_BY_ASSIGNEE,
        partitionKey: { name: 'GSI2PK', type: AttributeType.STRING },
        sortKey: { name: 'GSI2SK', type: AttributeType.STRING },
        projection: IndexProjection.include(BY_ASSIGNEE_ATTRIBUTES),
      }],
      // (d) Completed tasks expire 90 days later.
      timeToLiveAttribute: 'expiresAt',
      // (e) Old and new images: the consumer tells a status change from any other change.
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
    });

    // Every read the app makes, checked at synth against the keys and projections above.
    // (a) One task by id: a GetItem.
    this.tasks.addAccessPattern({
      name: 'getTask',
      description: 'One task by tenant and id',
      partitionKey: 'PK',
      partitionKeyValue: 'TENANT#<tenantId>#TASK#<taskId>',
      sortKeyCondition: SortKeyCondition.equalTo(TASK_SK),
      returns: ['taskId', 'projectId', 'title', 'status', 'assigneeId', 'dueDate'],
      traffic: { requestsPerSecond: 120, peakFactor: PEAK_FACTOR, distribution: TASKS },
    });
    // (b) A project's tasks by due date: one Query per write shard, merged by due date.
    this.tasks.addAccessPattern({
      name: 'projectTasksByDueDate',
      description: "A project's tasks, sorted by due date",
      index: INDEX_BY_PROJECT,
      partitionKey: 'GSI1PK',
      partitionKeyValue: 'TENANT#<tenantId>#PROJECT#<projectId>#SHARD',
      partitionKeyShards: PROJECT_SHARDS,
      returns: BY_PROJECT_ATTRIBUTES,
      typicalResultItems: 40,
      typicalItemSizeBytes: 300,
      traffic: { requestsPerSecond: 140, peakFactor: PEAK_FACTOR, distribution: PROJECTS },
    });
    // (c) A user's tasks across projects with one status, by due date.
    this.tasks.addAccessPattern({
      name: 'tasksByAssigneeAndStatus',
      description: "A user's tasks across projects, filtered by status",
      index: INDEX_BY_ASSIGNEE,
      partitionKey: 'GSI2PK',
      partitionKeyValue: 'TENANT#<tenantId>#USER#<userId>',
      sortKey: 'GSI2SK',
      sortKeyCondition: SortKeyCondition.beginsWith('<status>#'),
      returns: ['taskId', 'projectId', 'title', 'status', 'dueDate'],
      typicalResultItems: 20,
      typicalItemSizeBytes: 300,
      traffic: { requestsPerSecond: 140, peakFactor: PEAK_FACTOR, distribution: ASSIGNEES },
    });
    // The writes, for the heat forecast: task writes go to both indexes, and each status change of a task
    // updates its project's open-task counter, one item per project.
    this.tasks.addWriteTraffic({
      name: 'saveTask',
      description: 'A task created or changed',
      traffic: { requestsPerSecond: 60, peakFactor: PEAK_FACTOR, distribution: TASKS },
      itemSizeBytes: 1024,
      indexes: [
        { indexName: INDEX_BY_PROJECT, distribution: PROJECTS, entrySizeBytes: 300, partitionKeyShards: PROJECT_SHARDS },
        { indexName: INDEX_BY_ASSIGNEE, distribution: ASSIGNEES, entrySizeBytes: 300 },
      ],
    });
    this.tasks.addWriteTraffic({
      name: 'openTaskCount',
      description: "The stream consumer's update of a project's open-task counter",
      traffic: { requestsPerSecond: 30, peakFactor: PEAK_FACTOR, distribution: PROJECTS },
      itemSizeBytes: 100,
    });

    this.counter = new NodejsFunction(this, 'OpenTaskCounter', {
      description: 'Keeps each project\'s open-task count from the task table\'s stream',
      entry: path.join(__dirname, 'handler', 'open-task-counter.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(30),
      environment: { TABLE_NAME: this.tasks.tableName },
      bundling: {
        // esbuild from node_modules, no Docker. The AWS SDK is in the Lambda runtime.
        minify: true,
        sourceMap: false,
        format: OutputFormat.CJS,
        externalModules: ['@aws-sdk/*'],
        // The level aws-cdk-lib documents as the default; unset, esbuild prints a summary of every bundle.
        logLevel: LogLevel.WARNING,
      },
    });
    // Only UpdateItem, only on the table (the counter items): TableV2.grant() would add every index too.
    this.counter.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [this.tasks.tableArn] }));
    this.tasks.encryptionKey?.grant(this.counter, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
    // The table is multi-tenant (the tenant grant below declares it), so the rule pack asks every policy on it for
    // a dynamodb:LeadingKeys condition. The counter is the one writer that spans tenants, by design.
    Validations.of(this.counter).acknowledge({
      id: `DynamoDBBlueprint-IAM2[Table::${this.getLogicalId(this.tasks.node.defaultChild as CfnElement)}]`,
      reason: 'The open-task counter is the table\'s own stream consumer: the stream carries every tenant\'s task changes, and for each it updates the counter item of the task\'s project (TENANT#<tenant>#PROJECT#<project>, SK OPEN_TASKS), so it writes every tenant\'s counters by design. The tenant it writes comes from the task item in the stream, never from a caller, and nothing but the event source mapping invokes it.',
    });

    this.consumer = new TableStreamConsumer(this, 'OpenTaskCount', {
      table: this.tasks,
      handler: this.counter,
      ...COUNTER_MAPPING,
      // Only task items: the counter items the consumer writes must not come back to it.
      filters: [StreamFilter.of({ keyAttribute: 'SK', keyPrefix: TASK_SK })],
    });

    // The tenants' app servers assume this role with a `tenantId` session tag (`sts:TagSession`); every
    // request must then name only keys starting with TENANT#<tenantId>#, on the table and on both indexes.
    this.tenantRole = new iam.Role(this, 'TenantRole', {
      assumedBy: new iam.AccountPrincipal(this.account).withSessionTags(),
      description: 'Tenant access to the tasks table, scoped by the tenantId session tag',
    });
    new iam.ManagedPolicy(this, 'TenantTaskAccess', {
      description: 'Point reads, queries and writes of the calling tenant\'s items only: no Scan, no PartiQL',
      roles: [this.tenantRole],
      statements: TableAccess.of(this.tasks, {
        operations: [TableOperation.POINT_READ, TableOperation.QUERY, TableOperation.WRITE],
        tenantKey: TenantKey.fromPrincipalTag('tenantId'),
        tenantKeyLayout: TENANT_KEYS,
        indexTenantKeyLayouts: [
          { indexName: INDEX_BY_PROJECT, layout: TENANT_KEYS },
          { indexName: INDEX_BY_ASSIGNEE, layout: TENANT_KEYS },
        ],
      }).statements(),
    });

    const alarmKey = new kms.Key(this, 'AlarmTopicKey', { description: 'Encrypts the task tracker alarm topic', enableKeyRotation: true });
    const alarms = new sns.Topic(this, 'AlarmTopic', { displayName: 'Task tracker alarms', masterKey: alarmKey, enforceSSL: true });
    // CloudWatch publishes to the encrypted topic.
    alarmKey.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
    // AWS Control Tower's CT.KMS.PR.3: only AWS services acting for a resource may create grants on the key.
    alarmKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyGrantsNotForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }));
    for (const alarm of this.consumer.alarms) {
      alarm.addAlarmAction(new SnsAction(alarms));
    }

    acknowledgeFunctionFindings(this.counter);
    // The tenants' tasks, and the consumer's idempotency and parked-records tables (which hold copies of task changes).
    for (const audited of [this.tasks, this.consumer]) {
      Validations.of(audited).acknowledge({ id: 'DynamoDBBlueprint-DDB14', reason: DATA_EVENTS_REASON });
    }
  }
}

/** Why no trail of this app records the tables' data events (DDB14, an advisory rule). */
const DATA_EVENTS_REASON = "A sample app: it assumes the account's organization trail records the data events of every DynamoDB table (an advanced event selector on resources.type AWS::DynamoDB::Table). In an account without one, add `new TableDataEvents(this, 'Audit', { tables })`, as examples/operations does.";

/** Why the findings cdk-nag and Checkov raise on the consumer function do not apply to it. */
const FUNCTION_FINDING_REASONS = {
  inlinePolicy: 'The inline policy is generated from grants naming each action on each resource of this stack (table, stream, keys, dead-letter queue, idempotency table); a managed policy would only be shared wider.',
  deadLetterQueue: 'The function is invoked only synchronously by the stream event source mapping, which sends the records it gives up on to its own on-failure dead-letter queue; an asynchronous-invocation DLQ would never receive anything.',
  concurrency: 'Concurrency is bounded by the event source mapping: one invocation per stream shard times the parallelization factor (1).',
  vpc: 'The function reaches only DynamoDB and SQS through their public AWS endpoints with IAM authorization; it has no VPC resource to reach, and a VPC would add NAT or endpoint cost without isolating anything.',
  environment: 'The environment holds only table names (the tasks table and the idempotency table), no secret; Lambda encrypts it at rest with its AWS managed key.',
};

/** Findings cdk-nag and Checkov raise on the consumer function, acknowledged with their reasons. */
function acknowledgeFunctionFindings(fn: NodejsFunction): void {
  const v = Validations.of(fn);
  v.acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'AWSLambdaBasicExecutionRole grants only creating log streams and writing log events of the function\'s own log group.',
  });
  for (const pack of ['NIST.800.53.R5', 'HIPAA.Security']) {
    v.acknowledge({ id: `${pack}-IAMNoInlinePolicy`, reason: FUNCTION_FINDING_REASONS.inlinePolicy });
    v.acknowledge({ id: `${pack}-LambdaDLQ`, reason: FUNCTION_FINDING_REASONS.deadLetterQueue });
    v.acknowledge({ id: `${pack}-LambdaConcurrency`, reason: FUNCTION_FINDING_REASONS.concurrency });
    v.acknowledge({ id: `${pack}-LambdaInsideVPC`, reason: FUNCTION_FINDING_REASONS.vpc });
  }
  // Checkov reads its suppressions from the resource's metadata.
  (fn.node.defaultChild as lambda.CfnFunction).addMetadata('checkov', {
    skip: [
      { id: 'CKV_AWS_116', comment: FUNCTION_FINDING_REASONS.deadLetterQueue },
      { id: 'CKV_AWS_115', comment: FUNCTION_FINDING_REASONS.concurrency },
      { id: 'CKV_AWS_117', comment: FUNCTION_FINDING_REASONS.vpc },
      { id: 'CKV_AWS_173', comment: FUNCTION_FINDING_REASONS.environment },
    ],
  });
}

export function createStacks(app: App): void {
  new TaskTrackerStack(app, 'TaskTracker', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: 'eu-west-1' },
  });
}
