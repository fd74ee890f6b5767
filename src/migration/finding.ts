/**
 * What a migration finding is about. Each kind is a change CloudFormation rejects, or one that
 * replaces, deletes or unprotects a table, or one with a rule that bites later.
 */
export enum MigrationFindingKind {
  /** The partition key or sort key changed: CloudFormation replaces the table. */
  KEY_SCHEMA_CHANGED = 'KEY_SCHEMA_CHANGED',
  /** A table key attribute keeps its name but changes type (S, N, B): the table is replaced. */
  KEY_ATTRIBUTE_TYPE_CHANGED = 'KEY_ATTRIBUTE_TYPE_CHANGED',
  /** The table name changed: CloudFormation replaces the table. */
  TABLE_NAME_CHANGED = 'TABLE_NAME_CHANGED',
  /** A local secondary index was added, removed or changed: LSIs exist only from creation, so the table is replaced. */
  LOCAL_INDEXES_CHANGED = 'LOCAL_INDEXES_CHANGED',
  /** `ImportSourceSpecification` of an `AWS::DynamoDB::Table` was added, removed or changed: CloudFormation replaces the table. */
  IMPORT_SOURCE_CHANGED = 'IMPORT_SOURCE_CHANGED',
  /** The same logical id moved between `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable`: CloudFormation rejects the update. */
  RESOURCE_TYPE_CHANGED = 'RESOURCE_TYPE_CHANGED',
  /** A table left the template: CloudFormation deletes it unless it is retained. */
  TABLE_REMOVED = 'TABLE_REMOVED',
  /**
   * A table left the stack while a table with the same keys appeared under a new logical id (a construct
   * renamed or moved): the new one is created empty, the old one is deleted or orphaned.
   */
  TABLE_RENAMED = 'TABLE_RENAMED',
  /** A table left one stack while a table with the same keys appeared in another: the data does not follow. */
  TABLE_MOVED_BETWEEN_STACKS = 'TABLE_MOVED_BETWEEN_STACKS',
  /** More than one global secondary index created or deleted in one update: CloudFormation rejects it. */
  TOO_MANY_GLOBAL_INDEX_CHANGES = 'TOO_MANY_GLOBAL_INDEX_CHANGES',
  /** A global secondary index kept its name but changed key schema or projection: that is a delete plus a create, rejected in place. */
  GLOBAL_INDEX_REDEFINED = 'GLOBAL_INDEX_REDEFINED',
  /** The stream view type of an enabled stream changed: DynamoDB rejects it in place. */
  STREAM_VIEW_TYPE_CHANGED = 'STREAM_VIEW_TYPE_CHANGED',
  /** The stream was turned off: rejected on a global table with replicas; elsewhere its consumers stop and a new stream gets a new ARN. */
  STREAM_DISABLED = 'STREAM_DISABLED',
  /** On-demand switched to provisioned or back: allowed once per 24 hours. */
  BILLING_MODE_SWITCHED = 'BILLING_MODE_SWITCHED',
  /** The time-to-live attribute changed while TTL stays on: DynamoDB rejects it; TTL must be turned off first. */
  TIME_TO_LIVE_ATTRIBUTE_CHANGED = 'TIME_TO_LIVE_ATTRIBUTE_CHANGED',
  /** Warm throughput of the table or a global secondary index was lowered: DynamoDB only raises it. */
  WARM_THROUGHPUT_DECREASED = 'WARM_THROUGHPUT_DECREASED',
  /** More than one replica region added or removed in one update: CloudFormation rejects it. */
  TOO_MANY_REPLICA_CHANGES = 'TOO_MANY_REPLICA_CHANGES',
  /** `MultiRegionConsistency` changed (EVENTUAL and STRONG): a global table keeps the mode it was created with. */
  MULTI_REGION_CONSISTENCY_CHANGED = 'MULTI_REGION_CONSISTENCY_CHANGED',
  /** `GlobalTableWitnesses` added, removed or moved: a witness is set at creation and leaves only with a replica. */
  WITNESS_CHANGED = 'WITNESS_CHANGED',
  /**
   * `GlobalTableSourceArn` of a multi-account replica added, removed or changed: the source is set when the
   * replica is created, and CloudFormation does not replace the table for it.
   */
  GLOBAL_TABLE_SOURCE_CHANGED = 'GLOBAL_TABLE_SOURCE_CHANGED',
  /** Deletion protection turned off on the table or a replica. */
  DELETION_PROTECTION_DISABLED = 'DELETION_PROTECTION_DISABLED',
  /** Point-in-time recovery turned off on the table or a replica: the continuous backups are gone. */
  POINT_IN_TIME_RECOVERY_DISABLED = 'POINT_IN_TIME_RECOVERY_DISABLED',
  /** The encryption key changed. */
  ENCRYPTION_KEY_CHANGED = 'ENCRYPTION_KEY_CHANGED',
  /** `DeletionPolicy` or `UpdateReplacePolicy` was `Retain` and no longer is. */
  RETAIN_POLICY_REMOVED = 'RETAIN_POLICY_REMOVED',
  /** The table exists only under a `Condition`, or a property of it is chosen by `Fn::If`: a deployment that flips the condition deletes the table or changes it. */
  CONDITIONAL_TABLE = 'CONDITIONAL_TABLE',
  /** A value of the table depends on a parameter with no default and no value given: compared as written. */
  CANNOT_TELL = 'CANNOT_TELL',
}

