/*
 * The template rewriting of a table adoption, and its checks: the Table as the GlobalTable that describes the
 * same live table, references to the removed table replaced by literals, the import change set's rules, and
 * the differences between the live table and the new template's GlobalTable.
 */
import { ImportDifference, ImportDifferenceEffect } from './adoption-finding';
import { TableSide } from './table-side';
import { TableDefinition, TableResourceType } from '../model/table-definition';
import { requirePartitionKey } from '../model/table-keys';

/** The resource types this planner imports; both are identified by `TableName`. */
export const IMPORTABLE_TABLE_TYPES: readonly string[] = [TableResourceType.TABLE, TableResourceType.GLOBAL_TABLE];

/**
 * What CloudFormation refuses in an import change set, checked on the template before and during the import:
 * every imported resource is new, of a type that imports by `TableName`, names it literally and has a
 * `DeletionPolicy`; no other resource is added, removed or changed; the outputs stay as they are.
 *
 * @returns one sentence per problem; empty when the import template passes
 */
export function checkImport(previous: any, next: any, importedIds: string[]): string[] {
  const problems: string[] = [];
  const prev = previous?.Resources ?? {};
  const now = next?.Resources ?? {};
  for (const id of importedIds) {
    const resource = now[id];
    if (resource === undefined) {
      problems.push(`${id} is not in the import template: the mapping names a resource the template does not have.`);
      continue;
    }
    if (prev[id] !== undefined) {
      problems.push(`${id} is already in the stack: only a resource new to the stack can be imported.`);
    }
    if (!IMPORTABLE_TABLE_TYPES.includes(resource.Type)) {
      problems.push(`${id} is a ${resource.Type}: this check imports ${IMPORTABLE_TABLE_TYPES.join(' and ')} only.`);
    }
    if (resource.DeletionPolicy === undefined) {
      problems.push(`${id} has no DeletionPolicy: CloudFormation requires one on every imported resource (set \`removalPolicy: RemovalPolicy.RETAIN\`).`);
    }
    if (typeof resource.Properties?.TableName !== 'string') {
      problems.push(`${id} has no literal TableName (${JSON.stringify(resource.Properties?.TableName)}): the import identifies the table by it; set \`tableName\` to the live table's name.`);
    }
  }
  for (const id of Object.keys(now)) {
    if (prev[id] === undefined && !importedIds.includes(id)) {
      problems.push(`${id} (${now[id]?.Type}) is added: an import change set creates nothing; deploy it before or after the import.`);
    }
  }
  for (const id of Object.keys(prev)) {
    if (now[id] === undefined) {
      problems.push(`${id} (${prev[id]?.Type}) is removed: an import change set deletes nothing; remove it in another deployment.`);
    } else if (stableJson(prev[id]) !== stableJson(now[id])) {
      problems.push(`${id} (${prev[id]?.Type}) changes: an import change set updates nothing else; keep it as deployed (a reference to the imported table stays a literal until the next deployment).`);
    }
  }
  if (stableJson(previous?.Outputs ?? {}) !== stableJson(next?.Outputs ?? {})) {
    problems.push('The outputs change: an import change set cannot change outputs; change them in the next deployment.');
  }
  return problems;
}

