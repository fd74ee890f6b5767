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
 * A key attribute as declared in a template.
 */
export interface KeyAttributeDefinition {
  /** The attribute name. */
  readonly name: string;
  /** The attribute type: `S`, `N` or `B`. */
  readonly type: string;
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
  /** Whether it is a global (`GLOBAL`) or local (`LOCAL`) secondary index. */
  readonly scope: string;
  /** The index partition key. */
  readonly partitionKey: KeyAttributeDefinition;
  /** The index sort key. @default - none */
  readonly sortKey?: KeyAttributeDefinition;
  /** `KEYS_ONLY`, `INCLUDE` or `ALL`. */
  readonly projectionType: string;
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
  /** The region, or `(stack region)` for an `AWS::DynamoDB::Table`. */
  readonly region: string;
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
  /** The partition key. */
  readonly partitionKey: KeyAttributeDefinition;
  /** The sort key. @default - none */
  readonly sortKey?: KeyAttributeDefinition;
  /** All attribute definitions (name to type), keys of the table and of every index. */
  readonly attributeDefinitions: KeyAttributeDefinition[];
  /** `PAY_PER_REQUEST` or `PROVISIONED`. */
  readonly billingMode: string;
  /** Table write capacity, when provisioned. @default - on-demand */
  readonly writeCapacity?: CapacityDefinition;
  /** Table read capacity, when provisioned (for global tables: of the first replica). @default - on-demand */
  readonly readCapacity?: CapacityDefinition;
  /** Global secondary indexes. */
  readonly globalSecondaryIndexes: IndexDefinition[];
  /** Local secondary indexes. */
  readonly localSecondaryIndexes: IndexDefinition[];
  /** The stream view type. @default - no stream */
  readonly streamViewType?: string;
  /** The time-to-live attribute, when enabled. @default - no TTL */
  readonly timeToLiveAttribute?: string;
  /** The server-side encryption type: `DEFAULT` (AWS owned key) or `KMS`. */
  readonly sseType: string;
  /** Whether a customer-managed KMS key is used (a key id is named in the template). */
  readonly customerManagedKey: boolean;
  /** The table class, when set. @default - STANDARD */
  readonly tableClass?: string;
  /** The settings of each region the table lives in. */
  readonly replicas: ReplicaDefinition[];
  /** The resource's DeletionPolicy. @default - Delete */
  readonly deletionPolicy?: string;
  /** The resource's UpdateReplacePolicy. @default - Delete */
  readonly updateReplacePolicy?: string;
}

/**
 * Reads DynamoDB table definitions out of CloudFormation templates.
 */
export class TableDefinitions {
  /**
   * Every `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable` of a template, in logical-id order.
   *
   * @param template a CloudFormation template, as parsed JSON
   */
  public static fromTemplate(template: any): TableDefinition[] {
    const resources = template?.Resources ?? {};
    const scaling = collectScaling(resources);
    return Object.keys(resources)
      .sort()
      .filter((id) => isTableType(resources[id]?.Type))
      .map((id) => parseTable(id, resources[id], scaling.get(id)));
  }

  /**
   * One table resource.
   *
   * @param logicalId the resource's logical id
   * @param resource the resource, as parsed JSON (`{ Type, Properties, DeletionPolicy, ... }`)
   */
  public static fromResource(logicalId: string, resource: any): TableDefinition {
    return parseTable(logicalId, resource, undefined);
  }
}

