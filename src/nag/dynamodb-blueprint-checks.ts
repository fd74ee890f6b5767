import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { dax, dynamodb, iam, kinesis, lambda, pipes } from './rules';
import { SynthesizedTemplates, withMemo } from '../model/rendering';
import { SAM_FUNCTION, SAM_SIMPLE_TABLE } from '../model/sam';
import { spellForHost } from '../private/host-language';

/**
 * One rule of the `DynamoDBBlueprintChecks` pack.
 */
export interface BlueprintNagRule {
  /** The rule id as findings and acknowledgments name it, e.g. `DynamoDBBlueprint-DDB1`. */
  readonly ruleId: string;
  /** The rule's name, `<Service><Check>`, e.g. `DynamoDBPointInTimeRecovery`. */
  readonly ruleName: string;
  /** The service the rule checks: `DynamoDB`, `Lambda`, `IAM`, `DAX`, `Kinesis` or `Pipes`. */
  readonly service: string;
  /** The level the rule is applied with. */
  readonly level: NagMessageLevel;
  /**
   * The severity the pack reports the rule's findings with: `error` for `ERROR`, `warning` for the rest
   * (advisory rules included). An unacknowledged `error` fails synthesis; a `warning` is printed with its
   * fix and synthesis continues, unless the pack is created with `failOnWarnings: true`.
   */
  readonly reportedSeverity: string;
  /** Whether the rule is advice, run only with `includeAdvisoryRules: true`. */
  readonly advisory: boolean;
  /** The rules of cdk-nag's own packs that report the same problem, e.g. `AwsSolutions-DDB3`. */
  readonly coveredBy: string[];
  /**
   * The resource type on which those packs report it (the general packs read `AWS::DynamoDB::Table`
   * only, never `AWS::DynamoDB::GlobalTable`).
   *
   * @default - every resource the rule checks
   */
  readonly coveredOnResourceType?: string;
  /** What is wrong, in one sentence. */
  readonly info: string;
  /** Why it matters, in one sentence. */
  readonly explanation: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * Options of the `DynamoDBBlueprintChecks` pack.
 */
export interface DynamoDBBlueprintChecksProps extends NagPackProps {
  /**
   * Also run the advisory rules (DDB5, DDB11, DDB14, PIPE5): advice that is often right to ignore. Their
   * findings are reported as warnings.
   *
   * @default false
   */
  readonly includeAdvisoryRules?: boolean;

  /**
   * Fail synthesis on warnings too, as a CI gate: the report then fails on any unacknowledged finding,
   * as cdk-nag's own packs do.
   *
   * @default false - only an unacknowledged `error` finding fails synthesis; `warning` findings
   * (WARN level and advisory rules) are printed with their fix and synthesis continues
   */
  readonly failOnWarnings?: boolean;

