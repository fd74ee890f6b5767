import { CfnDeletionPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, TableClass, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { ResourceIndex, resolveReferences, templateIndex } from './references';
import { SAM_SIMPLE_TABLE, simpleTableAsTable } from './sam';
import {
  CapacityDefinition, IndexDefinition, IndexScope, KeyAttributeDefinition, ReplicaDefinition, TableDefinition, TableResourceType,
} from './table-definition';
import { asNumber, isTrue } from './values';

/** Parses one table resource; `scaling` holds the scalable targets of an `AWS::DynamoDB::Table`. */
export function parseTable(logicalId: string, template: any, scaling: ScalingTargets | undefined): TableDefinition {
  if (!isTableType(template?.Type)) {
    throw new Error(`Resource ${logicalId} is of type ${template?.Type}, not AWS::DynamoDB::Table, AWS::DynamoDB::GlobalTable or ${SAM_SIMPLE_TABLE}.`);
  }
  const resource = template.Type === SAM_SIMPLE_TABLE ? simpleTableAsTable(template) : template;
  const p = resource.Properties ?? {};
  const types = new Map<string, AttributeType | undefined>();
  for (const def of p.AttributeDefinitions ?? []) {
    types.set(def.AttributeName, enumValue(AttributeType, def.AttributeType));
  }
  const attr = (name: string): KeyAttributeDefinition => ({ name, type: types.get(name) });
  const keys = (schema: any[] | undefined, where: string) => {
    checkKeySchema(logicalId, schema, where);
    const hash = (schema ?? []).find((k) => k.KeyType === 'HASH');
    const range = (schema ?? []).find((k) => k.KeyType === 'RANGE');
    if (typeof hash?.AttributeName !== 'string') {
      throw new Error(`Resource ${logicalId}: the KeySchema of ${where} has no HASH key with a literal AttributeName, so its partition key is unknown.`);
    }
    return { partitionKey: attr(hash.AttributeName), sortKey: typeof range?.AttributeName === 'string' ? attr(range.AttributeName) : undefined };
  };
  const isGlobal = resource.Type === TableResourceType.GLOBAL_TABLE;
  const billingMode = enumValue(BillingMode, p.BillingMode) ?? BillingMode.PROVISIONED;
  const provisioned = billingMode === BillingMode.PROVISIONED;
  const projection = (index: any) => enumValue(ProjectionType, index.Projection?.ProjectionType) ?? ProjectionType.KEYS_ONLY;

  const gsis: IndexDefinition[] = (p.GlobalSecondaryIndexes ?? []).map((gsi: any) => ({
    indexName: gsi.IndexName,
    scope: IndexScope.GLOBAL,
    ...keys(gsi.KeySchema, `index ${gsi.IndexName}`),
    projectionType: projection(gsi),
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
    scope: IndexScope.LOCAL,
    ...keys(lsi.KeySchema, `index ${lsi.IndexName}`),
    projectionType: projection(lsi),
    nonKeyAttributes: lsi.Projection?.NonKeyAttributes ?? [],
  }));

  const sse = p.SSESpecification ?? {};
  const globalTableSourceArn = stringify(p.GlobalTableSourceArn);
  // A multi-account replica names its key on the replica alone (TableV2MultiAccountReplica renders no table-level SSESpecification).
  const kms = (isTrue(sse.SSEEnabled) && (sse.SSEType ?? 'KMS') === 'KMS')
    || (isGlobal && globalTableSourceArn !== undefined && p.SSESpecification === undefined
      && p.Replicas?.[0]?.SSESpecification?.KMSMasterKeyId !== undefined);

  let replicas: ReplicaDefinition[];
  let writeCapacity: CapacityDefinition | undefined;
  let readCapacity: CapacityDefinition | undefined;
  let customerManagedKey: boolean;
  let maxReadRequestUnits: number | undefined;
  let maxWriteRequestUnits: number | undefined;
  if (isGlobal) {
    // TableV2 renders the on-demand read maximum on each replica, the write maximum on the table.
    maxReadRequestUnits = asNumber(p.ReadOnDemandThroughputSettings?.MaxReadRequestUnits);
    maxWriteRequestUnits = asNumber(p.WriteOnDemandThroughputSettings?.MaxWriteRequestUnits);
    replicas = (p.Replicas ?? []).map((r: any) => ({
      region: typeof r.Region === 'string' ? r.Region : undefined,
      inStackRegion: r.Region?.Ref === 'AWS::Region',
      pointInTimeRecovery: isTrue(r.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled),
      recoveryPeriodInDays: asNumber(r.PointInTimeRecoverySpecification?.RecoveryPeriodInDays),
      deletionProtection: isTrue(r.DeletionProtectionEnabled),
      contributorInsights: isTrue(r.ContributorInsightsSpecification?.Enabled),
      kmsKey: stringify(r.SSESpecification?.KMSMasterKeyId),
      readCapacity: provisioned
        ? renderCapacity(r.ReadProvisionedThroughputSettings?.ReadCapacityAutoScalingSettings, r.ReadProvisionedThroughputSettings?.ReadCapacityUnits)
        : undefined,
      maxReadRequestUnits: asNumber(r.ReadOnDemandThroughputSettings?.MaxReadRequestUnits) ?? maxReadRequestUnits,
    }));
    writeCapacity = provisioned
      ? renderCapacity(p.WriteProvisionedThroughputSettings?.WriteCapacityAutoScalingSettings, undefined)
      : undefined;
    readCapacity = replicas[0]?.readCapacity;
    customerManagedKey = kms && replicas.length > 0 && replicas.every((r) => r.kmsKey !== undefined);
  } else {
    maxReadRequestUnits = asNumber(p.OnDemandThroughput?.MaxReadRequestUnits);
    maxWriteRequestUnits = asNumber(p.OnDemandThroughput?.MaxWriteRequestUnits);
    replicas = [{
      inStackRegion: true,
      pointInTimeRecovery: isTrue(p.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled),
      recoveryPeriodInDays: asNumber(p.PointInTimeRecoverySpecification?.RecoveryPeriodInDays),
      deletionProtection: isTrue(p.DeletionProtectionEnabled),
      contributorInsights: isTrue(p.ContributorInsightsSpecification?.Enabled),
      kmsKey: stringify(sse.KMSMasterKeyId),
      maxReadRequestUnits,
    }];
    writeCapacity = provisioned ? renderCapacity(scaling?.table.write, p.ProvisionedThroughput?.WriteCapacityUnits) : undefined;
    readCapacity = provisioned ? renderCapacity(scaling?.table.read, p.ProvisionedThroughput?.ReadCapacityUnits) : undefined;
    customerManagedKey = kms && sse.KMSMasterKeyId !== undefined;
  }

  const ttl = p.TimeToLiveSpecification;
  return {
    logicalId,
    resourceType: resource.Type,
    tableName: typeof p.TableName === 'string' ? p.TableName : undefined,
    // A multi-account replica's key schema is its source table's.
    ...(globalTableSourceArn !== undefined && p.KeySchema === undefined ? {} : keys(p.KeySchema, 'the table')),
    globalTableSourceArn,
    attributeDefinitions: [...types.entries()].map(([name, type]) => ({ name, type })),
    billingMode,
    writeCapacity,
    readCapacity,
    globalSecondaryIndexes: gsis,
    localSecondaryIndexes: lsis,
    streamViewType: enumValue(StreamViewType, p.StreamSpecification?.StreamViewType),
    timeToLiveAttribute: ttl && isTrue(ttl.Enabled) && typeof ttl.AttributeName === 'string' ? ttl.AttributeName : undefined,
    encryption: customerManagedKey ? TableEncryption.CUSTOMER_MANAGED : (kms ? TableEncryption.AWS_MANAGED : TableEncryption.DEFAULT),
    customerManagedKey,
    tableClass: enumValue(TableClass, isGlobal ? p.Replicas?.[0]?.TableClass : p.TableClass),
    maxReadRequestUnits,
    maxWriteRequestUnits,
    replicas,
    deletionPolicy: enumValue(CfnDeletionPolicy, resource.DeletionPolicy),
    updateReplacePolicy: enumValue(CfnDeletionPolicy, resource.UpdateReplacePolicy),
  };
}

/**
 * Refuses a `KeySchema` CloudFormation would refuse: not a list, an item that is not
 * `{ AttributeName, KeyType }` with `KeyType` HASH or RANGE, two keys of one kind, more than two items.
 */
function checkKeySchema(logicalId: string, schema: unknown, where: string): void {
  const fix = 'write KeySchema as a list of { AttributeName: <name>, KeyType: HASH | RANGE }, one HASH and at most one RANGE';
  if (schema === undefined) {
    return;
  }
  if (!Array.isArray(schema)) {
    throw new Error(`Resource ${logicalId}: the KeySchema of ${where} is ${JSON.stringify(schema)}, not a list: ${fix}.`);
  }
  schema.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new Error(`Resource ${logicalId}: KeySchema[${i}] of ${where} is ${JSON.stringify(item)}, not an object: ${fix}.`);
    }
    if (item.KeyType !== 'HASH' && item.KeyType !== 'RANGE') {
      throw new Error(`Resource ${logicalId}: KeySchema[${i}].KeyType of ${where} is ${JSON.stringify(item.KeyType)}, allowed values HASH and RANGE: ${fix}.`);
    }
    if (item.AttributeName === undefined || item.AttributeName === null || item.AttributeName === '') {
      throw new Error(`Resource ${logicalId}: KeySchema[${i}].AttributeName of ${where} is ${JSON.stringify(item.AttributeName)}: ${fix}.`);
    }
  });
  for (const kind of ['HASH', 'RANGE']) {
    if (schema.filter((k) => k.KeyType === kind).length > 1) {
      throw new Error(`Resource ${logicalId}: the KeySchema of ${where} has ${schema.filter((k) => k.KeyType === kind).length} ${kind} keys: ${fix}.`);
    }
  }
}

