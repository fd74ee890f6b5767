import {
  AdoptedTableReference,
  AdoptionDeployment,
  AdoptionDeploymentKind,
  ImportDifference,
  ImportDifferenceEffect,
  TableAdoption,
} from './adoption-finding';
import { MigrationFindingKind, MigrationReport, MigrationSeverity } from './finding';
import { TableSide } from './table-changes';
import { TableDefinition, TableResourceType } from '../model/table-definition';
import { requirePartitionKey } from '../model/table-keys';

/**
 * Plans the adoption of a live table, deployed as an `AWS::DynamoDB::Table`, by an `AWS::DynamoDB::GlobalTable`
 * of the new template with the same table name. The four deployments, each with its template:
 *
 * 1. the table retained and deletion-protected (skipped when it already is);
 * 2. the table removed from the stack, every reference to it replaced by a literal;
 * 3. `cdk import` of the GlobalTable, describing the live table as it is;
 * 4. the new template as is: the opinions the import could not apply, the references restored.
 *
 * Sources: CloudFormation's resource import requirements (a `DeletionPolicy` on each imported resource, an
 * import change set that creates, deletes or changes nothing else) and the `AWS::DynamoDB::GlobalTable`
 * reference (a `Table` cannot become a `GlobalTable` by changing its type). See docs/table-adoption.md.
 */

/** What a plan is checked with: the ordinary migration check of two templates of one stack. */
export type TemplateComparison = (before: any, after: any) => MigrationReport;

const RETAINED = ['Retain', 'RetainExceptOnCreate'];
/** The resource types this planner imports; both are identified by `TableName`. */
export const IMPORTABLE_TABLE_TYPES: readonly string[] = [TableResourceType.TABLE, TableResourceType.GLOBAL_TABLE];

const templatesByAdoption = new WeakMap<TableAdoption, any[]>();

/** The template of each deployment of an adoption plan, in order (the last is the new template). */
export function adoptionTemplates(adoption: TableAdoption): any[] {
  return templatesByAdoption.get(adoption) ?? [];
}

/** Whether a deployed table and a new one are the same live table changing type: Table to GlobalTable, same literal name. */
export function isAdoption(before: TableDefinition, after: TableDefinition): boolean {
  return before.resourceType === TableResourceType.TABLE
    && after.resourceType === TableResourceType.GLOBAL_TABLE
    && before.tableName !== undefined
    && before.tableName === after.tableName;
}

/**
 * The plan, each deployment's template checked.
 *
 * @param compare the ordinary migration check, run between consecutive templates
 */
