import { CfnDeletionPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, TableClass, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';

/**
 * The CloudFormation resource types of a DynamoDB table.
 */
export enum TableResourceType {
  /** `AWS::DynamoDB::Table`, emitted by `Table` and `CfnTable`. */
  TABLE = 'AWS::DynamoDB::Table',
  /** `AWS::DynamoDB::GlobalTable`, emitted by `TableV2`, `BlueprintTable` and `CfnGlobalTable`. */
  GLOBAL_TABLE = 'AWS::DynamoDB::GlobalTable',
}

/**
 * Whether a secondary index is global or local.
 */
export enum IndexScope {
  /** A global secondary index. */
  GLOBAL = 'GLOBAL',
  /** A local secondary index. */
  LOCAL = 'LOCAL',
}

/**
 * A key attribute as declared in a template.
 */
export interface KeyAttributeDefinition {
  /** The attribute name. */
  readonly name: string;
  /** The attribute type, as `AttributeDefinitions` declares it. @default - not declared in `AttributeDefinitions` (an invalid template) */
  readonly type?: AttributeType;
}

/**
 * Throughput settings of one side (reads or writes) of a provisioned table or index.
 */
export interface CapacityDefinition {
  /** Whether the template scales this capacity automatically. */
  readonly autoscaled: boolean;
  /** Fixed capacity units, when not auto scaled. @default - auto scaled */
  readonly fixedUnits?: number;
  /** The auto scaling minimum. @default - not auto scaled */
  readonly minCapacity?: number;
  /** The auto scaling maximum. @default - not auto scaled */
  readonly maxCapacity?: number;
  /** The auto scaling target utilization, in percent. @default - not auto scaled */
  readonly targetUtilizationPercent?: number;
}

/**
 * A secondary index as declared in a template.
 */
export interface IndexDefinition {
  /** The index name. */
  readonly indexName: string;
  /** Whether it is a global or a local secondary index. */
  readonly scope: IndexScope;
  /** The index partition key. */
  readonly partitionKey: KeyAttributeDefinition;
  /** The index sort key. @default - none */
  readonly sortKey?: KeyAttributeDefinition;
  /** What the index projects. */
  readonly projectionType: ProjectionType;
  /** The projected non-key attributes, for `INCLUDE`. */
  readonly nonKeyAttributes: string[];
  /** Write capacity of a provisioned global index. @default - on-demand, or the table's */
  readonly writeCapacity?: CapacityDefinition;
  /** Read capacity of a provisioned global index. @default - on-demand, or the table's */
  readonly readCapacity?: CapacityDefinition;
}

/**
 * The per-region settings of a table: the table itself for `AWS::DynamoDB::Table`,
 * each replica for `AWS::DynamoDB::GlobalTable`.
 */
export interface ReplicaDefinition {
  /**
   * The region, when the template names it literally.
   * @default - not named: an `AWS::DynamoDB::Table` (it lives in the stack's region), or a replica whose `Region` is an intrinsic
   */
  readonly region?: string;
  /**
   * Whether the template places this replica in the stack's own region without naming it: an
   * `AWS::DynamoDB::Table`, or a replica whose `Region` is `{ Ref: AWS::Region }` (a region-agnostic stack).
   */
  readonly inStackRegion: boolean;
  /** Whether point-in-time recovery is on. */
  readonly pointInTimeRecovery: boolean;
  /** The point-in-time recovery window in days, when set. @default - 35 when enabled */
  readonly recoveryPeriodInDays?: number;
  /** Whether deletion protection is on. */
  readonly deletionProtection: boolean;
  /** Whether contributor insights are on. */
  readonly contributorInsights: boolean;
  /** The KMS key of this region, as written in the template (a string or a JSON intrinsic). @default - no customer-managed key */
  readonly kmsKey?: string;
  /** Read capacity of this replica, when provisioned. @default - on-demand */
  readonly readCapacity?: CapacityDefinition;
  /** The on-demand read maximum of this replica (`MaxReadRequestUnits`). @default - the table's, or no maximum */
  readonly maxReadRequestUnits?: number;
}

/**
 * A DynamoDB table as a template declares it, the same shape for both resource types.
 */
export interface TableDefinition {
  /** The logical id of the resource. */
  readonly logicalId: string;
  /** The resource type. */
  readonly resourceType: TableResourceType;
  /** The table name, when the template sets a literal one. @default - generated */
  readonly tableName?: string;
  /**
   * The partition key.
   * @default - not in the template: a multi-account replica (`globalTableSourceArn`) has its source table's key schema
   */
  readonly partitionKey?: KeyAttributeDefinition;
  /** The sort key. @default - none, or not in the template (a multi-account replica) */
  readonly sortKey?: KeyAttributeDefinition;
  /**
   * The source table of a multi-account replica (`GlobalTableSourceArn`), as written in the template
   * (a string or a JSON intrinsic).
   *
   * Note: such a template declares one replica; its key schema and local secondary indexes, and with
   * the default settings replication its billing mode, capacity, global secondary indexes, stream and
   * time to live, are the source table's and not in the template. Only what the template declares is
   * read: `partitionKey` is absent, and `billingMode` is not meaningful.
   * @default - not a multi-account replica
   */
  readonly globalTableSourceArn?: string;
  /** All attribute definitions (name to type), keys of the table and of every index. */
  readonly attributeDefinitions: KeyAttributeDefinition[];
  /** On-demand or provisioned (a template without `BillingMode` is provisioned). */
  readonly billingMode: BillingMode;
  /** Table write capacity, when provisioned. @default - on-demand */
  readonly writeCapacity?: CapacityDefinition;
  /** Table read capacity, when provisioned (for global tables: of the first replica). @default - on-demand */
  readonly readCapacity?: CapacityDefinition;
  /** Global secondary indexes. */
  readonly globalSecondaryIndexes: IndexDefinition[];
  /** Local secondary indexes. */
  readonly localSecondaryIndexes: IndexDefinition[];
  /** The stream view type. @default - no stream */
  readonly streamViewType?: StreamViewType;
  /** The time-to-live attribute, when enabled. @default - no TTL */
  readonly timeToLiveAttribute?: string;
  /**
   * Which key encrypts the table: AWS owned (`SSEEnabled` off), AWS managed (KMS without a key id) or
   * customer managed (KMS with a key id, for a global table in every replica).
   */
  readonly encryption: TableEncryption;
  /** Whether a customer-managed KMS key is used (a key id is named in the template). */
  readonly customerManagedKey: boolean;
  /** The table class, when set. @default - STANDARD */
  readonly tableClass?: TableClass;
  /** The on-demand read maximum (`MaxReadRequestUnits`) of the table. @default - no maximum */
  readonly maxReadRequestUnits?: number;
  /** The on-demand write maximum (`MaxWriteRequestUnits`) of the table. @default - no maximum */
  readonly maxWriteRequestUnits?: number;
  /** The settings of each region the table lives in. */
  readonly replicas: ReplicaDefinition[];
  /** The resource's DeletionPolicy. @default - Delete */
  readonly deletionPolicy?: CfnDeletionPolicy;
  /** The resource's UpdateReplacePolicy. @default - Delete */
  readonly updateReplacePolicy?: CfnDeletionPolicy;
}