/** The `AWS::DynamoDB::Table` resource as the `AWS::DynamoDB::GlobalTable` that describes the same live table. */
export function toGlobalTable(table: any, globalTable: any): any {
  const p = table.Properties ?? {};
  const region = globalTable?.Properties?.Replicas?.[0]?.Region ?? { Ref: 'AWS::Region' };
  const replica: Record<string, unknown> = { Region: region };
  const properties: Record<string, unknown> = {
    TableName: p.TableName,
    AttributeDefinitions: p.AttributeDefinitions,
    KeySchema: p.KeySchema,
    BillingMode: p.BillingMode ?? 'PROVISIONED',
  };
  const throughput = p.ProvisionedThroughput;
  if (properties.BillingMode === 'PROVISIONED' && throughput !== undefined) {
    // A GlobalTable's provisioned writes are always auto scaled: bounds equal to the live units keep them fixed.
    properties.WriteProvisionedThroughputSettings = fixedWrites(throughput.WriteCapacityUnits);
    replica.ReadProvisionedThroughputSettings = { ReadCapacityUnits: throughput.ReadCapacityUnits };
  }
  if (p.LocalSecondaryIndexes) {
    properties.LocalSecondaryIndexes = p.LocalSecondaryIndexes;
  }
  if (p.GlobalSecondaryIndexes) {
    properties.GlobalSecondaryIndexes = p.GlobalSecondaryIndexes.map((i: any) => ({
      IndexName: i.IndexName,
      KeySchema: i.KeySchema,
      Projection: i.Projection,
      ...(i.ProvisionedThroughput ? { WriteProvisionedThroughputSettings: fixedWrites(i.ProvisionedThroughput.WriteCapacityUnits) } : {}),
    }));
    const insights = p.GlobalSecondaryIndexes.filter((i: any) => i.ContributorInsightsSpecification !== undefined);
    if (insights.length > 0) {
      replica.GlobalSecondaryIndexes = insights.map((i: any) => ({
        IndexName: i.IndexName,
        ContributorInsightsSpecification: i.ContributorInsightsSpecification,
      }));
    }
  }
  if (p.StreamSpecification?.StreamViewType) {
    properties.StreamSpecification = { StreamViewType: p.StreamSpecification.StreamViewType };
  }
  if (p.TimeToLiveSpecification) {
    properties.TimeToLiveSpecification = p.TimeToLiveSpecification;
  }
  if (p.SSESpecification) {
    const { KMSMasterKeyId, ...sse } = p.SSESpecification;
    properties.SSESpecification = sse;
    if (KMSMasterKeyId !== undefined) {
      replica.SSESpecification = { KMSMasterKeyId };
    }
  }
  for (const key of ['TableClass', 'PointInTimeRecoverySpecification', 'DeletionProtectionEnabled', 'ContributorInsightsSpecification', 'Tags', 'KinesisStreamSpecification', 'ResourcePolicy']) {
    if (p[key] !== undefined) {
      replica[key] = p[key];
    }
  }
  properties.Replicas = [replica];
  if (p.WarmThroughput) {
    properties.WarmThroughput = p.WarmThroughput;
  }
  return {
    Type: TableResourceType.GLOBAL_TABLE,
    Properties: properties,
    DeletionPolicy: globalTable?.DeletionPolicy ?? 'Retain',
    UpdateReplacePolicy: globalTable?.UpdateReplacePolicy ?? 'Retain',
  };
}

function fixedWrites(units: unknown): unknown {
  return {
    WriteCapacityAutoScalingSettings: { MinCapacity: units, MaxCapacity: units, TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 } },
  };
}