  /**
   * Skip the checks that cdk-nag's own packs already make, so that one problem needs one
   * acknowledgment when this pack runs beside them: DDB1, DDB5 and DDB6 on `AWS::DynamoDB::Table`
   * (AwsSolutions-DDB3, NIST 800-53 R5 and HIPAA `DynamoDBPITREnabled`, `DynamoDBInBackupPlan`,
   * `DynamoDBAutoScalingEnabled`), DAX1 (AwsSolutions-DDB4), KDS1 (AwsSolutions-KDS1) and ESM1
   * (Serverless-LambdaEventSourceMappingDestination). `AWS::DynamoDB::GlobalTable`, which those packs
   * do not read, is still checked by every rule.
   *
   * Note: turn it on only when the packs named in each rule's `coveredBy` run too.
   *
   * @default false
   */
  readonly skipRulesCoveredByCdkNagPacks?: boolean;
}

interface RuleEntry extends BlueprintNagRule {
  readonly suffix: string;
  readonly rule: (node: CfnResource) => NagRuleResult;
}

const PACK_NAME = 'DynamoDBBlueprint';
const TABLE = 'AWS::DynamoDB::Table';

interface EntryOptions {
  readonly advisory?: boolean;
  readonly coveredBy?: string[];
  readonly coveredOnResourceType?: string;
}

function entry(
  suffix: string,
  service: string,
  rule: (node: CfnResource) => NagRuleResult,
  level: NagMessageLevel,
  info: string,
  explanation: string,
  fix: string,
  options: EntryOptions = {},
): RuleEntry {
  return {
    suffix,
    ruleId: `${PACK_NAME}-${suffix}`,
    ruleName: rule.name,
    service,
    level,
    reportedSeverity: level === NagMessageLevel.ERROR ? 'error' : 'warning',
    advisory: options.advisory ?? false,
    coveredBy: options.coveredBy ?? [],
    coveredOnResourceType: options.coveredOnResourceType,
    info,
    explanation,
    fix,
    rule,
  };
}

const pitr = ['AwsSolutions-DDB3', 'NIST.800.53.R5-DynamoDBPITREnabled', 'HIPAA.Security-DynamoDBPITREnabled'];
const backup = ['NIST.800.53.R5-DynamoDBInBackupPlan', 'HIPAA.Security-DynamoDBInBackupPlan'];
const autoScaling = ['NIST.800.53.R5-DynamoDBAutoScalingEnabled', 'HIPAA.Security-DynamoDBAutoScalingEnabled'];

// ERROR: loses data or money for sure, fails synthesis. WARN: usually wrong, reported as a warning.
// Advisory: worth a look, off by default, reported as a warning. No rule uses INFO: a validation report
// has no lower severity than warning.
const RULES: RuleEntry[] = [
  entry('DDB1', 'DynamoDB', dynamodb.DynamoDBPointInTimeRecovery, NagMessageLevel.ERROR,
    'The DynamoDB table, or a replica of the global table, does not have point-in-time recovery enabled.',
    'Without point-in-time recovery a bad deploy or an accidental write or delete cannot be undone: there is nothing to restore the table to.',
    'Enable point-in-time recovery on the table and every replica (`pointInTimeRecoverySpecification`; BlueprintTable enables it with 35 days).',
    { coveredBy: pitr, coveredOnResourceType: TABLE }),
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
  entry('DDB5', 'DynamoDB', dynamodb.DynamoDBBackupCoverage, NagMessageLevel.WARN,
    'The DynamoDB table is covered neither by point-in-time recovery in every region nor by an AWS Backup selection of the stack.',
    'Without either there is no copy of the data to restore after a deletion, a corruption or a ransomware event.',
    'Enable point-in-time recovery, or select the table in a backup plan (`plan.addSelection(id, { resources: [BackupResource.fromDynamoDbTable(table)] })`).',
    { advisory: true, coveredBy: backup, coveredOnResourceType: TABLE }),
  entry('DDB6', 'DynamoDB', dynamodb.DynamoDBAutoScaling, NagMessageLevel.WARN,
    'A provisioned DynamoDB table or global secondary index has fixed read or write capacity instead of auto scaling.',
    'Fixed capacity throttles as soon as traffic exceeds it and is paid for in full while idle.',
    '`Capacity.autoscaled({ minCapacity, maxCapacity })` for the reads and writes of the table and each index (`autoScaleReadCapacity`/`autoScaleWriteCapacity` on `Table`), or `Billing.onDemand()`.',
    { coveredBy: autoScaling, coveredOnResourceType: TABLE }),
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
  entry('DDB11', 'DynamoDB', dynamodb.DynamoDBGSICount, NagMessageLevel.WARN,
    'The DynamoDB table has more than 5 global secondary indexes.',
    'Every index is written on each base-table write that touches its keys or projected attributes, so many indexes multiply the write bill.',
    'Overload generic index keys (GSI1PK/GSI1SK) so one index serves several access patterns.',
    { advisory: true }),
  entry('DDB12', 'DynamoDB', dynamodb.DynamoDBReplicaStreamNewAndOldImages, NagMessageLevel.ERROR,
    'The replicated DynamoDB table does not have a NEW_AND_OLD_IMAGES stream.',
    'Global table replication is built on a stream carrying both item images; without it the replicas cannot be created or kept in sync.',
    '`dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES` (BlueprintTable sets it when there are replicas), or `streamSpecification` on `CfnGlobalTable`.'),
  entry('DDB13', 'DynamoDB', dynamodb.DynamoDBTTLAttributeNumber, NagMessageLevel.ERROR,
    'The DynamoDB table\'s time-to-live attribute is declared as a key of a type other than Number.',
    'DynamoDB only expires items whose time-to-live attribute is a Number of epoch seconds, so these items are never deleted and keep costing storage.',
    'Use a separate Number attribute holding epoch seconds, for example `timeToLiveAttribute: \'expiresAt\'`.'),
  entry('DDB14', 'DynamoDB', dynamodb.DynamoDBCloudTrailDataEvents, NagMessageLevel.WARN,
    'No CloudTrail trail of the app records the DynamoDB table\'s data events.',
    'CloudTrail records DynamoDB\'s control plane (CreateTable, UpdateTable) by default but not its data plane, so without data events nobody can tell afterwards who read, wrote or deleted which items; an organization trail in another account may record them already, which no rule can see from the app.',
    '`new TableDataEvents(this, \'Audit\', { tables: [table] })`: a trail with an advanced event selector on `resources.type` = `AWS::DynamoDB::Table` and the table\'s ARN, delivering to an encrypted, access-logged, retained bucket. When a trail outside the app (an organization trail) records the table\'s data events, acknowledge the finding and name that trail: `Validations.of(table).acknowledge({ id: \'DynamoDBBlueprint-DDB14\', reason: \'The organization trail <name> records the data events of every DynamoDB table of this account.\' })`. A replica in another region (`DDB14[Replica::<region>]`) needs a multi-region trail (`isMultiRegionTrail: true`) whose selector names the table in every region: no ARN condition, or `StartsWith` `arn:aws:dynamodb`.',
    { advisory: true }),
  entry('ESM1', 'Lambda', lambda.LambdaStreamOnFailureDestination, NagMessageLevel.ERROR,
    'The Lambda event source mapping reading a DynamoDB or Kinesis stream has no on-failure destination.',
    'Records that exhaust their retries or expire from the stream (after 24 hours for DynamoDB) are then dropped without a trace.',
    '`onFailure: new SqsDlq(queue)` (or an SNS or S3 destination) on the event source.',
    { coveredBy: ['Serverless-LambdaEventSourceMappingDestination'] }),
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
    'Grant with `TableAccess` and a `tenantKey`, which adds to every statement that reaches the table `Null` `dynamodb:LeadingKeys` = `false` and `ForAllValues:StringLike` `dynamodb:LeadingKeys` = `TENANT#${aws:PrincipalTag/tenantId}#*` (layout `TenantKeyLayout.delimited({ prefix: \'TENANT#\', delimiter: \'#\' })`), or `ForAllValues:StringEquals` = `${aws:PrincipalTag/tenantId}` when the tenant id is the whole partition key.'),
  entry('DAX1', 'DAX', dax.DAXEncryptedAtRest, NagMessageLevel.ERROR,
    'The DAX cluster does not encrypt its cache at rest.',
    'The cache holds copies of table items, so an unencrypted cache undoes the table\'s encryption for everything it caches.',
    '`sseSpecification: { sseEnabled: true }` on `CfnCluster` (set when the cluster is created).',
    { coveredBy: ['AwsSolutions-DDB4'] }),
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
    '`encryption: StreamEncryption.KMS` (or `StreamEncryption.MANAGED`) on the stream.',
    { coveredBy: ['AwsSolutions-KDS1'] }),
  entry('PIPE1', 'Pipes', pipes.PipesStreamDeadLetterConfig, NagMessageLevel.ERROR,
    'The EventBridge pipe reading a DynamoDB stream has no dead-letter queue.',
    'Records the pipe gives up on, after its retries or once they are older than the maximum record age, are then dropped without a trace.',
    '`sourceParameters.dynamoDbStreamParameters.deadLetterConfig: { arn: queue.queueArn }` on `CfnPipe` (or `deadLetterTarget` on the `@aws-cdk/aws-pipes-sources-alpha` DynamoDB source).'),
  entry('PIPE2', 'Pipes', pipes.PipesStreamMaximumRetryAttempts, NagMessageLevel.WARN,
    'The EventBridge pipe reading a DynamoDB stream retries a failing batch without limit.',
    'The default (-1) retries until the records expire from the stream after 24 hours, blocking the shard and every later change of the same keys.',
    '`dynamoDbStreamParameters.maximumRetryAttempts: 3` (or another bound from 0 to 10000), with a dead-letter queue.'),
  entry('PIPE3', 'Pipes', pipes.PipesStreamMaximumRecordAge, NagMessageLevel.WARN,
    'The EventBridge pipe reading a DynamoDB stream sets no maximum record age.',
    'The default (-1) keeps a stuck shard retrying until its records expire, so the pipe lags without bound instead of handing old records to the dead-letter queue.',
    '`dynamoDbStreamParameters.maximumRecordAgeInSeconds: 3600` (from 60 to 604800, or what the target\'s freshness needs).'),
  entry('PIPE4', 'Pipes', pipes.PipesStreamPartialBatchFailure, NagMessageLevel.WARN,
    'The EventBridge pipe reading a DynamoDB stream does not split a failing batch (OnPartialBatchItemFailure is not AUTOMATIC_BISECT).',
    'One poison record then fails its whole batch on every retry and blocks its shard, and records that already succeeded are sent again.',
    '`dynamoDbStreamParameters.onPartialBatchItemFailure: \'AUTOMATIC_BISECT\'`, and return `batchItemFailures` from a Lambda or Step Functions target.'),
  entry('PIPE5', 'Pipes', pipes.PipesStreamStartingPosition, NagMessageLevel.WARN,
    'The EventBridge pipe reading a DynamoDB stream starts at LATEST instead of TRIM_HORIZON.',
    'A pipe starting at LATEST never sees the changes written before it began reading, or while it was being replaced, so a projection built from it misses items.',
    '`dynamoDbStreamParameters.startingPosition: \'TRIM_HORIZON\'`.',
    { advisory: true }),
];