function parseTable(logicalId: string, resource: any, scaling: ScalingTargets | undefined): TableDefinition {
  if (!isTableType(resource?.Type)) {
    throw new Error(`Resource ${logicalId} is of type ${resource?.Type}, not AWS::DynamoDB::Table or AWS::DynamoDB::GlobalTable.`);
  }
  const p = resource.Properties ?? {};
  const types = new Map<string, string>();
  for (const def of p.AttributeDefinitions ?? []) {
    types.set(def.AttributeName, def.AttributeType);
  }
  const attr = (name: string): KeyAttributeDefinition => ({ name, type: types.get(name) ?? '?' });
  const keys = (schema: any[] | undefined) => {
    const hash = (schema ?? []).find((k) => k.KeyType === 'HASH');
    const range = (schema ?? []).find((k) => k.KeyType === 'RANGE');
    return { partitionKey: attr(hash?.AttributeName ?? '?'), sortKey: range ? attr(range.AttributeName) : undefined };
  };
  const isGlobal = resource.Type === TableResourceType.GLOBAL_TABLE;
  const billingMode = p.BillingMode ?? 'PROVISIONED';
  const provisioned = billingMode === 'PROVISIONED';

  const gsis: IndexDefinition[] = (p.GlobalSecondaryIndexes ?? []).map((gsi: any) => ({
    indexName: gsi.IndexName,
    scope: 'GLOBAL',
    ...keys(gsi.KeySchema),
    projectionType: gsi.Projection?.ProjectionType ?? 'KEYS_ONLY',
    nonKeyAttributes: gsi.Projection?.NonKeyAttributes ?? [],
    writeCapacity: provisioned
      ? (isGlobal
        ? renderCapacity(gsi.WriteProvisionedThroughputSettings?.WriteCapacityAutoScalingSettings, undefined)
        : renderCapacity(scaling?.indexes.get(gsi.IndexName)?.write, gsi.ProvisionedThroughput?.WriteCapacityUnits))
      : undefined,
    readCapacity: provisioned
      ? (isGlobal
        ? renderCapacity(firstReplicaIndexRead(p.Replicas, gsi.IndexName), undefined)
        : renderCapacity(scaling?.indexes.get(gsi.IndexName)?.read, gsi.ProvisionedThroughput?.ReadCapacityUnits))
      : undefined,
  }));
  const lsis: IndexDefinition[] = (p.LocalSecondaryIndexes ?? []).map((lsi: any) => ({
    indexName: lsi.IndexName,
    scope: 'LOCAL',
    ...keys(lsi.KeySchema),
    projectionType: lsi.Projection?.ProjectionType ?? 'KEYS_ONLY',
    nonKeyAttributes: lsi.Projection?.NonKeyAttributes ?? [],
  }));

  const sse = p.SSESpecification ?? {};
  const sseEnabled = sse.SSEEnabled === true || sse.SSEEnabled === 'true';
  const sseType = sseEnabled ? (sse.SSEType ?? 'KMS') : 'DEFAULT';

  let replicas: ReplicaDefinition[];
  let writeCapacity: CapacityDefinition | undefined;
  let readCapacity: CapacityDefinition | undefined;
  let customerManagedKey: boolean;
  if (isGlobal) {
    replicas = (p.Replicas ?? []).map((r: any) => ({
      region: typeof r.Region === 'string' ? r.Region : JSON.stringify(r.Region),
      pointInTimeRecovery: isTrue(r.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled),
      recoveryPeriodInDays: r.PointInTimeRecoverySpecification?.RecoveryPeriodInDays,
      deletionProtection: isTrue(r.DeletionProtectionEnabled),
      contributorInsights: isTrue(r.ContributorInsightsSpecification?.Enabled),
      kmsKey: stringify(r.SSESpecification?.KMSMasterKeyId),
      readCapacity: provisioned
        ? renderCapacity(r.ReadProvisionedThroughputSettings?.ReadCapacityAutoScalingSettings, r.ReadProvisionedThroughputSettings?.ReadCapacityUnits)
        : undefined,
    }));
    writeCapacity = provisioned
      ? renderCapacity(p.WriteProvisionedThroughputSettings?.WriteCapacityAutoScalingSettings, undefined)
      : undefined;
    readCapacity = replicas[0]?.readCapacity;
    customerManagedKey = sseType === 'KMS' && replicas.length > 0 && replicas.every((r) => r.kmsKey !== undefined);
  } else {
    replicas = [{
      region: '(stack region)',
      pointInTimeRecovery: isTrue(p.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled),
      recoveryPeriodInDays: p.PointInTimeRecoverySpecification?.RecoveryPeriodInDays,
      deletionProtection: isTrue(p.DeletionProtectionEnabled),
      contributorInsights: isTrue(p.ContributorInsightsSpecification?.Enabled),
      kmsKey: stringify(sse.KMSMasterKeyId),
    }];
    writeCapacity = provisioned ? renderCapacity(scaling?.table.write, p.ProvisionedThroughput?.WriteCapacityUnits) : undefined;
    readCapacity = provisioned ? renderCapacity(scaling?.table.read, p.ProvisionedThroughput?.ReadCapacityUnits) : undefined;
    customerManagedKey = sseType === 'KMS' && sse.KMSMasterKeyId !== undefined;
  }

  const stream = p.StreamSpecification?.StreamViewType;
  const ttl = p.TimeToLiveSpecification;
  return {
    logicalId,
    resourceType: resource.Type,
    tableName: typeof p.TableName === 'string' ? p.TableName : undefined,
    ...keys(p.KeySchema),
    attributeDefinitions: [...types.entries()].map(([name, type]) => ({ name, type })),
    billingMode,
    writeCapacity,
    readCapacity,
    globalSecondaryIndexes: gsis,
    localSecondaryIndexes: lsis,
    streamViewType: typeof stream === 'string' ? stream : undefined,
    timeToLiveAttribute: ttl && isTrue(ttl.Enabled) ? ttl.AttributeName : undefined,
    sseType,
    customerManagedKey,
    tableClass: isGlobal ? p.Replicas?.[0]?.TableClass : p.TableClass,
    replicas,
    deletionPolicy: resource.DeletionPolicy,
    updateReplacePolicy: resource.UpdateReplacePolicy,
  };
}