/** The differences between the live table and the GlobalTable of the new template. */
export function importDifferences(before: TableSide, after: TableSide): ImportDifference[] {
  const b = before.definition;
  const a = after.definition;
  const out: ImportDifference[] = [];
  const blocks = (setting: string, live: string, template: string, fix: string) =>
    out.push({ setting, live, template, effect: ImportDifferenceEffect.BLOCKS, fix });
  const drifts = (setting: string, live: string, template: string, fix: string) => {
    if (live !== template) {
      out.push({ setting, live, template, effect: ImportDifferenceEffect.DRIFTS, fix });
    }
  };
  const keyNames = (d: TableDefinition) => `${requirePartitionKey(d, 'the adoption plan').name}${d.sortKey ? ` + ${d.sortKey.name}` : ''}`;
  const keyTypes = (d: TableDefinition) => {
    const partitionKey = requirePartitionKey(d, 'the adoption plan');
    return `${partitionKey.name} ${partitionKey.type}${d.sortKey ? `, ${d.sortKey.name} ${d.sortKey.type}` : ''}`;
  };
  if (keyNames(b) !== keyNames(a)) {
    blocks('keys', keyNames(b), keyNames(a), `a table's keys never change: declare \`partitionKey\`/\`sortKey\` as the live table has them (${keyNames(b)}).`);
  } else if (keyTypes(b) !== keyTypes(a)) {
    blocks('attribute types', keyTypes(b), keyTypes(a), `key attribute types never change: declare them as the live table has them (${keyTypes(b)}).`);
  }
  const lsi = (d: TableDefinition) => d.localSecondaryIndexes.map(describeIndex).sort().join('; ') || 'none';
  if (lsi(b) !== lsi(a)) {
    blocks('local secondary indexes', lsi(b), lsi(a), 'local secondary indexes exist only from the table\'s creation: declare exactly the live ones (name, sort key, projection).');
  }
  const gsi = (d: TableDefinition) => d.globalSecondaryIndexes.map(describeIndex).sort().join('; ') || 'none';
  drifts('global secondary indexes', gsi(b), gsi(a), 'Import with the live indexes; create or delete one index per deployment afterwards.');
  drifts('billing', b.billingMode, a.billingMode, 'Import with the live billing mode; switch in the last deployment (once per 24 hours).');
  const fixed = b.writeCapacity?.fixedUnits;
  if (fixed !== undefined) {
    out.push({
      setting: 'write capacity',
      live: `${fixed} provisioned write units, not auto scaled`,
      template: 'a GlobalTable auto scales provisioned writes',
      effect: ImportDifferenceEffect.DRIFTS,
      fix: `The import template describes write auto scaling from ${fixed} to ${fixed} units, which the live table does not have: switch the table to on-demand, or add write auto scaling, before the adoption; or accept that the first update registers the scaling target.`,
    });
  }
  drifts('stream', b.streamViewType ?? 'off', a.streamViewType ?? 'off', 'Import with the live stream; a view type changes only by turning the stream off and on (a new stream ARN).');
  drifts('time to live', b.timeToLiveAttribute ?? 'off', a.timeToLiveAttribute ?? 'off', 'Import with the live time to live; move it to another attribute only by turning it off first.');
  drifts('encryption key', encryption(b), encryption(a), 'Import with the live key (`encryption: TableEncryptionV2.customerManagedKey(key)` of the same key, or the AWS owned/managed key); change it in the last deployment.');
  drifts('table class', b.tableClass ?? 'STANDARD', a.tableClass ?? 'STANDARD', 'Import with the live table class; change it in the last deployment.');
  const br = b.replicas[0];
  const ar = a.replicas.find((r) => r.inStackRegion) ?? a.replicas[0];
  if (br !== undefined && ar !== undefined) {
    const pitr = (r: typeof br) => r.pointInTimeRecovery ? `on, ${r.recoveryPeriodInDays ?? 35} days` : 'off';
    drifts('point-in-time recovery', pitr(br), pitr(ar), 'Import with the live setting; the last deployment turns it on or changes the period (continuous backups are billed per GB-month).');
    // Deployment 1 turns deletion protection on whatever it was: the import sees it on.
    drifts('deletion protection', 'true', String(ar.deletionProtection), 'Keep deletion protection on (the BlueprintTable default): turning it off is DELETION_PROTECTION_DISABLED.');
    drifts('contributor insights', br.contributorInsights ? 'on' : 'off', ar.contributorInsights ? 'on' : 'off', 'Import with the live setting; the last deployment turns it on (CloudWatch contributor insights rules are billed per event).');
  }
  const tags = (resource: any, replicaTags: boolean) =>
    stableJson(sortTags(replicaTags ? resource?.Properties?.Replicas?.[0]?.Tags : resource?.Properties?.Tags));
  drifts('tags', tags(before.resource, false), tags(after.resource, true), 'Import with the live tags; the last deployment changes them.');
  return out;
}