const RULES_BY_ID = new Map(RULES.map((r) => [r.ruleId, r]));

/**
 * A cdk-nag pack for DynamoDB design: data protection, capacity, key design, indexes, stream
 * consumers (Lambda event source mappings and EventBridge pipes), IAM grants, DAX and Kinesis. It checks `AWS::DynamoDB::Table` and
 * `AWS::DynamoDB::GlobalTable` alike (BlueprintTable, Table, TableV2, L1 and `CfnInclude`),
 * and reports every replica and index as its own finding (`[Replica::eu-west-1]`, `[Index::byStatus]`).
 *
 * It reports as aws-cdk-lib's own validation does: an unacknowledged `error` finding fails synthesis;
 * `warning` findings are printed with their fix and synthesis continues (`failOnWarnings: true` fails on
 * them too). Every finding carries its rule's fix, printed as "How to fix" and kept as `suggestedFix` in
 * `cdk.out/validation-report.json`.
 *
 * @example
 * Validations.of(app).addPlugins(new DynamoDBBlueprintChecks(app));
 */
export class DynamoDBBlueprintChecks extends NagPack {
  /**
   * Every rule of the pack, in id order.
   */
  public static rules(): BlueprintNagRule[] {
    return RULES.map((r) => ({
      ruleId: r.ruleId,
      ruleName: r.ruleName,
      service: r.service,
      level: r.level,
      reportedSeverity: r.reportedSeverity,
      advisory: r.advisory,
      coveredBy: [...r.coveredBy],
      coveredOnResourceType: r.coveredOnResourceType,
      info: r.info,
      explanation: r.explanation,
      fix: r.fix,
    }));
  }

