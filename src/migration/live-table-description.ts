import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';

/**
 * What the AWS CLI's descriptions of a table created outside CloudFormation say about it, read as they
 * come, and the opinions of BlueprintTable that differ from it.
 */

/** The AWS CLI outputs that describe one table; only `describeTable` is required. */
export interface LiveTableDescriptions {
  /** `aws dynamodb describe-table --table-name <name>` (the whole output, or its `Table`). */
  readonly describeTable: any;
  /** `aws dynamodb describe-continuous-backups --table-name <name>`. */
  readonly continuousBackups?: any;
  /** `aws dynamodb describe-time-to-live --table-name <name>`. */
  readonly timeToLive?: any;
  /** `aws dynamodb describe-contributor-insights --table-name <name>`. */
  readonly contributorInsights?: any;
}

export interface Key { readonly name: string; readonly type: AttributeType }
export interface Index {
  readonly indexName: string;
  readonly partitionKey?: Key;
  readonly sortKey?: Key;
  readonly projectionType: string;
  readonly nonKeyAttributes: string[];
  /** A global secondary index's provisioned units (provisioned tables). */
  readonly readUnits?: number;
  readonly writeUnits?: number;
  /** A global secondary index's on-demand maximum request units, when set. */
  readonly maxReadRequestUnits?: number;
  readonly maxWriteRequestUnits?: number;
}

/** A replica in another region than the described table's. */
export interface Replica {
  readonly region: string;
  /** The replica's KMS key, when the table is encrypted with customer managed keys. */
  readonly kmsKeyArn?: string;
}

/** The live table, as far as the descriptions say; `undefined` where a description was not given. */
export interface LiveTable {
  readonly tableName: string;
  /** The region, from the table ARN. */
  readonly region?: string;
  readonly partitionKey: Key;
  readonly sortKey?: Key;
  readonly onDemand: boolean;
  readonly readUnits?: number;
  readonly writeUnits?: number;
  /** The on-demand maximum request units, when set. */
  readonly maxReadRequestUnits?: number;
  readonly maxWriteRequestUnits?: number;
  readonly replicas: Replica[];
  readonly globalSecondaryIndexes: Index[];
  readonly localSecondaryIndexes: Index[];
  readonly streamViewType?: string;
  readonly latestStreamArn?: string;
  /** The KMS key ARN when the table is encrypted with a KMS key; undefined for the AWS owned key. */
  readonly kmsKeyArn?: string;
  readonly tableClass: string;
  readonly deletionProtection: boolean;
  readonly timeToLiveAttribute?: string;
  readonly pointInTimeRecovery?: { readonly enabled: boolean; readonly days?: number };
  readonly contributorInsights?: boolean;
  /** What the descriptions did not say. */
  readonly unknown: string[];
  /** What the descriptions say that the generated code does not reproduce, each with what to do. */
  readonly notCarried: string[];
}

/** One BlueprintTable default that the generated code overrides with the live value, to be removed after the import. */
export interface Opinion {
  readonly setting: string;
  /** The line of the generated TypeScript that keeps the live value. */
  readonly live: string;
  /** What BlueprintTable does without that line. */
  readonly blueprint: string;
  /** What removing the line changes on the live table, and what it costs. */
  readonly changes: string;
}

const ATTRIBUTE_TYPES: Record<string, AttributeType> = { S: AttributeType.STRING, N: AttributeType.NUMBER, B: AttributeType.BINARY };

