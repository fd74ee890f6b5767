import {
  AdoptedTableReference,
  AdoptionDeployment,
  AdoptionDeploymentKind,
  ImportDifferenceEffect,
  TableAdoption,
} from './adoption-finding';
import { checkImport, dropDependency, findReferences, importDifferences, replaceReferences, toGlobalTable } from './adoption-templates';
import { MigrationFindingKind, MigrationReport, MigrationSeverity } from './finding';
import { RETAINED, TableSide } from './table-side';
import { TableDefinition, TableResourceType } from '../model/table-definition';

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

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
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