  /** The pack's name, as validation reports show it. */
  public readonly name = 'DynamoDBBlueprintChecks';

  private readonly includeAdvisoryRules: boolean;
  private readonly skipCovered: boolean;
  private readonly failOnWarnings: boolean;
  /** The templates of the synthesis being validated, while `validate` runs. */
  private synthesized?: SynthesizedTemplates;

  /**
   * @param scope the app, needed only for `writeSuppressionsToCloudFormation`
   * @param props pack options
   */
  constructor(scope?: IConstruct, props: DynamoDBBlueprintChecksProps = {}) {
    super(scope, props);
    this.packName = PACK_NAME;
    this.includeAdvisoryRules = props.includeAdvisoryRules ?? false;
    this.skipCovered = props.skipRulesCoveredByCdkNagPacks ?? false;
    this.failOnWarnings = props.failOnWarnings ?? false;
  }

  /**
   * Called by the CDK after synthesis (`Validations.of(app).addPlugins()`): checks the construct tree,
   * reading each resource from the stack templates just synthesized instead of rendering it again.
   *
   * @param context the validation context: the app's construct tree and its stack templates
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.synthesized = SynthesizedTemplates.fromContext(context);
    try {
      return super.validate(context);
    } finally {
      this.synthesized = undefined;
    }
  }

  /**
   * Validates a construct tree directly (tests, tools), rendering each resource from the tree.
   *
   * @param scope the construct tree to check
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    // Many rules read the same table: render each resource once per validation.
    const report = withMemo(() => super.validateScope(scope), this.synthesized);
    // cdk-nag fails the report on any finding and gives no fix: report as aws-cdk-lib's own validation
    // does, failing on errors only (or on warnings too when asked), with each rule's fix.
    const violations = report.violations.map((violation) => {
      const rule = RULES_BY_ID.get(violation.ruleName.replace(/\[.*\]$/s, ''));
      return rule === undefined ? violation : {
        ...violation,
        description: spellForHost(violation.description),
        severity: rule.reportedSeverity,
        fix: spellForHost(rule.fix),
      };
    });
    const failing = violations.some((v) => v.severity === 'error' || this.failOnWarnings);
    return { ...report, success: !failing, violations };
  }

  protected checkResource(node: CfnResource): void {
    switch (node.cfnResourceType) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        this.checkDynamoDB(node);
        // A table's own resource policy grants too.
        this.checkIAM(node);
        break;
      case SAM_SIMPLE_TABLE:
        this.checkDynamoDB(node);
        break;
      case 'AWS::Lambda::EventSourceMapping':
        this.checkLambda(node);
        break;
      case SAM_FUNCTION:
        // Its stream events become event source mappings, its policies a role's.
        this.checkLambda(node);
        this.checkIAM(node);
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
      case 'AWS::Pipes::Pipe':
        this.checkPipes(node);
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

  /** EventBridge pipes that consume DynamoDB streams. */
  private checkPipes(node: CfnResource): void {
    this.applyServiceRules('Pipes', node);
  }

  private applyServiceRules(service: string, node: CfnResource): void {
    for (const r of RULES) {
      if (r.service !== service || (r.advisory && !this.includeAdvisoryRules)) {
        continue;
      }
      const covered = r.coveredBy.length > 0
        && (r.coveredOnResourceType === undefined || r.coveredOnResourceType === node.cfnResourceType);
      if (!(covered && this.skipCovered)) {
        this.applyRule({ ruleSuffixOverride: r.suffix, info: r.info, explanation: r.explanation, level: r.level, rule: r.rule, node });
      }
    }
  }
}