/** Reads the descriptions; throws naming the field when the table description is not one. */
export function readLiveTable(descriptions: LiveTableDescriptions): LiveTable {
  const t = descriptions.describeTable?.Table ?? descriptions.describeTable;
  if (typeof t?.TableName !== 'string' || !Array.isArray(t?.KeySchema) || !Array.isArray(t?.AttributeDefinitions)) {
    throw new Error('`describeTable` is not the output of `aws dynamodb describe-table --table-name <name>`: it needs `Table.TableName`, `Table.KeySchema` and `Table.AttributeDefinitions`.');
  }
  const types = new Map<string, AttributeType>();
  for (const a of t.AttributeDefinitions) {
    types.set(a.AttributeName, ATTRIBUTE_TYPES[a.AttributeType]);
  }
  const key = (schema: any[], kind: string): Key | undefined => {
    const name = schema?.find((k) => k.KeyType === kind)?.AttributeName;
    return name === undefined ? undefined : { name, type: types.get(name)! };
  };
  const mode = t.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const positive = (n: unknown) => typeof n === 'number' && n > 0 ? n : undefined;
  const index = (i: any): Index => ({
    indexName: i.IndexName,
    partitionKey: key(i.KeySchema, 'HASH'),
    sortKey: key(i.KeySchema, 'RANGE'),
    projectionType: i.Projection?.ProjectionType ?? 'ALL',
    nonKeyAttributes: i.Projection?.NonKeyAttributes ?? [],
    readUnits: mode === 'PAY_PER_REQUEST' ? undefined : i.ProvisionedThroughput?.ReadCapacityUnits,
    writeUnits: mode === 'PAY_PER_REQUEST' ? undefined : i.ProvisionedThroughput?.WriteCapacityUnits,
    maxReadRequestUnits: positive(i.OnDemandThroughput?.MaxReadRequestUnits),
    maxWriteRequestUnits: positive(i.OnDemandThroughput?.MaxWriteRequestUnits),
  });
  const region = typeof t.TableArn === 'string' ? t.TableArn.split(':')[3] : undefined;
  const notCarried: string[] = [];
  const replicas: Replica[] = [];
  for (const r of (t.Replicas ?? []) as any[]) {
    if (typeof r?.RegionName !== 'string' || r.RegionName === region) {
      continue;
    }
    replicas.push({ region: r.RegionName, kmsKeyArn: r.KMSMasterKeyId });
    const overrides = [
      r.ReplicaTableClassSummary?.TableClass && r.ReplicaTableClassSummary.TableClass !== (t.TableClassSummary?.TableClass ?? 'STANDARD')
        ? `table class ${r.ReplicaTableClassSummary.TableClass}` : undefined,
      r.ProvisionedThroughputOverride ? 'read capacity' : undefined,
      r.OnDemandThroughputOverride ? 'on-demand maximum reads' : undefined,
      (r.GlobalSecondaryIndexes ?? []).some((g: any) => g.ProvisionedThroughputOverride || g.OnDemandThroughputOverride) ? 'index read capacity' : undefined,
    ].filter((o): o is string => o !== undefined);
    if (overrides.length > 0) {
      notCarried.push(`the replica in ${r.RegionName} overrides ${overrides.join(', ')}: the code gives it the table's; `
        + 'add them to its entry of `replicas` (aws-cdk-lib\'s ReplicaTableProps) before the import');
    }
  }
  if (t.MultiRegionConsistency !== undefined && t.MultiRegionConsistency !== 'EVENTUAL') {
    notCarried.push(`multi-Region consistency ${t.MultiRegionConsistency}: BlueprintTable does not set it; do not import this table with the generated code`);
  }
  const unknown: string[] = [];
  const backups = descriptions.continuousBackups?.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  if (backups === undefined) {
    unknown.push('point-in-time recovery (pass the output of `aws dynamodb describe-continuous-backups`)');
  }
  const ttl = descriptions.timeToLive?.TimeToLiveDescription;
  if (ttl === undefined) {
    unknown.push('time to live (pass the output of `aws dynamodb describe-time-to-live`)');
  }
  const insights = descriptions.contributorInsights?.ContributorInsightsStatus;
  if (insights === undefined) {
    unknown.push('contributor insights (pass the output of `aws dynamodb describe-contributor-insights`)');
  }
  // Read from other descriptions than these, which adopt-live-table does not take.
  unknown.push('tags (read them with `aws dynamodb list-tags-of-resource --resource-arn <table ARN>` and add them as `tags`)');
  unknown.push('a resource policy (`aws dynamodb get-resource-policy --resource-arn <table ARN>`; add it as `resourcePolicy`)');
  unknown.push('a Kinesis streaming destination (`aws dynamodb describe-kinesis-streaming-destination`; add it as `kinesisStream`)');
  if (mode !== 'PAY_PER_REQUEST') {
    unknown.push('auto scaling of the provisioned capacity (`aws application-autoscaling describe-scalable-targets --service-namespace dynamodb`): '
      + 'the code pins each capacity to its current units; give `Capacity.autoscaled` the live minimum, maximum and target');
  }
  const sse = t.SSEDescription;
  return {
    tableName: t.TableName,
    region,
    partitionKey: key(t.KeySchema, 'HASH')!,
    sortKey: key(t.KeySchema, 'RANGE'),
    onDemand: mode === 'PAY_PER_REQUEST',
    readUnits: mode === 'PAY_PER_REQUEST' ? undefined : t.ProvisionedThroughput?.ReadCapacityUnits,
    writeUnits: mode === 'PAY_PER_REQUEST' ? undefined : t.ProvisionedThroughput?.WriteCapacityUnits,
    maxReadRequestUnits: mode === 'PAY_PER_REQUEST' ? positive(t.OnDemandThroughput?.MaxReadRequestUnits) : undefined,
    maxWriteRequestUnits: mode === 'PAY_PER_REQUEST' ? positive(t.OnDemandThroughput?.MaxWriteRequestUnits) : undefined,
    replicas,
    globalSecondaryIndexes: (t.GlobalSecondaryIndexes ?? []).map(index),
    localSecondaryIndexes: (t.LocalSecondaryIndexes ?? []).map(index),
    streamViewType: t.StreamSpecification?.StreamEnabled ? t.StreamSpecification.StreamViewType : undefined,
    latestStreamArn: t.StreamSpecification?.StreamEnabled ? t.LatestStreamArn : undefined,
    kmsKeyArn: sse?.Status === 'ENABLED' && sse?.SSEType === 'KMS' ? sse.KMSMasterKeyArn : undefined,
    tableClass: t.TableClassSummary?.TableClass ?? 'STANDARD',
    deletionProtection: t.DeletionProtectionEnabled === true,
    timeToLiveAttribute: ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING' ? ttl.AttributeName : undefined,
    pointInTimeRecovery: backups === undefined ? undefined : {
      enabled: backups.PointInTimeRecoveryStatus === 'ENABLED',
      days: backups.RecoveryPeriodInDays,
    },
    contributorInsights: insights === undefined ? undefined : insights === 'ENABLED' || insights === 'ENABLING',
    unknown,
    notCarried,
  };
}

