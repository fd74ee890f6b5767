import { MigrationFinding, MigrationFindingKind, MigrationSeverity } from './finding';
import { TableSide } from './table-side';
import { isTableType } from '../model/parse';
import { TableDefinitions } from '../model/table-definitions';
import { ResolvedResource, resolveTemplate } from '../model/template-resolution';

/**
 * The tables of one side of a migration check, read from the template as CloudFormation would deploy
 * it with `parameters` (defaults for the others): conditions decided, resources under a false
 * condition left out, SAM `SimpleTable`s as the tables they become.
 *
 * A value no parameter value decides (a parameter without default, an import, a pseudo parameter)
 * is compared by its expression: a key, name, index or replica region written the same way on both
 * sides reads as unchanged, and each such table gets a CANNOT_TELL warning.
 */
export function readTables(template: any, parameters: Readonly<Record<string, string>>): TableSide[] {
  const resolved = resolveTemplate(template, parameters);
  const resources: Record<string, any> = resolved.template.Resources ?? {};
  const comparable: Record<string, any> = {};
  for (const [logicalId, resource] of Object.entries<any>(resources)) {
    comparable[logicalId] = isTableType(resource?.Type) ? withExpressions(resource) : resource;
  }
  return TableDefinitions.fromTemplate({ ...resolved.template, Resources: comparable }).map((definition) => ({
    definition,
    resource: comparable[definition.logicalId],
    resolution: resolved.resources.get(definition.logicalId),
    unresolved: unresolvedIn(resources[definition.logicalId], resolved.unresolvedParameters),
  }));
}

/** Table properties whose other branch would give the migration check something to say. */
const CONSEQUENTIAL = [
  'TableName', 'KeySchema', 'AttributeDefinitions', 'LocalSecondaryIndexes', 'GlobalSecondaryIndexes', 'StreamSpecification',
  'Replicas', 'BillingMode', 'DeletionProtectionEnabled', 'PointInTimeRecoverySpecification', 'SSESpecification', 'TimeToLiveSpecification',
  'PrimaryKey',
];

/** The properties of a table chosen by `Fn::If` that matter to a migration, with their conditions. */
function conditionalProperties(side: TableSide) {
  return (side.resolution?.conditionalProperties ?? [])
    .filter((p) => p.path.startsWith('Properties.'))
    .map((p) => ({ ...p, property: p.path.slice('Properties.'.length) }))
    .filter((p) => CONSEQUENTIAL.includes(p.property.split('.')[0]));
}

/**
 * The table with its identity-bearing values (names of keys, indexes and the table, key types,
 * replica regions) written as their expressions when no value is known: `{"Ref":"HashKeyName"}`.
 */
function withExpressions(resource: any): any {
  const p = resource.Properties ?? {};
  const text = (v: unknown) => (v === undefined || typeof v === 'string' ? v : JSON.stringify(v));
  const keySchema = (schema: unknown) => (Array.isArray(schema)
    ? schema.map((k) => (k !== null && typeof k === 'object' ? { ...k, AttributeName: text(k.AttributeName) } : k))
    : schema);
  const indexes = (list: unknown) => (Array.isArray(list)
    ? list.map((i) => (i !== null && typeof i === 'object' ? { ...i, IndexName: text(i.IndexName), KeySchema: keySchema(i.KeySchema) } : i))
    : list);
  const properties: Record<string, unknown> = { ...p };
  const set = (name: string, value: unknown) => {
    if (value !== undefined) {
      properties[name] = value;
    }
  };
  set('TableName', text(p.TableName));
  set('KeySchema', keySchema(p.KeySchema));
  set('GlobalSecondaryIndexes', indexes(p.GlobalSecondaryIndexes));
  set('LocalSecondaryIndexes', indexes(p.LocalSecondaryIndexes));
  if (Array.isArray(p.AttributeDefinitions)) {
    properties.AttributeDefinitions = p.AttributeDefinitions.map((d: any) => (d !== null && typeof d === 'object'
      ? { ...d, AttributeName: text(d.AttributeName), AttributeType: text(d.AttributeType) }
      : d));
  }
  if (Array.isArray(p.Replicas)) {
    // `{ Ref: AWS::Region }` is the stack's own region, which the model knows as such.
    properties.Replicas = p.Replicas.map((r: any) => (r !== null && typeof r === 'object' && r.Region?.Ref !== 'AWS::Region'
      ? { ...r, Region: text(r.Region) }
      : r));
  }
  if (p.PrimaryKey !== null && typeof p.PrimaryKey === 'object') {
    properties.PrimaryKey = { ...p.PrimaryKey, Name: text(p.PrimaryKey.Name), Type: text(p.PrimaryKey.Type) };
  }
  return { ...resource, Properties: properties };
}

/**
 * The parameters without value a resource's properties still refer to. An import is left out: it
 * names one export, whose value the deployed stack already uses.
 */
