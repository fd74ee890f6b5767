/*
 * Changes to what a table keeps from its creation: what makes CloudFormation replace it (keys, local indexes,
 * name, import source), a multi-account replica's source, and multi-region strong consistency.
 */
import { MigrationFinding, MigrationFindingKind, MigrationSeverity } from './finding';
import { describeImport, describeLocalIndex, stringifyValue } from './table-descriptions';
import { RETAINED, TableSide } from './table-side';
import { TableDefinition, TableResourceType } from '../model/table-definition';

/** Changes that make CloudFormation replace the table. */
export function replacementFindings(stack: string, before: TableSide, after: TableSide): MigrationFinding[] {
  const b = before.definition;
  const a = after.definition;
  const findings: MigrationFinding[] = [];
  const policy = a.updateReplacePolicy ?? 'Delete';
  const outcome = RETAINED.includes(policy)
    ? `UpdateReplacePolicy is ${policy}: the old table and its data stay but leave the stack, and the new table starts empty.`
    : 'UpdateReplacePolicy is Delete: CloudFormation deletes the old table and all its data.';
  const named = a.tableName !== undefined && a.tableName === b.tableName
    ? ` With the fixed name ${a.tableName}, CloudFormation cannot create the replacement and the update fails ("cannot update a stack when a custom-named resource requires replacing").`
    : '';
  const migrate = 'Create a new table (a new construct id) next to this one, copy the data (export to S3 and import, or a backfill from the stream), move readers and writers, then remove the old table.';
  const add = (kind: MigrationFindingKind, change: string, why: string) =>
    findings.push({ kind, severity: MigrationSeverity.ERROR, stack, table: a.logicalId, change, why: `${why} ${outcome}${named}`, fix: migrate });

  const keyNames = (d: TableDefinition) => `${d.partitionKey?.name ?? '(the source table\'s)'}${d.sortKey ? ` + ${d.sortKey.name}` : ''}`;
  // A multi-account replica has its source's keys: a change of source is GLOBAL_TABLE_SOURCE_CHANGED.
  const keyed = b.partitionKey !== undefined && a.partitionKey !== undefined;
  if (keyed && (b.partitionKey?.name !== a.partitionKey?.name || b.sortKey?.name !== a.sortKey?.name)) {
    add(MigrationFindingKind.KEY_SCHEMA_CHANGED,
      `primary key ${keyNames(b)} -> ${keyNames(a)}`,
      'A table\'s key schema cannot change: CloudFormation replaces the table.');
  } else {
    const typeChanges = [
      [b.partitionKey, a.partitionKey],
      [b.sortKey, a.sortKey],
    ].filter(([x, y]) => x !== undefined && y !== undefined && x.type !== y.type)
      .map(([x, y]) => `${x!.name} ${x!.type} -> ${y!.type}`);
    if (typeChanges.length > 0) {
      add(MigrationFindingKind.KEY_ATTRIBUTE_TYPE_CHANGED,
        `key attribute type ${typeChanges.join(', ')}`,
        'The type of a key attribute is part of the key schema and cannot change: CloudFormation replaces the table.');
    }
  }

  const nameBefore = JSON.stringify(before.resource?.Properties?.TableName);
  const nameAfter = JSON.stringify(after.resource?.Properties?.TableName);
  if (nameBefore !== nameAfter) {
    findings.push({
      kind: MigrationFindingKind.TABLE_NAME_CHANGED,
      severity: MigrationSeverity.ERROR,
      stack,
      table: a.logicalId,
      change: `table name ${nameBefore ?? '(generated)'} -> ${nameAfter ?? '(generated)'}`,
      why: `A table cannot be renamed: CloudFormation replaces the table. ${outcome}`,
      fix: `${nameBefore === undefined ? 'Leave `tableName` unset, as deployed' : `Keep the deployed name (\`tableName: ${nameBefore}\`)`}; code that needs the name reads it from \`table.tableName\`. To move to a new name: ${migrate}`,
    });
  }

  if (a.resourceType === TableResourceType.TABLE) {
    const importBefore = JSON.stringify(before.resource?.Properties?.ImportSourceSpecification);
    const importAfter = JSON.stringify(after.resource?.Properties?.ImportSourceSpecification);
    if (importBefore !== importAfter) {
      add(MigrationFindingKind.IMPORT_SOURCE_CHANGED,
        `import source ${describeImport(before.resource)} -> ${describeImport(after.resource)}`,
        'A table imports from S3 only when it is created (`ImportSourceSpecification` is "Update requires: Replacement"): CloudFormation replaces the table with a new one holding only the imported data.');
    }
  }

  const lsiBefore = b.localSecondaryIndexes.map(describeLocalIndex).sort();
  const lsiAfter = a.localSecondaryIndexes.map(describeLocalIndex).sort();
  if (JSON.stringify(lsiBefore) !== JSON.stringify(lsiAfter)) {
    const gone = lsiBefore.filter((x) => !lsiAfter.includes(x));
    const fresh = lsiAfter.filter((x) => !lsiBefore.includes(x));
    const parts = [gone.length ? `removes or changes ${gone.join('; ')}` : '', fresh.length ? `adds ${fresh.join('; ')}` : '']
      .filter((p) => p !== '');
    add(MigrationFindingKind.LOCAL_INDEXES_CHANGED,
      `local secondary indexes: ${parts.join('; ')}`,
      'Local secondary indexes exist only from table creation: CloudFormation replaces the table to add, remove or change one.');
  }
  return findings;
}