/** The construct id the generated code uses: the table name in PascalCase (`order-events` -> `OrderEvents`). */
export function constructIdFor(tableName: string): string {
  const id = tableName.split(/[^A-Za-z0-9]+/).filter((p) => p !== '').map((p) => p[0].toUpperCase() + p.slice(1)).join('');
  return /^[A-Za-z]/.test(id) ? id : `Table${id}`;
}

/** The opinions of BlueprintTable that differ from the live table; each is a line the generated code keeps until after the import. */
export function opinionsFor(table: LiveTable): Opinion[] {
  const out: Opinion[] = [];
  const pitr = table.pointInTimeRecovery;
  if (pitr !== undefined && !(pitr.enabled && (pitr.days ?? 35) === 35)) {
    out.push({
      setting: 'point-in-time recovery',
      live: pitr.enabled ? `pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: ${pitr.days} }` : 'pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false }',
      blueprint: 'on, 35 days',
      changes: pitr.enabled
        ? `The recovery window grows from ${pitr.days} to 35 days; the continuous-backup charge (per GB-month of table size) does not depend on the window.`
        : 'Continuous backups start: restores to any second of the last 35 days, billed per GB-month of table and index size.',
    });
  }
  if (table.contributorInsights === false) {
    out.push({
      setting: 'contributor insights',
      live: 'contributorInsightsSpecification: { enabled: false }',
      blueprint: 'on',
      changes: 'CloudWatch Contributor Insights rules are created for the table (and each GSI): billed per rule-month and per million events, that is per read and write request.',
    });
  }
  if (!table.deletionProtection) {
    out.push({
      setting: 'deletion protection',
      live: 'deletionProtection: false',
      blueprint: 'on',
      changes: 'DeleteTable is refused until deletion protection is turned off again; no cost.',
    });
  }
  if (table.kmsKeyArn === undefined) {
    out.push({
      setting: 'encryption key',
      live: 'encryption: TableEncryptionV2.dynamoOwnedKey()',
      blueprint: 'a new customer-managed KMS key with rotation',
      changes: 'A KMS key is created (a monthly key charge plus requests) and DynamoDB re-encrypts the table in the background; every role reading or writing it then needs kms:Decrypt (and kms:GenerateDataKey to write) on the key; grants through the table add them.',
    });
  }
  return out;
}

export interface MaxThroughput { readonly maxReadRequestUnits?: number; readonly maxWriteRequestUnits?: number }

/** The on-demand maximum request units of a table or an index, as the props that set them. */
export function maxThroughput(x: MaxThroughput): MaxThroughput {
  return {
    ...(x.maxReadRequestUnits !== undefined ? { maxReadRequestUnits: x.maxReadRequestUnits } : {}),
    ...(x.maxWriteRequestUnits !== undefined ? { maxWriteRequestUnits: x.maxWriteRequestUnits } : {}),
  };
}

/** Each replica's KMS key ARN by region, for a table encrypted with customer managed keys. */
export function replicaKeyArns(table: LiveTable): Record<string, string> | undefined {
  const arns = table.replicas.filter((r) => r.kmsKeyArn !== undefined).map((r) => [r.region, r.kmsKeyArn!]);
  return arns.length > 0 ? Object.fromEntries(arns) : undefined;
}