/** Replaces every reference to `id` in `value` by a literal: its name, its ARN, or a placeholder for its stream ARN. */
export function replaceReferences(value: any, id: string, name: string, found: (attribute: string, literal: string) => void): any {
  const arn = `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${name}`;
  const literalFor = (attribute: string): any => {
    if (attribute === 'Ref') {
      return name;
    }
    if (attribute === 'Arn') {
      return { 'Fn::Sub': arn };
    }
    return `<${attribute} of ${name}: aws dynamodb describe-table --table-name ${name} --query Table.Latest${attribute}>`;
  };
  const walk = (v: any): any => {
    if (Array.isArray(v)) {
      return v.map(walk);
    }
    if (v === null || typeof v !== 'object') {
      return v;
    }
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'Ref' && v.Ref === id) {
      found('Ref', name);
      return name;
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const target = v['Fn::GetAtt'];
      const [ref, attribute] = typeof target === 'string' ? splitOnce(target) : target;
      if (ref === id) {
        const literal = literalFor(String(attribute));
        found(String(attribute), typeof literal === 'string' ? literal : arn);
        return literal;
      }
    }
    if (keys.length === 1 && keys[0] === 'Fn::Sub') {
      const sub = v['Fn::Sub'];
      const text = Array.isArray(sub) ? sub[0] : sub;
      if (typeof text === 'string') {
        const replaced = text.replace(new RegExp(`\\$\\{${escape(id)}(?:\\.([A-Za-z]+))?\\}`, 'g'), (_m, attribute?: string) => {
          const literal = attribute === undefined ? name : attribute === 'Arn' ? arn : literalFor(attribute);
          found(attribute ?? 'Ref', literal);
          return literal;
        });
        return { 'Fn::Sub': Array.isArray(sub) ? [replaced, walk(sub[1])] : replaced };
      }
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      out[k] = walk(v[k]);
    }
    return out;
  };
  return walk(value);
}

/** Logical ids of the resources and outputs of `template` that still name `id`. */
export function findReferences(template: any, id: string): string[] {
  const names = (v: any): boolean => {
    if (Array.isArray(v)) {
      return v.some(names);
    }
    if (v === null || typeof v !== 'object') {
      return typeof v === 'string' && new RegExp(`\\$\\{${escape(id)}[.}]`).test(v);
    }
    if (v.Ref === id) {
      return true;
    }
    const getAtt = v['Fn::GetAtt'];
    if (getAtt !== undefined && (Array.isArray(getAtt) ? getAtt[0] === id : String(getAtt).split('.')[0] === id)) {
      return true;
    }
    return Object.values(v).some(names);
  };
  return [
    ...Object.entries<any>(template.Resources ?? {}).filter(([, r]) => names(r) || [r?.DependsOn].flat().includes(id)).map(([k]) => k),
    ...Object.entries<any>(template.Outputs ?? {}).filter(([, o]) => names(o)).map(([k]) => `Outputs/${k}`),
  ];
}

export function dropDependency(resource: any, id: string): void {
  if (resource?.DependsOn === id) {
    delete resource.DependsOn;
  } else if (Array.isArray(resource?.DependsOn)) {
    resource.DependsOn = resource.DependsOn.filter((d: string) => d !== id);
    if (resource.DependsOn.length === 0) {
      delete resource.DependsOn;
    }
  }
}

/** Errors the migration check's plan resolves (one index, replica or stream change per deployment). */
function describeIndex(i: TableDefinition['globalSecondaryIndexes'][number]): string {
  const keys = `${i.partitionKey.name}${i.sortKey ? ` + ${i.sortKey.name}` : ''}`;
  const projection = i.projectionType === 'INCLUDE' ? `INCLUDE ${[...i.nonKeyAttributes].sort().join(',')}` : i.projectionType;
  return `${i.indexName} (${keys}, ${projection})`;
}

function encryption(d: TableDefinition): string {
  const key = d.replicas.find((r) => r.kmsKey !== undefined)?.kmsKey;
  return key !== undefined ? `customer-managed ${key}` : String(d.encryption);
}

function sortTags(tags: any): any {
  return Array.isArray(tags) ? [...tags].sort((x, y) => String(x?.Key).localeCompare(String(y?.Key))) : [];
}

function splitOnce(text: string): [string, string] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text, ''] : [text.slice(0, dot), text.slice(dot + 1)];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** JSON with object keys sorted, to compare two resources regardless of key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
    : v));
}