function unresolvedIn(resource: any, parameters: readonly string[]): string[] {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.Ref === 'string' && parameters.includes(o.Ref)) {
        found.add(o.Ref);
      }
      if (typeof o['Fn::Sub'] === 'string' || Array.isArray(o['Fn::Sub'])) {
        const text = Array.isArray(o['Fn::Sub']) ? o['Fn::Sub'][0] : o['Fn::Sub'];
        for (const m of String(text).matchAll(/\$\{([^}!.]+)\}/g)) {
          if (parameters.includes(m[1].trim())) {
            found.add(m[1].trim());
          }
        }
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(resource?.Properties);
  return [...found].sort();
}

/**
 * What a condition can do to a table: the table exists only while its `Condition` holds, or a
 * property (the stream, a replica) is chosen by `Fn::If`. Said for the side being deployed.
 */
export function conditionFindings(stack: string, after: TableSide, parameters: Readonly<Record<string, string>>): MigrationFinding[] {
  const findings: MigrationFinding[] = [];
  const r: ResolvedResource | undefined = after.resolution;
  const id = after.definition.logicalId;
  const given = Object.keys(parameters).length > 0 ? 'with the parameter values given' : 'with the parameters\' defaults';
  const state = (v: boolean | undefined) => (v === undefined ? 'cannot be told' : String(v));
  if (r?.condition !== undefined) {
    const retained = ['Retain', 'RetainExceptOnCreate'].includes(after.definition.deletionPolicy ?? 'Delete');
    findings.push({
      kind: MigrationFindingKind.CONDITIONAL_TABLE,
      severity: MigrationSeverity.WARNING,
      stack,
      table: id,
      change: `table ${id} exists only while condition ${r.condition} is true (${given}: ${state(r.conditionValue)})`,
      why: retained
        ? `A deployment in which ${r.condition} is false removes ${id} from the stack; its DeletionPolicy is ${after.definition.deletionPolicy}, so the table and its data stay, outside the stack, and a later deployment with ${r.condition} true creates a new, empty table (under a fixed name, that creation fails).`
        : `A deployment in which ${r.condition} is false deletes ${id} and all its data (its DeletionPolicy is Delete); a later one with ${r.condition} true creates it again, empty.`,
      fix: `Give the table DeletionPolicy and UpdateReplacePolicy Retain, and make sure every environment that holds data deploys with ${r.condition} true; or take the table out from under the condition.`,
    });
  }
  // A condition that cannot be told is a CANNOT_TELL: which branch deploys is unknown.
  const properties = conditionalProperties(after).filter((p) => p.value !== undefined);
  if (properties.length > 0) {
    const described = properties.map((p) => `${p.property} by ${p.condition} (${state(p.value)})`);
    findings.push({
      kind: MigrationFindingKind.CONDITIONAL_TABLE,
      severity: MigrationSeverity.WARNING,
      stack,
      table: id,
      change: `table ${id} has properties chosen by conditions: ${[...new Set(described)].join('; ')}`,
      why: 'This check compared the branch the parameter values choose. A deployment that flips the condition takes the other branch: a stream behind it is turned off (its consumers stop, a new stream has a new ARN), a key or name behind it replaces the table, a replica behind it is added or deleted.',
      fix: 'Run the check again with the parameter values of each environment (`--parameters Name=Value`), or take the property out from under the condition.',
    });
  }
  return findings;
}

/** A table whose identity or settings hang on values nobody gave: the comparison is by expression. */
export function cannotTellFinding(stack: string, before: TableSide | undefined, after: TableSide): MigrationFinding | undefined {
  const names = [...new Set([...(before?.unresolved ?? []), ...(after.unresolved ?? [])])].sort();
  const untold = [...new Set(conditionalProperties(after).filter((p) => p.value === undefined).map((p) => `${p.property} (condition ${p.condition})`))];
  if (names.length === 0 && untold.length === 0) {
    return undefined;
  }
  const parts = [
    names.length > 0 ? `${names.join(', ')}, which have no default and no value given` : '',
    untold.length > 0 ? `conditions nobody can evaluate without parameter values: ${untold.join(', ')}` : '',
  ].filter((p) => p !== '');
  return {
    kind: MigrationFindingKind.CANNOT_TELL,
    severity: MigrationSeverity.WARNING,
    stack,
    table: after.definition.logicalId,
    change: `values of ${after.definition.logicalId} depend on ${parts.join('; and on ')}`,
    why: 'The check cannot tell what they will be: it compared those properties as written, so a property written the same way on both sides reads as unchanged even if the value deployed with it differs.',
    fix: `Pass the values the deployment uses: \`--parameters ${names.map((n) => `${n}=<value>`).join(' ') || 'Name=Value'}\` (or \`parameters\` in the options).`,
  };
}