export function planAdoption(
  stack: string,
  beforeTemplate: any,
  afterTemplate: any,
  before: TableSide,
  after: TableSide,
  compare: TemplateComparison,
): TableAdoption {
  const fromId = before.definition.logicalId;
  const toId = after.definition.logicalId;
  const tableName = before.definition.tableName!;
  const deployments: AdoptionDeployment[] = [];
  const templates: any[] = [];
  const add = (kind: AdoptionDeploymentKind, summary: string, actions: string[], problems: string[], template: any) => {
    deployments.push({ deployment: deployments.length + 1, kind, summary, actions, problems });
    templates.push(template);
  };

  // 1. Retained and deletion-protected.
  const live = before.resource;
  const protectedAlready = RETAINED.includes(live.DeletionPolicy) && RETAINED.includes(live.UpdateReplacePolicy)
    && before.definition.replicas.every((r) => r.deletionProtection);
  const retained = clone(beforeTemplate);
  const retainedTable = retained.Resources[fromId];
  retainedTable.DeletionPolicy = 'Retain';
  retainedTable.UpdateReplacePolicy = 'Retain';
  retainedTable.Properties = { ...retainedTable.Properties, DeletionProtectionEnabled: true };
  if (!protectedAlready) {
    add(AdoptionDeploymentKind.UPDATE,
      `Protect ${tableName}: keep the deployed Table, retained and deletion-protected.`,
      ['On the deployed `Table`, set `removalPolicy: RemovalPolicy.RETAIN` and `deletionProtection: true`; change nothing else.'],
      errorsOf(compare(beforeTemplate, retained)),
      retained);
  }

  // 2. Out of the stack, nothing referring to it.
  const references: AdoptedTableReference[] = [];
  const removed = clone(retained);
  delete removed.Resources[fromId];
  for (const [id, resource] of Object.entries<any>(removed.Resources)) {
    removed.Resources[id] = replaceReferences(resource, fromId, tableName, (attribute, literal) =>
      references.push({ source: id, sourceType: String(resource?.Type), attribute, literal }));
    dropDependency(removed.Resources[id], fromId);
  }
  for (const [name, output] of Object.entries<any>(removed.Outputs ?? {})) {
    removed.Outputs[name] = replaceReferences(output, fromId, tableName, (attribute, literal) =>
      references.push({ source: `Outputs/${name}`, sourceType: 'Output', attribute, literal }));
  }
  const uniqueReferences = dedupe(references);
  const removalProblems = compare(retained, removed).findings
    .filter((f) => !(f.kind === MigrationFindingKind.TABLE_REMOVED && f.table === fromId && f.severity === MigrationSeverity.WARNING))
    .map((f) => `${f.severity} ${f.kind} ${f.table}: ${f.change}`);
  const left = findReferences(removed, fromId);
  if (left.length > 0) {
    removalProblems.push(`${left.join(', ')} still refer to ${fromId}: they would fail the deployment.`);
  }
  add(AdoptionDeploymentKind.UPDATE,
    `Remove ${tableName} from the stack: the table and its data stay (retained), and nothing else changes but the references, which name it literally.`,
    [
      `Remove the \`Table\` construct (${fromId}); where the app used it, use \`Table.fromTableAttributes(this, '<id>', { tableName: '${tableName}'${before.definition.streamViewType ? ', tableStreamArn: \'<LatestStreamArn>\'' : ''} })\` instead.`,
      ...uniqueReferences.map((r) => `${r.source} (${r.sourceType}): ${r.attribute === 'Ref' ? 'the table name' : r.attribute} as ${r.literal}`),
      ...(uniqueReferences.some((r) => r.attribute === 'StreamArn')
        ? [`Read the live stream ARN with \`aws dynamodb describe-table --table-name ${tableName} --query Table.LatestStreamArn\`; it stays the same through the import.`]
        : []),
    ],
    removalProblems,
    removed);

  // 3. The import, describing the live table as it is.
  const imported = clone(removed);
  // The table as deployment 1 left it: retained and deletion-protected.
  imported.Resources[toId] = toGlobalTable(retainedTable, after.resource);
  const differences = importDifferences(before, after);
  add(AdoptionDeploymentKind.IMPORT,
    `Import ${tableName} as ${toId} (\`cdk import --resource-mapping <file>\`), the BlueprintTable describing the live table as it is; the references keep their literals.`,
    [
      `Add the BlueprintTable (logical id ${toId}) with the live settings below, and nothing else: \`cdk import --resource-mapping ${stack}.resource-mapping.json\`.`,
      ...differences.filter((d) => d.effect === ImportDifferenceEffect.DRIFTS).map((d) => `${d.setting}: import with the live value (${d.live}); the new template has ${d.template}.`),
    ],
    [
      ...checkImport(removed, imported, [toId]),
      ...differences.filter((d) => d.effect === ImportDifferenceEffect.BLOCKS).map((d) => `${d.setting}: the live table has ${d.live}, the new template ${d.template}; ${d.fix}`),
    ],
    imported);

  // 4. The new template: the opinions, the references restored.
  const last = compare(imported, afterTemplate);
  const opinions = differences.filter((d) => d.effect === ImportDifferenceEffect.DRIFTS).map((d) => `${d.setting}: ${d.live} -> ${d.template}`);
  const restore = uniqueReferences.length > 0 ? [`Restore the references of ${dedupeStrings(uniqueReferences.map((r) => r.source)).join(', ')} to the BlueprintTable.`] : [];
  const steps = last.plan.length > 0 ? last.plan : [{ deployment: 1, steps: [] }];
  steps.forEach((d, i) => {
    const final = i === steps.length - 1;
    add(AdoptionDeploymentKind.UPDATE,
      final ? 'Deploy the new template as is: the opinions the import could not apply, and the references to the BlueprintTable.' : 'An intermediate deployment of the new template (one limited change to the table).',
      [
        ...d.steps.map((s) => s.action),
        ...(final ? [...opinions, ...restore] : []),
      ],
      final ? errorsOf(last) : [],
      final ? afterTemplate : imported);
  });

  const adoption: TableAdoption = {
    stack,
    tableName,
    fromLogicalId: fromId,
    toLogicalId: toId,
    resourceMapping: resourceMappingFile([{ logicalId: toId, tableName }]),
    deployments,
    references: uniqueReferences,
    importDifferences: differences,
  };
  templatesByAdoption.set(adoption, templates);
  return adoption;
}