/** The member of a string enum whose value is `value`, or undefined (absent, or an intrinsic). */
function enumValue<T extends string>(e: Record<string, T>, value: unknown): T | undefined {
  return Object.values(e).find((v) => v === value);
}

/** Application Auto Scaling targets found for one `AWS::DynamoDB::Table`. */
export interface ScalingTargets {
  readonly table: ScalingPair;
  readonly indexes: Map<string, ScalingPair>;
}

/** `{ MinCapacity, MaxCapacity }` of the read and write targets of a table or an index. */
interface ScalingPair {
  read?: any;
  write?: any;
}

/** Whether a resource type is a DynamoDB table: `AWS::DynamoDB::Table`, `AWS::DynamoDB::GlobalTable`, or SAM's `SimpleTable`. */
export function isTableType(type: unknown): boolean {
  return type === TableResourceType.TABLE || type === TableResourceType.GLOBAL_TABLE || type === SAM_SIMPLE_TABLE;
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
export function collectScaling(resources: Record<string, any>): Map<string, ScalingTargets> {
  const result = new Map<string, ScalingTargets>();
  const index = templateIndex(resources);
  for (const resource of Object.values(resources)) {
    if (resource?.Type !== 'AWS::ApplicationAutoScaling::ScalableTarget') {
      continue;
    }
    const p = resource.Properties ?? {};
    if (p.ServiceNamespace !== 'dynamodb') {
      continue;
    }
    const ref = findRef(p.ResourceId, resources, index);
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

/** The table (and index) a scalable target's `ResourceId` (`table/${Table}/index/name`) names, in any reference form. */
function findRef(resourceId: any, resources: Record<string, any>, index: ResourceIndex): { table: string; index?: string } | undefined {
  const named = typeof resourceId === 'string' ? /^table\/([^/]+)/.exec(resourceId)?.[1] : undefined;
  const table = named !== undefined
    ? index.namedResource([TableResourceType.TABLE], named)
    : resolveReferences(resourceId, index).resources.find((r) => isTableType(resources[r.logicalId]?.Type))?.logicalId;
  if (table === undefined) {
    return undefined;
  }
  return { table, index: /\/index\/([A-Za-z0-9_.-]+)/.exec(JSON.stringify(resourceId))?.[1] };
}
