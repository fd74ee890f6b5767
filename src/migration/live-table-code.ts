import { Index, Key, LiveTable, maxThroughput, MaxThroughput, Opinion, replicaKeyArns } from './live-table-description';

/** The code of the BlueprintTable that matches a live table, in TypeScript and in Python. */

const TS_TYPES: Record<string, string> = { S: 'AttributeType.STRING', N: 'AttributeType.NUMBER', B: 'AttributeType.BINARY' };
const PY_TYPES: Record<string, string> = { S: 'dynamodb.AttributeType.STRING', N: 'dynamodb.AttributeType.NUMBER', B: 'dynamodb.AttributeType.BINARY' };

function camel(text: string): string {
  return text[0].toLowerCase() + text.slice(1);
}

function snake(text: string): string {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function typescriptFor(table: LiveTable, id: string, opinions: Opinion[]): string {
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

export function pythonFor(table: LiveTable, id: string, opinions: Opinion[]): string {
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