/**
 * A multi-account replica whose source changed, or a table that became one or stopped being one.
 *
 * The source is given to DynamoDB only when the table is created (CreateTable's `GlobalTableSourceArn`;
 * UpdateTable has no such field), and CloudFormation's resource schema does not mark the property
 * create-only (cfn-lint 1.51.0's copy, December 2026): CloudFormation updates in place what DynamoDB
 * cannot change.
 */
export function sourceFindings(stack: string, before: TableSide, after: TableSide): MigrationFinding[] {
  const b = before.definition;
  const a = after.definition;
  if (b.globalTableSourceArn === a.globalTableSourceArn) {
    return [];
  }
  const describe = (arn: string | undefined) => arn ?? 'none (a table of its own)';
  return [{
    kind: MigrationFindingKind.GLOBAL_TABLE_SOURCE_CHANGED,
    severity: MigrationSeverity.ERROR,
    stack,
    table: a.logicalId,
    change: `multi-account replica source ${describe(b.globalTableSourceArn)} -> ${describe(a.globalTableSourceArn)}`,
    why: 'A table becomes a replica of a source only when it is created (DynamoDB takes `GlobalTableSourceArn` in CreateTable and nowhere else), '
      + 'and CloudFormation does not replace the table for this property: it attempts an in-place update that cannot move the table to another source, so the update fails or the table stays a replica of the old source.',
    fix: 'Keep the deployed source. To replicate another table, add a new replica (a new construct id, in a deployment of its own, after the new source\'s resource policy lets this account associate it), move readers to it, then remove the old replica; its DeletionPolicy decides whether its data stays.',
  }];
}

/** Multi-region strong consistency: the mode and the witness are fixed when the global table is created. */
export function strongConsistencyFindings(stack: string, before: TableSide, after: TableSide): MigrationFinding[] {
  const findings: MigrationFinding[] = [];
  const table = after.definition.logicalId;
  const modeBefore = stringifyValue(before.resource?.Properties?.MultiRegionConsistency ?? 'EVENTUAL');
  const modeAfter = stringifyValue(after.resource?.Properties?.MultiRegionConsistency ?? 'EVENTUAL');
  if (modeBefore !== modeAfter) {
    findings.push({
      kind: MigrationFindingKind.MULTI_REGION_CONSISTENCY_CHANGED,
      severity: MigrationSeverity.ERROR,
      stack,
      table,
      change: `multi-region consistency ${modeBefore} -> ${modeAfter}`,
      why: 'A global table keeps the consistency mode it was created with: DynamoDB cannot change it afterwards (MultiRegionConsistency is valid only when the global table is created), so the update fails.',
      fix: `Keep \`multiRegionConsistency\` as deployed (${modeBefore}). To move to ${modeAfter}: create a new table with it (a new construct id), copy the data, move readers and writers, then remove the old table.`,
    });
  }
  const witnesses = (resource: any): string[] => (resource?.Properties?.GlobalTableWitnesses ?? [])
    .map((w: any) => stringifyValue(w?.Region)).sort();
  const wBefore = witnesses(before.resource);
  const wAfter = witnesses(after.resource);
  if (JSON.stringify(wBefore) !== JSON.stringify(wAfter)) {
    const added = wAfter.filter((r) => !wBefore.includes(r));
    const removed = wBefore.filter((r) => !wAfter.includes(r));
    const replicasRemoved = before.definition.replicas
      .filter((r) => !after.definition.replicas.some((x) => x.region === r.region)).length;
    const withReplica = added.length === 0 && removed.length === 1 && replicasRemoved === 1;
    const describe = (regions: string[]) => (regions.length ? regions.join(', ') : 'none');
    findings.push({
      kind: MigrationFindingKind.WITNESS_CHANGED,
      severity: withReplica ? MigrationSeverity.WARNING : MigrationSeverity.ERROR,
      stack,
      table,
      change: `witness region ${describe(wBefore)} -> ${describe(wAfter)}`,
      why: withReplica
        ? 'The witness leaves together with a replica, which DynamoDB allows: the remaining replica becomes a single-Region table, and multi-region strong consistency ends.'
        : added.length > 0
          ? `A witness is added only when the strong-consistency global table is created: DynamoDB rejects adding ${added.join(', ')} to the existing table${removed.length ? ` (and moving it from ${removed.join(', ')})` : ''}, so the update fails.`
          : 'A witness can be removed only together with a replica (which turns the table into a single-Region table): removing it alone is rejected, so the update fails.',
      fix: withReplica
        ? 'Make sure the application no longer relies on strongly consistent reads across regions before it goes out.'
        : 'Keep `witnessRegion` as deployed. A strong-consistency table with another witness region is a new table: create it under a new construct id, copy the data, then move the traffic.',
    });
  }
  return findings;
}
