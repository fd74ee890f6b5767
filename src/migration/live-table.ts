import { App, Stack } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  Capacity,
  StreamViewType,
  TableClass,
  TableEncryptionV2,
} from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { resourceMappingFile } from './adoption';
import { BlueprintTable, BlueprintTableProps } from '../table/blueprint-table';
import { IndexProjection } from '../table/projection';

/**
 * Reads a table created outside CloudFormation from the AWS CLI's descriptions of it and writes the
 * `BlueprintTable` that matches it, in TypeScript and Python, with the `cdk import` resource mapping and
 * the opinions of BlueprintTable that change the live table on the first deployment after the import.
 *
 * CLI-only (not part of the jsii API): its inputs are the AWS CLI's JSON, read as they come.
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

interface Key { readonly name: string; readonly type: AttributeType }
interface Index {
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
interface Replica {
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

/** What `adoptLiveTable` writes. */
export interface LiveTableAdoption {
  readonly table: LiveTable;
  readonly constructId: string;
  readonly logicalId: string;
  readonly typescript: string;
  readonly python: string;
  readonly resourceMapping: string;
  readonly opinions: Opinion[];
  /** The template of a stack holding only the generated table (the equivalent construct, synthesized). */
  readonly template: any;
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

interface MaxThroughput { readonly maxReadRequestUnits?: number; readonly maxWriteRequestUnits?: number }

/** The on-demand maximum request units of a table or an index, as the props that set them. */
function maxThroughput(x: MaxThroughput): MaxThroughput {
  return {
    ...(x.maxReadRequestUnits !== undefined ? { maxReadRequestUnits: x.maxReadRequestUnits } : {}),
    ...(x.maxWriteRequestUnits !== undefined ? { maxWriteRequestUnits: x.maxWriteRequestUnits } : {}),
  };
}

/** Each replica's KMS key ARN by region, for a table encrypted with customer managed keys. */
function replicaKeyArns(table: LiveTable): Record<string, string> | undefined {
  const arns = table.replicas.filter((r) => r.kmsKeyArn !== undefined).map((r) => [r.region, r.kmsKeyArn!]);
  return arns.length > 0 ? Object.fromEntries(arns) : undefined;
}

/** The props of the BlueprintTable that matches the live table, with the live values that override its opinions. */
export function livePropsFor(scope: Construct, id: string, table: LiveTable): BlueprintTableProps {
  const projection = (i: Index) => i.projectionType === 'KEYS_ONLY'
    ? IndexProjection.keysOnly()
    : i.projectionType === 'INCLUDE' ? IndexProjection.include(i.nonKeyAttributes) : IndexProjection.all();
  const pitr = table.pointInTimeRecovery;
  return {
    tableName: table.tableName,
    partitionKey: table.partitionKey,
    sortKey: table.sortKey,
    billing: table.onDemand ? Billing.onDemand(maxThroughput(table)) : Billing.provisioned({
      readCapacity: Capacity.autoscaled({ minCapacity: table.readUnits ?? 1, maxCapacity: table.readUnits ?? 1 }),
      writeCapacity: Capacity.autoscaled({ minCapacity: table.writeUnits ?? 1, maxCapacity: table.writeUnits ?? 1 }),
    }),
    replicas: table.replicas.length > 0 ? table.replicas.map((r) => ({ region: r.region })) : undefined,
    dynamoStream: table.streamViewType as StreamViewType | undefined,
    timeToLiveAttribute: table.timeToLiveAttribute,
    tableClass: table.tableClass === 'STANDARD' ? undefined : table.tableClass as TableClass,
    encryption: table.kmsKeyArn === undefined
      ? TableEncryptionV2.dynamoOwnedKey()
      : TableEncryptionV2.customerManagedKey(kms.Key.fromKeyArn(scope, `${id}Key`, table.kmsKeyArn), replicaKeyArns(table)),
    blueprintGlobalSecondaryIndexes: table.globalSecondaryIndexes.map((i) => ({
      indexName: i.indexName,
      partitionKey: i.partitionKey!,
      sortKey: i.sortKey,
      projection: projection(i),
      readCapacity: i.readUnits === undefined ? undefined : Capacity.autoscaled({ minCapacity: i.readUnits, maxCapacity: i.readUnits }),
      writeCapacity: i.writeUnits === undefined ? undefined : Capacity.autoscaled({ minCapacity: i.writeUnits, maxCapacity: i.writeUnits }),
      ...maxThroughput(i),
    })),
    blueprintLocalSecondaryIndexes: table.localSecondaryIndexes.map((i) => ({
      indexName: i.indexName, sortKey: i.sortKey!, projection: projection(i),
    })),
    pointInTimeRecoverySpecification: pitr === undefined || (pitr.enabled && (pitr.days ?? 35) === 35)
      ? undefined
      : { pointInTimeRecoveryEnabled: pitr.enabled, recoveryPeriodInDays: pitr.enabled ? pitr.days : undefined },
    contributorInsightsSpecification: table.contributorInsights === false ? { enabled: false } : undefined,
    deletionProtection: table.deletionProtection ? undefined : false,
  };
}

/**
 * The generated code, mapping and opinions for one live table. The equivalent construct is synthesized in
 * a stack of its own, which gives the logical id (for a table that is a direct child of its stack).
 */
export function adoptLiveTable(descriptions: LiveTableDescriptions, constructId?: string): LiveTableAdoption {
  const table = readLiveTable(descriptions);
  const id = constructId ?? constructIdFor(table.tableName);
  const app = new App({ builtinCloudFormationValidation: false });
  const region = table.region || table.kmsKeyArn?.split(':')[3] || 'us-east-1';
  const stack = new Stack(app, 'Adoption', { env: { region } });
  const construct = new BlueprintTable(stack, id, livePropsFor(stack, id, table));
  const template = app.synth().getStackByName(stack.stackName).template;
  const logicalId = stack.getLogicalId(construct.node.defaultChild as any);
  const opinions = opinionsFor(table);
  return {
    table,
    constructId: id,
    logicalId,
    typescript: typescriptFor(table, id, opinions),
    python: pythonFor(table, id, opinions),
    resourceMapping: resourceMappingFile([{ logicalId, tableName: table.tableName }]),
    opinions,
    template,
  };
}

const TS_TYPES: Record<string, string> = { S: 'AttributeType.STRING', N: 'AttributeType.NUMBER', B: 'AttributeType.BINARY' };
const PY_TYPES: Record<string, string> = { S: 'dynamodb.AttributeType.STRING', N: 'dynamodb.AttributeType.NUMBER', B: 'dynamodb.AttributeType.BINARY' };

function camel(text: string): string {
  return text[0].toLowerCase() + text.slice(1);
}

function snake(text: string): string {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function typescriptFor(table: LiveTable, id: string, opinions: Opinion[]): string {
  const key = (k: Key) => `{ name: ${JSON.stringify(k.name)}, type: ${TS_TYPES[k.type]} }`;
  const projection = (i: Index) => i.projectionType === 'KEYS_ONLY' ? 'IndexProjection.keysOnly()'
    : i.projectionType === 'INCLUDE' ? `IndexProjection.include(${JSON.stringify(i.nonKeyAttributes)})` : 'IndexProjection.all()';
  const lines: string[] = [];
  lines.push(`    tableName: ${JSON.stringify(table.tableName)},`);
  lines.push(`    partitionKey: ${key(table.partitionKey)},`);
  if (table.sortKey) {
    lines.push(`    sortKey: ${key(table.sortKey)},`);
  }
  const tsMax = (x: MaxThroughput) => Object.entries(maxThroughput(x)).map(([k, v]) => `${k}: ${v}`).join(', ');
  const tsAutoscaled = (units: number) => `Capacity.autoscaled({ minCapacity: ${units}, maxCapacity: ${units} })`;
  lines.push(table.onDemand
    ? `    billing: Billing.onDemand(${tsMax(table) ? `{ ${tsMax(table)} }` : ''}),`
    : `    billing: Billing.provisioned({ readCapacity: ${tsAutoscaled(table.readUnits!)}, writeCapacity: ${tsAutoscaled(table.writeUnits!)} }),`);
  if (table.replicas.length > 0) {
    lines.push(`    replicas: [${table.replicas.map((r) => `{ region: ${JSON.stringify(r.region)} }`).join(', ')}],`);
  }
  if (table.streamViewType) {
    lines.push(`    dynamoStream: StreamViewType.${table.streamViewType},`);
  }
  if (table.timeToLiveAttribute) {
    lines.push(`    timeToLiveAttribute: ${JSON.stringify(table.timeToLiveAttribute)},`);
  }
  if (table.tableClass !== 'STANDARD') {
    lines.push(`    tableClass: TableClass.${table.tableClass},`);
  }
  if (table.kmsKeyArn !== undefined) {
    const replicaKeys = replicaKeyArns(table);
    lines.push(`    encryption: TableEncryptionV2.customerManagedKey(kms.Key.fromKeyArn(scope, \`\${id}Key\`, ${JSON.stringify(table.kmsKeyArn)})`
      + `${replicaKeys ? `, { ${Object.entries(replicaKeys).map(([r, a]) => `${JSON.stringify(r)}: ${JSON.stringify(a)}`).join(', ')} }` : ''}),`);
  }
  if (table.globalSecondaryIndexes.length > 0) {
    lines.push('    blueprintGlobalSecondaryIndexes: [');
    for (const i of table.globalSecondaryIndexes) {
      const capacity = [
        i.readUnits !== undefined ? `readCapacity: ${tsAutoscaled(i.readUnits)}` : undefined,
        i.writeUnits !== undefined ? `writeCapacity: ${tsAutoscaled(i.writeUnits)}` : undefined,
        tsMax(i) || undefined,
      ].filter((c) => c !== undefined).map((c) => `, ${c}`).join('');
      lines.push(`      { indexName: ${JSON.stringify(i.indexName)}, partitionKey: ${key(i.partitionKey!)}${i.sortKey ? `, sortKey: ${key(i.sortKey)}` : ''}, projection: ${projection(i)}${capacity} },`);
    }
    lines.push('    ],');
  }
  if (table.localSecondaryIndexes.length > 0) {
    lines.push('    blueprintLocalSecondaryIndexes: [');
    for (const i of table.localSecondaryIndexes) {
      lines.push(`      { indexName: ${JSON.stringify(i.indexName)}, sortKey: ${key(i.sortKey!)}, projection: ${projection(i)} },`);
    }
    lines.push('    ],');
  }
  for (const o of opinions) {
    lines.push(`    ${o.live}, // live value: remove after the import for ${o.setting} ${o.blueprint}`);
  }
  const usesKms = table.kmsKeyArn !== undefined;
  const dynamodbImports = ['AttributeType', 'Billing', ...(table.onDemand ? [] : ['Capacity']), ...(table.streamViewType ? ['StreamViewType'] : []),
    ...(table.tableClass !== 'STANDARD' ? ['TableClass'] : []), ...(usesKms || opinions.some((o) => o.live.includes('TableEncryptionV2')) ? ['TableEncryptionV2'] : [])];
  const blueprintImports = ['BlueprintTable', ...(table.globalSecondaryIndexes.length + table.localSecondaryIndexes.length > 0 ? ['IndexProjection'] : [])];
  return [
    `import { ${dynamodbImports.join(', ')} } from 'aws-cdk-lib/aws-dynamodb';`,
    ...(usesKms ? ['import * as kms from \'aws-cdk-lib/aws-kms\';'] : []),
    `import { ${blueprintImports.join(', ')} } from 'cdk-dynamodb-blueprints';`,
    'import { Construct } from \'constructs\';',
    '',
    '/**',
    ` * The live table ${table.tableName}, as described by the AWS CLI. Bring it into the stack with`,
    ` * \`cdk import --resource-mapping ${table.tableName}.resource-mapping.json\`; then remove the lines marked`,
    ' * "live value" and deploy, to apply BlueprintTable\'s defaults.',
    ' */',
    `export function ${camel(id)}Table(scope: Construct, id = ${JSON.stringify(id)}): BlueprintTable {`,
    '  return new BlueprintTable(scope, id, {',
    ...lines,
    '  });',
    '}',
    '',
  ].join('\n');
}

function pythonFor(table: LiveTable, id: string, opinions: Opinion[]): string {
  const key = (k: Key) => `dynamodb.Attribute(name=${JSON.stringify(k.name)}, type=${PY_TYPES[k.type]})`;
  const projection = (i: Index) => i.projectionType === 'KEYS_ONLY' ? 'IndexProjection.keys_only()'
    : i.projectionType === 'INCLUDE' ? `IndexProjection.include(${JSON.stringify(i.nonKeyAttributes)})` : 'IndexProjection.all()';
  const lines: string[] = [];
  lines.push(`        table_name=${JSON.stringify(table.tableName)},`);
  lines.push(`        partition_key=${key(table.partitionKey)},`);
  if (table.sortKey) {
    lines.push(`        sort_key=${key(table.sortKey)},`);
  }
  const pyMax = (x: MaxThroughput) => Object.entries(maxThroughput(x)).map(([k, v]) => `${snake(k)}=${v}`).join(', ');
  const pyAutoscaled = (units: number) => `dynamodb.Capacity.autoscaled(min_capacity=${units}, max_capacity=${units})`;
  lines.push(table.onDemand
    ? `        billing=dynamodb.Billing.on_demand(${pyMax(table)}),`
    : `        billing=dynamodb.Billing.provisioned(read_capacity=${pyAutoscaled(table.readUnits!)}, write_capacity=${pyAutoscaled(table.writeUnits!)}),`);
  if (table.replicas.length > 0) {
    lines.push(`        replicas=[${table.replicas.map((r) => `dynamodb.ReplicaTableProps(region=${JSON.stringify(r.region)})`).join(', ')}],`);
  }
  if (table.streamViewType) {
    lines.push(`        dynamo_stream=dynamodb.StreamViewType.${table.streamViewType},`);
  }
  if (table.timeToLiveAttribute) {
    lines.push(`        time_to_live_attribute=${JSON.stringify(table.timeToLiveAttribute)},`);
  }
  if (table.tableClass !== 'STANDARD') {
    lines.push(`        table_class=dynamodb.TableClass.${table.tableClass},`);
  }
  if (table.kmsKeyArn !== undefined) {
    const replicaKeys = replicaKeyArns(table);
    lines.push(`        encryption=dynamodb.TableEncryptionV2.customer_managed_key(kms.Key.from_key_arn(scope, id + "Key", ${JSON.stringify(table.kmsKeyArn)})`
      + `${replicaKeys ? `, ${JSON.stringify(replicaKeys).replace(/":"/g, '": "').replace(/","/g, '", "')}` : ''}),`);
  }
  if (table.globalSecondaryIndexes.length > 0) {
    lines.push('        blueprint_global_secondary_indexes=[');
    for (const i of table.globalSecondaryIndexes) {
      const capacity = [
        i.readUnits !== undefined ? `read_capacity=${pyAutoscaled(i.readUnits)}` : undefined,
        i.writeUnits !== undefined ? `write_capacity=${pyAutoscaled(i.writeUnits)}` : undefined,
        pyMax(i) || undefined,
      ].filter((c) => c !== undefined).map((c) => `, ${c}`).join('');
      lines.push(`            BlueprintGlobalSecondaryIndexProps(index_name=${JSON.stringify(i.indexName)}, partition_key=${key(i.partitionKey!)}`
        + `${i.sortKey ? `, sort_key=${key(i.sortKey)}` : ''}, projection=${projection(i)}${capacity}),`);
    }
    lines.push('        ],');
  }
  if (table.localSecondaryIndexes.length > 0) {
    lines.push('        blueprint_local_secondary_indexes=[');
    for (const i of table.localSecondaryIndexes) {
      lines.push(`            BlueprintLocalSecondaryIndexProps(index_name=${JSON.stringify(i.indexName)}, sort_key=${key(i.sortKey!)}, projection=${projection(i)}),`);
    }
    lines.push('        ],');
  }
  const pyOpinion: Record<string, string> = {
    'point-in-time recovery': table.pointInTimeRecovery?.enabled
      ? `point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(point_in_time_recovery_enabled=True, recovery_period_in_days=${table.pointInTimeRecovery.days})`
      : 'point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(point_in_time_recovery_enabled=False)',
    'contributor insights': 'contributor_insights_specification=dynamodb.ContributorInsightsSpecification(enabled=False)',
    'deletion protection': 'deletion_protection=False',
    'encryption key': 'encryption=dynamodb.TableEncryptionV2.dynamo_owned_key()',
  };
  for (const o of opinions) {
    lines.push(`        ${pyOpinion[o.setting]},  # live value: remove after the import for ${o.setting} ${o.blueprint}`);
  }
  const blueprintImports = ['BlueprintTable',
    ...(table.globalSecondaryIndexes.length > 0 ? ['BlueprintGlobalSecondaryIndexProps'] : []),
    ...(table.localSecondaryIndexes.length > 0 ? ['BlueprintLocalSecondaryIndexProps'] : []),
    ...(table.globalSecondaryIndexes.length + table.localSecondaryIndexes.length > 0 ? ['IndexProjection'] : [])];
  return [
    `from aws_cdk import aws_dynamodb as dynamodb${table.kmsKeyArn !== undefined ? ', aws_kms as kms' : ''}`,
    `from cdk_dynamodb_blueprints import ${blueprintImports.join(', ')}`,
    'from constructs import Construct',
    '',
    '',
    `def ${snake(id)}_table(scope: Construct, id: str = ${JSON.stringify(id)}) -> BlueprintTable:`,
    `    """The live table ${table.tableName}, as described by the AWS CLI. Bring it into the stack with`,
    `    \`cdk import --resource-mapping ${table.tableName}.resource-mapping.json\`; then remove the lines marked`,
    '    "live value" and deploy, to apply BlueprintTable\'s defaults."""',
    '    return BlueprintTable(',
    '        scope,',
    '        id,',
    ...lines,
    '    )',
    '',
  ].join('\n');
}