/** Application Auto Scaling targets found for one `AWS::DynamoDB::Table`. */
interface ScalingTargets {
  readonly table: ScalingPair;
  readonly indexes: Map<string, ScalingPair>;
}

/** `{ MinCapacity, MaxCapacity }` of the read and write targets of a table or an index. */
interface ScalingPair {
  read?: any;
  write?: any;
}

function isTableType(type: unknown): boolean {
  return type === TableResourceType.TABLE || type === TableResourceType.GLOBAL_TABLE;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function stringify(value: unknown): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function firstReplicaIndexRead(replicas: any[] | undefined, indexName: string): any {
  const gsi = (replicas?.[0]?.GlobalSecondaryIndexes ?? []).find((g: any) => g.IndexName === indexName);
  return gsi?.ReadProvisionedThroughputSettings?.ReadCapacityAutoScalingSettings;
}

/** Renders a GlobalTable auto scaling setting, or a Table's scalable target, or fixed units. */
function renderCapacity(autoscaling: any, fixedUnits: unknown): CapacityDefinition | undefined {
  if (autoscaling !== undefined) {
    return {
      autoscaled: true,
      minCapacity: autoscaling.MinCapacity,
      maxCapacity: autoscaling.MaxCapacity,
      targetUtilizationPercent: autoscaling.TargetTrackingScalingPolicyConfiguration?.TargetValue ?? autoscaling.TargetValue,
    };
  }
  if (typeof fixedUnits === 'number') {
    return { autoscaled: false, fixedUnits };
  }
  return undefined;
}

/**
 * Finds `AWS::ApplicationAutoScaling::ScalableTarget` resources that scale `AWS::DynamoDB::Table`s
 * (the CDK `Table` auto scales through them), keyed by the table's logical id.
 */
function collectScaling(resources: Record<string, any>): Map<string, ScalingTargets> {
  const result = new Map<string, ScalingTargets>();
  for (const resource of Object.values(resources)) {
    if (resource?.Type !== 'AWS::ApplicationAutoScaling::ScalableTarget') {
      continue;
    }
    const p = resource.Properties ?? {};
    if (p.ServiceNamespace !== 'dynamodb') {
      continue;
    }
    const ref = findRef(p.ResourceId);
    if (ref === undefined) {
      continue;
    }
    const dimension: string = p.ScalableDimension ?? '';
    const entry = result.get(ref.table) ?? { table: {}, indexes: new Map<string, ScalingPair>() };
    result.set(ref.table, entry);
    const pair = dimension.startsWith('dynamodb:index:')
      ? (entry.indexes.get(ref.index ?? '') ?? (entry.indexes.set(ref.index ?? '', {}), entry.indexes.get(ref.index ?? '')!))
      : entry.table;
    const target = { MinCapacity: p.MinCapacity, MaxCapacity: p.MaxCapacity };
    if (dimension.endsWith('ReadCapacityUnits')) {
      pair.read = target;
    } else if (dimension.endsWith('WriteCapacityUnits')) {
      pair.write = target;
    }
  }
  return result;
}

/** `table/{Ref: T}` or `table/{Ref: T}/index/name`, as `Fn::Join` parts. */
function findRef(resourceId: any): { table: string; index?: string } | undefined {
  const parts: any[] = resourceId?.['Fn::Join']?.[1] ?? [];
  const ref = parts.find((x) => typeof x === 'object' && x?.Ref !== undefined);
  if (ref === undefined) {
    return undefined;
  }
  const tail = parts.filter((x) => typeof x === 'string').join('');
  const index = /\/index\/(.+)$/.exec(tail)?.[1];
  return { table: ref.Ref, index };
}