/** The file `cdk import --resource-mapping` reads. */
export function resourceMappingFile(entries: Array<{ logicalId: string; tableName: string }>): string {
  const mapping: Record<string, { TableName: string }> = {};
  for (const e of entries) {
    mapping[e.logicalId] = { TableName: e.tableName };
  }
  return `${JSON.stringify(mapping, null, 2)}\n`;
}

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
function replaceReferences(value: any, id: string, name: string, found: (attribute: string, literal: string) => void): any {
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
function findReferences(template: any, id: string): string[] {
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

function dropDependency(resource: any, id: string): void {
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
const PLANNED: string[] = [
  MigrationFindingKind.TOO_MANY_GLOBAL_INDEX_CHANGES,
  MigrationFindingKind.GLOBAL_INDEX_REDEFINED,
  MigrationFindingKind.STREAM_VIEW_TYPE_CHANGED,
  MigrationFindingKind.TIME_TO_LIVE_ATTRIBUTE_CHANGED,
  MigrationFindingKind.TOO_MANY_REPLICA_CHANGES,
];

function errorsOf(report: MigrationReport): string[] {
  return report.findings
    .filter((f) => f.severity === MigrationSeverity.ERROR && !(report.plan.length > 0 && PLANNED.includes(f.kind)))
    .map((f) => `${f.severity} ${f.kind} ${f.table}: ${f.change}`);
}

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

function dedupe(references: AdoptedTableReference[]): AdoptedTableReference[] {
  const seen = new Set<string>();
  return references.filter((r) => {
    const key = `${r.source}.${r.attribute}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

function dedupeStrings(values: string[]): string[] {
  return [...new Set(values)];
}

function splitOnce(text: string): [string, string] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text, ''] : [text.slice(0, dot), text.slice(dot + 1)];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** JSON with object keys sorted, to compare two resources regardless of key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
    : v));
}

/** An adoption as text: each deployment with its actions and its check, the differences, the mapping. */
export function formatAdoption(adoption: TableAdoption): string[] {
  const lines: string[] = [];
  lines.push(`Adoption of ${adoption.tableName} (${adoption.stack}): Table ${adoption.fromLogicalId} -> GlobalTable ${adoption.toLogicalId}, in ${adoption.deployments.length} deployments.`);
  for (const d of adoption.deployments) {
    lines.push(`  Deployment ${d.deployment} (${d.kind}): ${d.summary}`);
    for (const action of d.actions) {
      lines.push(`    - ${action}`);
    }
    lines.push(d.problems.length === 0 ? '    check: passes' : `    check: ${d.problems.length} problem(s)`);
    for (const problem of d.problems) {
      lines.push(`      ! ${problem}`);
    }
  }
  if (adoption.importDifferences.length > 0) {
    lines.push('  Differences between the live table and the new template:');
    for (const x of adoption.importDifferences) {
      lines.push(`    ${x.effect} ${x.setting}: live ${x.live}, template ${x.template}. ${x.fix}`);
    }
  }
  lines.push(`  Resource mapping (cdk import --resource-mapping ${adoption.stack}.resource-mapping.json):`);
  lines.push(...adoption.resourceMapping.trimEnd().split('\n').map((l) => `    ${l}`));
  return lines;
}
