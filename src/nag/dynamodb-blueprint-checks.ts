import { CfnResource, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { withMemo } from './resources';
import { dax, dynamodb, iam, kinesis, lambda } from './rules';

/**
 * One rule of the `DynamoDBBlueprintChecks` pack.
 */
export interface BlueprintNagRule {
  /** The rule id as findings and acknowledgments name it, e.g. `DynamoDBBlueprint-DDB1`. */
  readonly ruleId: string;
  /** The rule's name, `<Service><Check>`, e.g. `DynamoDBPITREnabled`. */
  readonly ruleName: string;
  /** The service the rule checks: `DynamoDB`, `Lambda`, `IAM`, `DAX` or `Kinesis`. */
  readonly service: string;
  /** The level of its findings. */
  readonly level: NagMessageLevel;
  /** What is wrong, in one sentence. */
  readonly info: string;
  /** Why it matters, in one sentence. */
  readonly explanation: string;
  /** How to fix it. */
  readonly fix: string;
}

interface RuleEntry extends BlueprintNagRule {
  readonly suffix: string;
  readonly rule: (node: CfnResource) => NagRuleResult;
}

const PACK_NAME = 'DynamoDBBlueprint';

function entry(
  suffix: string,
  service: string,
  rule: (node: CfnResource) => NagRuleResult,
  level: NagMessageLevel,
  info: string,
  explanation: string,
  fix: string,
): RuleEntry {
  return { suffix, ruleId: `${PACK_NAME}-${suffix}`, ruleName: rule.name, service, level, info, explanation, fix, rule };
}

// ERROR: loses data or money for sure. WARN: usually wrong. INFO: worth a look.
const RULES: RuleEntry[] = [
  entry('DDB1', 'DynamoDB', dynamodb.DynamoDBPITREnabled, NagMessageLevel.ERROR,
    'The DynamoDB table, or a replica of the global table, does not have point-in-time recovery enabled.',
    'Without point-in-time recovery a bad deploy or an accidental write or delete cannot be undone: there is nothing to restore the table to.',
    'Enable point-in-time recovery on the table and every replica (`pointInTimeRecoverySpecification`; BlueprintTable enables it with 35 days).'),
  entry('DDB2', 'DynamoDB', dynamodb.DynamoDBRetainPolicy, NagMessageLevel.ERROR,
    'The DynamoDB table\'s DeletionPolicy or UpdateReplacePolicy is not Retain.',
    'Removing the table from the stack, or a change that replaces it, then deletes every item with it.',
    '`removalPolicy: RemovalPolicy.RETAIN` (BlueprintTable\'s default).'),
  entry('DDB3', 'DynamoDB', dynamodb.DynamoDBDeletionProtectionEnabled, NagMessageLevel.WARN,
    'The DynamoDB table, or a replica of the global table, does not have deletion protection enabled.',
    'Any principal allowed DeleteTable, or one console click, can then delete a production table outright.',
    '`deletionProtection: true` (BlueprintTable\'s default).'),
  entry('DDB4', 'DynamoDB', dynamodb.DynamoDBCMKEncryption, NagMessageLevel.WARN,
    'The DynamoDB table, or a replica of the global table, is not encrypted with a customer-managed KMS key.',
    'With an AWS owned or AWS managed key you cannot control rotation or the key policy, audit key use per table, or revoke access by disabling the key.',
    '`encryption: TableEncryptionV2.customerManagedKey(key, { region: keyArn })` (BlueprintTable creates a key for a table without replicas).'),
  entry('DDB5', 'DynamoDB', dynamodb.DynamoDBInBackupPlan, NagMessageLevel.INFO,
    'The DynamoDB table is covered neither by point-in-time recovery in every region nor by an AWS Backup selection of the stack.',
    'Without either there is no copy of the data to restore after a deletion, a corruption or a ransomware event.',
    'Enable point-in-time recovery, or select the table in a backup plan (`plan.addSelection(id, { resources: [BackupResource.fromDynamoDbTable(table)] })`).'),
  entry('DDB6', 'DynamoDB', dynamodb.DynamoDBAutoScaling, NagMessageLevel.WARN,
    'A provisioned DynamoDB table or global secondary index has fixed read or write capacity instead of auto scaling.',
    'Fixed capacity throttles as soon as traffic exceeds it and is paid for in full while idle.',
    '`Capacity.autoscaled({ minCapacity, maxCapacity })` for the reads and writes of the table and each index (`autoScaleReadCapacity`/`autoScaleWriteCapacity` on `Table`), or `Billing.onDemand()`.'),
  entry('DDB7', 'DynamoDB', dynamodb.DynamoDBGSIWriteCapacity, NagMessageLevel.WARN,
    'A global secondary index of a provisioned DynamoDB table can write less than the table.',
    'When an index cannot keep up with the writes it receives, DynamoDB throttles writes to the base table itself.',
    'Give the index at least the table\'s write capacity (fixed units or auto scaling maximum), or use on-demand billing.'),
  entry('DDB8', 'DynamoDB', dynamodb.DynamoDBPartitionKeyCardinality, NagMessageLevel.WARN,
    'The partition key of the DynamoDB table or of a global secondary index is named like a low-cardinality or time-based attribute (status, type, country, date, isActive and the like).',
    'All items of one key value live on one partition, so a handful of values, or today\'s date, send the traffic to a hot partition that throttles while the table has capacity to spare.',
    'Use a high-cardinality key (a user, order or tenant id), or write-shard the value (`STATUS#PLACED#0` to `#9`) and fan reads out over the shards.'),
  entry('DDB9', 'DynamoDB', dynamodb.DynamoDBGSIProjectionNotAll, NagMessageLevel.WARN,
    'A global secondary index of the DynamoDB table projects ALL attributes.',
    'Every write to the base table then writes a full copy of the item into the index, paying twice in write units and storage for attributes its queries may never read.',
    '`projection: IndexProjection.include([...])` with exactly the attributes the index\'s queries return, or `IndexProjection.keysOnly()`.'),
  entry('DDB10', 'DynamoDB', dynamodb.DynamoDBNoLSI, NagMessageLevel.WARN,
    'The DynamoDB table has a local secondary index.',
    'A local secondary index limits every item collection (all items of one partition key) to 10 GB, after which writes to that key fail, and it cannot be removed without recreating the table.',
    'Use a global secondary index, unless the access pattern needs strongly consistent reads on the alternate sort key.'),
  entry('DDB11', 'DynamoDB', dynamodb.DynamoDBGSICount, NagMessageLevel.INFO,
    'The DynamoDB table has more than 5 global secondary indexes.',
    'Every index is written on each base-table write that touches its keys or projected attributes, so many indexes multiply the write bill.',
    'Overload generic index keys (GSI1PK/GSI1SK) so one index serves several access patterns.'),
  entry('DDB12', 'DynamoDB', dynamodb.DynamoDBReplicaStreamNewAndOldImages, NagMessageLevel.ERROR,
    'The replicated DynamoDB table does not have a NEW_AND_OLD_IMAGES stream.',
    'Global table replication is built on a stream carrying both item images; without it the replicas cannot be created or kept in sync.',
    '`dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES` (BlueprintTable sets it when there are replicas), or `streamSpecification` on `CfnGlobalTable`.'),
  entry('DDB13', 'DynamoDB', dynamodb.DynamoDBTTLAttributeNumber, NagMessageLevel.ERROR,
    'The DynamoDB table\'s time-to-live attribute is declared as a key of a type other than Number.',
    'DynamoDB only expires items whose time-to-live attribute is a Number of epoch seconds, so these items are never deleted and keep costing storage.',
    'Use a separate Number attribute holding epoch seconds, for example `timeToLiveAttribute: \'expiresAt\'`.'),
  entry('ESM1', 'Lambda', lambda.LambdaStreamOnFailureDestination, NagMessageLevel.ERROR,
    'The Lambda event source mapping reading a DynamoDB or Kinesis stream has no on-failure destination.',
    'Records that exhaust their retries or expire from the stream (after 24 hours for DynamoDB) are then dropped without a trace.',
    '`onFailure: new SqsDlq(queue)` (or an SNS or S3 destination) on the event source.'),
  entry('ESM2', 'Lambda', lambda.LambdaStreamBisectOnError, NagMessageLevel.WARN,
    'The Lambda event source mapping reading a DynamoDB or Kinesis stream does not split a failing batch.',
    'One poison record then fails its whole batch on every retry and blocks its shard instead of being isolated.',
    '`bisectBatchOnError: true` on the event source.'),
  entry('ESM3', 'Lambda', lambda.LambdaStreamReportBatchItemFailures, NagMessageLevel.WARN,
    'The Lambda event source mapping reading a DynamoDB or Kinesis stream does not enable ReportBatchItemFailures.',
    'Without it one failed record makes Lambda retry the whole batch, reprocessing the records that already succeeded.',
    '`reportBatchItemFailures: true` on the event source, and return `batchItemFailures` from the handler (Powertools `BatchProcessor`).'),
  entry('ESM4', 'Lambda', lambda.LambdaStreamMaximumRetryAttempts, NagMessageLevel.WARN,
    'The Lambda event source mapping reading a DynamoDB or Kinesis stream retries a failing batch without limit.',
    'The default (-1) retries until the records expire, blocking the shard and delaying every later change of the same keys for up to a day.',
    '`retryAttempts: 3` (or another bound) on the event source, with an on-failure destination.'),
  entry('ESM5', 'Lambda', lambda.LambdaStreamMaximumRecordAge, NagMessageLevel.WARN,
    'The Lambda event source mapping reading a DynamoDB or Kinesis stream sets no maximum record age.',
    'The default (-1) keeps a stuck shard retrying until its records expire, so the consumer lags without bound instead of handing old records to the on-failure destination.',
    '`maxRecordAge: Duration.hours(1)` (or what the consumer\'s freshness needs) on the event source.'),
  entry('IAM1', 'IAM', iam.IAMNoDynamoDBScan, NagMessageLevel.WARN,
    'The IAM policy allows dynamodb:Scan, a PartiQL action or a wildcard covering them on a DynamoDB table or index.',
    'Scan (and a PartiQL SELECT without a key condition) reads a whole table page by page, so a leaked or misused principal can exfiltrate every item.',
    'Grant the actions the code calls, for example `table.grant(fn, \'dynamodb:Query\', \'dynamodb:GetItem\')`, not `grantReadData`/`grantReadWriteData`/`grantFullAccess` or `dynamodb:*`.'),
  entry('IAM2', 'IAM', iam.IAMMultiTenantLeadingKeys, NagMessageLevel.ERROR,
    'The IAM policy allows data actions on a table declared multi-tenant without a dynamodb:LeadingKeys condition.',
    'Any caller holding the policy can then read and write every tenant\'s items; the LeadingKeys condition confines it to the partition keys of its own tenant.',
    'Add a `dynamodb:LeadingKeys` condition (for example `ForAllValues:StringLike` on `${aws:PrincipalTag/tenantId}#*`) to every statement that reaches the table.'),
  entry('DAX1', 'DAX', dax.DAXEncryptedAtRest, NagMessageLevel.ERROR,
    'The DAX cluster does not encrypt its cache at rest.',
    'The cache holds copies of table items, so an unencrypted cache undoes the table\'s encryption for everything it caches.',
    '`sseSpecification: { sseEnabled: true }` on `CfnCluster` (set when the cluster is created).'),
  entry('DAX2', 'DAX', dax.DAXTLSEndpoint, NagMessageLevel.ERROR,
    'The DAX cluster endpoint does not require TLS.',
    'Items then travel in clear text between the application and the cache.',
    '`clusterEndpointEncryptionType: \'TLS\'` on `CfnCluster` (set when the cluster is created).'),
  entry('DAX3', 'DAX', dax.DAXMinimumNodes, NagMessageLevel.WARN,
    'The DAX cluster has fewer than 3 nodes.',
    'With fewer than three nodes in three Availability Zones, a node or zone failure leaves the cache without a failover target.',
    '`replicationFactor: 3` or more, spread over three Availability Zones.'),
  entry('KDS1', 'Kinesis', kinesis.KinesisTableStreamEncrypted, NagMessageLevel.WARN,
    'The Kinesis data stream that receives a DynamoDB table\'s item changes is not encrypted.',
    'Every changed item is copied into the stream and kept there for its retention period, unencrypted at rest.',
    '`encryption: StreamEncryption.KMS` (or `StreamEncryption.MANAGED`) on the stream.'),
];

/**
 * A cdk-nag pack for DynamoDB design: data protection, capacity, key design, indexes, stream
 * consumers, IAM grants, DAX and Kinesis. It checks `AWS::DynamoDB::Table` and
 * `AWS::DynamoDB::GlobalTable` alike (BlueprintTable, Table, TableV2, L1 and `CfnInclude`),
 * and reports every replica and index as its own finding (`[Replica::eu-west-1]`, `[Index::byStatus]`).
 *
 * @example
 * Validations.of(app).addPlugins(new DynamoDBBlueprintChecks(app));
 */
export class DynamoDBBlueprintChecks extends NagPack {
  /**
   * Every rule of the pack, in id order.
   */
  public static rules(): BlueprintNagRule[] {
    return RULES.map(({ ruleId, ruleName, service, level, info, explanation, fix }) => (
      { ruleId, ruleName, service, level, info, explanation, fix }
    ));
  }

  /** The pack's name, as validation reports show it. */
  public readonly name = 'DynamoDBBlueprintChecks';

  /**
   * @param scope the app, needed only for `writeSuppressionsToCloudFormation`
   * @param props cdk-nag pack options
   */
  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = PACK_NAME;
  }

  /**
   * Validates a construct tree directly (tests, tools); `Validations.of(app).addPlugins()` calls it too.
   *
   * @param scope the construct tree to check
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    // Many rules read the same table: render each resource once per validation.
    return withMemo(() => super.validateScope(scope));
  }

  protected checkResource(node: CfnResource): void {
    switch (node.cfnResourceType) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        this.checkDynamoDB(node);
        break;
      case 'AWS::Lambda::EventSourceMapping':
        this.checkLambda(node);
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User':
      case 'AWS::IAM::Group':
        this.checkIAM(node);
        break;
      case 'AWS::DAX::Cluster':
        this.checkDAX(node);
        break;
      case 'AWS::Kinesis::Stream':
        this.checkKinesis(node);
        break;
      default:
        break;
    }
  }

  /** Tables and global tables: data protection, capacity, keys, indexes, replication. */
  private checkDynamoDB(node: CfnResource): void {
    this.applyServiceRules('DynamoDB', node);
  }

  /** Event source mappings that consume DynamoDB and Kinesis streams. */
  private checkLambda(node: CfnResource): void {
    this.applyServiceRules('Lambda', node);
  }

  /** Identity and resource policies that reach DynamoDB tables. */
  private checkIAM(node: CfnResource): void {
    this.applyServiceRules('IAM', node);
  }

  /** DAX clusters. */
  private checkDAX(node: CfnResource): void {
    this.applyServiceRules('DAX', node);
  }

  /** Kinesis data streams fed by tables. */
  private checkKinesis(node: CfnResource): void {
    this.applyServiceRules('Kinesis', node);
  }

  private applyServiceRules(service: string, node: CfnResource): void {
    for (const r of RULES) {
      if (r.service === service) {
        this.applyRule({ ruleSuffixOverride: r.suffix, info: r.info, explanation: r.explanation, level: r.level, rule: r.rule, node });
      }
    }
  }
}