/**
 * How bad a finding is.
 */
export enum MigrationSeverity {
  /** The deployment would fail, or replace, delete or unprotect a table. */
  ERROR = 'ERROR',
  /** The deployment succeeds, but a rule or a cost applies that is worth a look before it does. */
  WARNING = 'WARNING',
}

/**
 * One change to a table that deserves attention before `cdk deploy`.
 */
export interface MigrationFinding {
  /** What kind of change this is. */
  readonly kind: MigrationFindingKind;
  /** ERROR when the deployment would fail, replace, delete or unprotect the table; WARNING otherwise. */
  readonly severity: MigrationSeverity;
  /** The stack the table belongs to (the stack name, or the template file name). */
  readonly stack: string;
  /** The logical id of the table resource. */
  readonly table: string;
  /** What changes, with the before and after values. */
  readonly change: string;
  /** Why it matters: what CloudFormation or DynamoDB would do. */
  readonly why: string;
  /** How to make the change safely. */
  readonly fix: string;
}

/**
 * One change to one table within one deployment of a safe plan.
 */
export interface MigrationStep {
  /** The stack the table belongs to. */
  readonly stack: string;
  /** The logical id of the table resource. */
  readonly table: string;
  /** What this deployment changes on the table, and only that. */
  readonly action: string;
}

/**
 * One deployment of a safe plan: each table changes at most one limited thing in it.
 */
export interface MigrationDeployment {
  /** The position of this deployment in the plan, from 1. */
  readonly deployment: number;
  /** The changes this deployment makes, at most one per table. */
  readonly steps: MigrationStep[];
}

/**
 * The outcome of a migration check.
 */
export interface MigrationReport {
  /** True when no finding is an ERROR: the deployment neither fails nor replaces, deletes or unprotects a table. */
  readonly safe: boolean;
  /** Every finding, ordered by stack, table and kind. */
  readonly findings: MigrationFinding[];
  /**
   * The deployments that reach the new template when one deployment cannot: three new GSIs take three,
   * a redefined GSI takes two (delete, then create). The last deployment is the new template as is.
   *
   * Empty when a single deployment can do it.
   */
  readonly plan: MigrationDeployment[];
  /** The number of stacks found in both the before and the after side. */
  readonly stacksCompared: number;
  /** The number of tables found in both the before and the after side. */
  readonly tablesCompared: number;
}

/**
 * Options of a migration check.
 */
export interface MigrationCheckOptions {
  /**
   * Findings to accept, each `KIND` (any table) or `KIND:LogicalId` (one table), for example
   * `BILLING_MODE_SWITCHED:OrdersTable`. Accepted findings are left out of the report.
   *
   * @default - none accepted
   */
  readonly accept?: string[];

  /**
   * Template parameter values, each `Name=Value` as `cdk deploy --parameters` takes them, used for both
   * sides; parameters not given take their `Default`. `Conditions` are evaluated with the same values.
   *
   * @default - every parameter takes its default
   */
  readonly parameters?: string[];
}
