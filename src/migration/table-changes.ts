import { TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { MigrationFinding, MigrationFindingKind, MigrationSeverity } from './finding';
import { IndexDefinition, KeyAttributeDefinition, TableDefinition, TableResourceType } from '../model/table-definition';
import { ResolvedResource } from '../model/template-resolution';

/** One table on one side of the comparison: its definition plus the raw resource for what the definition does not keep. */
export interface TableSide {
  readonly definition: TableDefinition;
  readonly resource: any;
  /** Its condition and the properties conditions choose, when read from a template. */
  readonly resolution?: ResolvedResource;
  /** Parameters without value (and imports) its properties refer to. */
  readonly unresolved?: string[];
}

/** What the comparison of one table yields: its findings, and the one-change-per-deployment steps it needs. */
export interface TableChanges {
  readonly findings: MigrationFinding[];
  /** Ordered; each entry must go out in its own deployment. */
  readonly steps: string[];
}

const RETAINED = ['Retain', 'RetainExceptOnCreate'];

/** Compares one table present on both sides. */
export function compareTable(stack: string, before: TableSide, after: TableSide): TableChanges {
  const b = before.definition;
  const a = after.definition;
  const findings: MigrationFinding[] = [];
  const add = (kind: MigrationFindingKind, severity: MigrationSeverity, change: string, why: string, fix: string) =>
    findings.push({ kind, severity, stack, table: a.logicalId, change, why, fix });

  if (b.resourceType !== a.resourceType) {
    add(MigrationFindingKind.RESOURCE_TYPE_CHANGED, MigrationSeverity.ERROR,
      `resource type ${b.resourceType} -> ${a.resourceType} under the same logical id`,
      'CloudFormation cannot change the type of a resource in place and rejects the update.',
      b.resourceType === TableResourceType.TABLE
        ? 'To move a Table to TableV2 and keep the data: deploy once with RemovalPolicy.RETAIN, remove the Table from the stack, then bring the live table in as the TableV2 with `cdk import`.'
        : 'Keep the construct that emits the deployed resource type, or move with RemovalPolicy.RETAIN, removal from the stack and `cdk import`.');
    return { findings: [...findings, ...protectionFindings(stack, before, after)], steps: [] };
  }

  const replacedBy = replacementFindings(stack, before, after);
  findings.push(...replacedBy);
  findings.push(...protectionFindings(stack, before, after));
  if (replacedBy.length > 0) {
    // A replaced table is created from scratch with every index, stream and replica at once:
    // the in-place update rules below do not apply.
    return { findings, steps: [] };
  }

  const steps: string[] = [];
  const gsi = compareGlobalIndexes(b, a);
  const gsiCount = gsi.created.length + gsi.deleted.length + 2 * gsi.redefined.length;
  for (const index of gsi.redefined) {
    const old = b.globalSecondaryIndexes.find((i) => i.indexName === index)!;
    const now = a.globalSecondaryIndexes.find((i) => i.indexName === index)!;
    add(MigrationFindingKind.GLOBAL_INDEX_REDEFINED, MigrationSeverity.ERROR,
      `global secondary index ${index}: ${describeIndex(old)} -> ${describeIndex(now)}`,
      'A global secondary index\'s key schema and projection cannot change in place: it is a delete plus a create, which CloudFormation rejects as an update of the index.',
      `Either deploy once without ${index} and then with its new definition (queries on ${index} fail in between), or add the new definition under a new index name, move the queries to it, and delete ${index} in a later deployment.`);
  }
  // A lone redefinition is two operations too, but GLOBAL_INDEX_REDEFINED already says so.
  if (gsiCount > 1 && !(gsi.redefined.length === 1 && gsiCount === 2)) {
    const parts = [
      gsi.created.length ? `creates ${gsi.created.join(', ')}` : '',
      gsi.deleted.length ? `deletes ${gsi.deleted.join(', ')}` : '',
      gsi.redefined.length ? `deletes and re-creates ${gsi.redefined.join(', ')}` : '',
    ].filter((p) => p !== '');
    add(MigrationFindingKind.TOO_MANY_GLOBAL_INDEX_CHANGES, MigrationSeverity.ERROR,
      `${gsiCount} global secondary index creations or deletions in one update: ${parts.join('; ')}`,
      'CloudFormation creates or deletes at most one global secondary index per table in one update and fails the rest ("Cannot perform more than one GSI creation or deletion in a single update").',
      `Deploy in ${gsiCount} steps, one index creation or deletion each, in the order of the plan.`);
  }
  for (const index of gsi.created) {
    steps.push(`create global secondary index ${index}`);
  }
  for (const index of gsi.redefined) {
    steps.push(`delete global secondary index ${index} (its old definition)`);
    steps.push(`create global secondary index ${index} with its new key schema and projection`);
  }
  for (const index of gsi.deleted) {
    steps.push(`delete global secondary index ${index}`);
  }

  if (b.streamViewType !== undefined && a.streamViewType !== undefined && b.streamViewType !== a.streamViewType) {
    const replicated = a.replicas.length > 1;
    add(MigrationFindingKind.STREAM_VIEW_TYPE_CHANGED, MigrationSeverity.ERROR,
      `stream view type ${b.streamViewType} -> ${a.streamViewType}`,
      'DynamoDB cannot change the view type of an enabled stream ("Table already has an enabled stream"), so the update fails. Turning the stream off and on creates a new stream ARN with no history.',
      replicated
        ? 'A table with replicas needs its NEW_AND_OLD_IMAGES stream: keep it, and derive the view your consumers need in the consumer.'
        : `Deploy once without the stream, then with ${a.streamViewType}; consumers (event source mappings, pipes) must move to the new stream ARN and miss the changes in between.`);
    if (!replicated) {
      steps.push('remove the stream');
      steps.push(`enable the stream with ${a.streamViewType}`);
    }
  }

  if (b.streamViewType !== undefined && a.streamViewType === undefined) {
    const replicated = a.resourceType === TableResourceType.GLOBAL_TABLE && a.replicas.length > 1;
    add(MigrationFindingKind.STREAM_DISABLED, replicated ? MigrationSeverity.ERROR : MigrationSeverity.WARNING,
      `stream ${b.streamViewType} -> off`,
      replicated
        ? `A global table replicates through its stream: with replicas in ${a.replicas.map((r) => r.region).join(', ')}, DynamoDB refuses to turn it off and the update fails.`
        : 'Consumers of the stream (Lambda event source mappings, pipes, Kinesis adapters) stop receiving changes, its unread records are gone, and a stream turned on later has a new ARN.',
      replicated
        ? 'Keep the stream (`dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES`) while the table has replicas.'
        : 'Remove the consumers first, in an earlier deployment, then the stream.');
  }

  const ttlBefore = b.timeToLiveAttribute;
  const ttlAfter = a.timeToLiveAttribute;
  if (ttlBefore !== undefined && ttlAfter !== undefined && ttlBefore !== ttlAfter) {
    add(MigrationFindingKind.TIME_TO_LIVE_ATTRIBUTE_CHANGED, MigrationSeverity.ERROR,
      `time-to-live attribute ${ttlBefore} -> ${ttlAfter}`,
      'DynamoDB does not move time to live to another attribute while it is on ("TimeToLive is active on a different AttributeName"): it must be turned off, and it can be turned on again only once that change is processed, which takes up to an hour.',
      `Deploy once without \`timeToLiveAttribute\`, wait an hour, then deploy with \`timeToLiveAttribute: '${ttlAfter}'\`. Items keep expiring by ${ttlBefore} until then, and not at all in between.`);
    steps.push('turn time to live off');
    steps.push(`turn time to live on with ${ttlAfter} (at least an hour later)`);
  }

  const lowered = loweredWarmThroughput(before.resource, after.resource);
  if (lowered.length > 0) {
    add(MigrationFindingKind.WARM_THROUGHPUT_DECREASED, MigrationSeverity.ERROR,
      `warm throughput lowered: ${lowered.join('; ')}`,
      'Warm throughput can only be raised: DynamoDB rejects a lower value and the update fails.',
      'Keep the deployed warm throughput values (they cost nothing once paid for); raise them only when you mean to keep them.');
  }

  if (b.billingMode !== a.billingMode) {
    add(MigrationFindingKind.BILLING_MODE_SWITCHED, MigrationSeverity.WARNING,
      `billing mode ${b.billingMode} -> ${a.billingMode}`,
      'DynamoDB allows switching between on-demand and provisioned only once in 24 hours: a second switch within that window fails the deployment, and so does rolling this one back.',
      'Make sure the table was not switched in the last 24 hours, and do not plan to switch back within the next 24.');
  }

  if (a.resourceType === TableResourceType.GLOBAL_TABLE) {
    const beforeRegions = b.replicas.map((r) => regionLabel(r));
    const afterRegions = a.replicas.map((r) => regionLabel(r));
    const added = afterRegions.filter((r) => !beforeRegions.includes(r));
    const removed = beforeRegions.filter((r) => !afterRegions.includes(r));
    if (added.length + removed.length > 1) {
      const parts = [added.length ? `adds ${added.join(', ')}` : '', removed.length ? `removes ${removed.join(', ')}` : '']
        .filter((p) => p !== '');
      add(MigrationFindingKind.TOO_MANY_REPLICA_CHANGES, MigrationSeverity.ERROR,
        `${added.length + removed.length} replica changes in one update: ${parts.join('; ')}`,
        'CloudFormation adds or removes at most one replica of a global table in one update and fails the rest.',
        `Deploy in ${added.length + removed.length} steps, one replica region each, in the order of the plan.`);
    }
    for (const region of added) {
      steps.push(`add the replica in ${region}`);
    }
    for (const region of removed) {
      steps.push(`remove the replica in ${region}`);
    }
  }

  if (a.resourceType === TableResourceType.GLOBAL_TABLE) {
    findings.push(...strongConsistencyFindings(stack, before, after));
    findings.push(...sourceFindings(stack, before, after));
  }

  const beforeEncryption = describeEncryption(b);
  const afterEncryption = describeEncryption(a);
  if (beforeEncryption !== afterEncryption) {
    const downgrade = b.customerManagedKey && !a.customerManagedKey;
    add(MigrationFindingKind.ENCRYPTION_KEY_CHANGED, MigrationSeverity.WARNING,
      `encryption ${beforeEncryption} -> ${afterEncryption}`,
      downgrade
        ? 'The table leaves its customer-managed key: you lose control over key policy, rotation and the CloudTrail record of every decrypt.'
        : 'DynamoDB switches the table to the new key in the background and needs the old key until the switch completes; a table whose key is disabled or deleted becomes inaccessible.',
      'Keep the old key enabled (and in the stack, or retained) until the update completes, and make sure every role that reads the table may use the new key.');
  }

  return { findings, steps: steps.length > 1 ? steps : [] };
}

/** A table present before and absent after (by logical id), with no table of the same keys added anywhere. */
export function removedTable(stack: string, before: TableSide): MigrationFinding {
  const b = before.definition;
  const retained = RETAINED.includes(b.deletionPolicy ?? 'Delete');
  return {
    kind: MigrationFindingKind.TABLE_REMOVED,
    severity: retained ? MigrationSeverity.WARNING : MigrationSeverity.ERROR,
    stack,
    table: b.logicalId,
    change: `table ${b.logicalId} (${b.tableName ?? 'generated name'}) is no longer in the template`,
    why: retained
      ? `Its DeletionPolicy is ${b.deletionPolicy}: the table and its data stay, but leave the stack.`
      : 'Its DeletionPolicy is Delete: CloudFormation deletes the table and all its data.',
    fix: 'If the table is still needed, put it back. If it really goes, deploy it once with RemovalPolicy.RETAIN first, or take an on-demand backup.',
  };
}

/**
 * A table that left `fromStack` while `twin`, with the same keys, appeared under another logical id in
 * `toStack` (the same stack for a rename). CloudFormation sees a deletion and a creation, never a move.
 */
export function relocatedTable(fromStack: string, before: TableSide, toStack: string, twin: TableSide): MigrationFinding {
  const b = before.definition;
  const t = twin.definition;
  const moved = fromStack !== toStack;
  const retained = RETAINED.includes(b.deletionPolicy ?? 'Delete');
  const where = moved ? `${toStack}/${t.logicalId}` : t.logicalId;
  const fate = retained
    ? `${b.logicalId}'s DeletionPolicy is ${b.deletionPolicy}, so the old table and its data stay in the account, orphaned outside any stack, while the application is switched to the new, empty table.`
    : `${b.logicalId}'s DeletionPolicy is Delete, so CloudFormation deletes the old table and all its data, and the application is switched to the new, empty table.`;
  const sameName = b.tableName !== undefined && b.tableName === t.tableName
    ? ` Both declare the table name ${b.tableName}: creating ${t.logicalId} fails while the old table exists, so the deployment fails${moved ? ` (or, if ${fromStack} is updated first, it goes ahead only after the old table is gone)` : ''}.`
    : '';
  const pin = `\`(table.node.defaultChild as CfnResource).overrideLogicalId('${b.logicalId}')\``;
  const fix = moved
    ? `Keep the table in ${fromStack} (and share it with ${toStack} through a stack output or \`Table.fromTableArn\`), or move the resource itself with \`cdk refactor\`, or plan the move: deploy ${b.logicalId} with RemovalPolicy.RETAIN, remove it from ${fromStack}, and bring the live table into ${toStack} with \`cdk import\`; or copy the data (export to S3 and import, or a backfill from the stream) before switching the application. Then accept this finding (\`${MigrationFindingKind.TABLE_MOVED_BETWEEN_STACKS}:${b.logicalId}\` in \`--accept\` or \`accept\`).`
    : `Keep the construct id (and path) the deployed table has, or pin its logical id: ${pin} on the new construct. To really start a new table, plan it: copy the data (export to S3 and import, or a backfill from the stream) before switching the application, then accept this finding (\`${MigrationFindingKind.TABLE_RENAMED}:${b.logicalId}\` in \`--accept\` or \`accept\`).`;
  return {
    kind: moved ? MigrationFindingKind.TABLE_MOVED_BETWEEN_STACKS : MigrationFindingKind.TABLE_RENAMED,
    severity: MigrationSeverity.ERROR,
    stack: fromStack,
    table: b.logicalId,
    change: `table ${b.logicalId} (${b.tableName ?? 'generated name'}) ${moved ? `leaves stack ${fromStack}` : 'is gone'}; ${where} (${t.tableName ?? 'generated name'}) with the same keys (${describeKeys(b)}) appears ${moved ? `in stack ${toStack}` : 'under a new logical id'}`,
    why: `CloudFormation does not carry data from one logical id to another${moved ? ' or from one stack to another' : ''}: it creates ${where} as a new, empty table. ${fate}${sameName}`,
    fix,
  };
}

/** Whether `candidate` could be `table` under another logical id: the same key schema, with types. */
export function sameKeys(table: TableSide, candidate: TableSide): boolean {
  return describeKeys(table.definition) === describeKeys(candidate.definition);
}

/** Changes that make CloudFormation replace the table. */
function replacementFindings(stack: string, before: TableSide, after: TableSide): MigrationFinding[] {
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

/** Protections turned off: deletion protection, point-in-time recovery, the Retain policies. */
function protectionFindings(stack: string, before: TableSide, after: TableSide): MigrationFinding[] {
  const b = before.definition;
  const a = after.definition;
  const findings: MigrationFinding[] = [];
  const regionsLosing = (flag: (r: TableDefinition['replicas'][number]) => boolean) =>
    b.replicas
      .filter((r) => flag(r))
      .filter((r) => {
        const now = a.replicas.find((x) => x.region === r.region);
        return now !== undefined && !flag(now);
      })
      .map((r) => regionLabel(r));

  const unprotected = regionsLosing((r) => r.deletionProtection);
  if (unprotected.length > 0) {
    findings.push({
      kind: MigrationFindingKind.DELETION_PROTECTION_DISABLED,
      severity: MigrationSeverity.ERROR,
      stack,
      table: a.logicalId,
      change: `deletion protection on -> off in ${unprotected.join(', ')}`,
      why: 'Without deletion protection, a DeleteTable call, a stack deletion or a later replacement deletes the table and its data at once.',
      fix: 'Keep `deletionProtection: true`. If the table is really being retired, turn it off in its own reviewed change, with a backup taken.',
    });
  }
  const unrecoverable = regionsLosing((r) => r.pointInTimeRecovery);
  if (unrecoverable.length > 0) {
    findings.push({
      kind: MigrationFindingKind.POINT_IN_TIME_RECOVERY_DISABLED,
      severity: MigrationSeverity.ERROR,
      stack,
      table: a.logicalId,
      change: `point-in-time recovery on -> off in ${unrecoverable.join(', ')}`,
      why: 'Turning point-in-time recovery off discards the continuous backups: the table can no longer be restored to a moment before a bad write, and turning it back on starts from zero.',
      fix: 'Keep point-in-time recovery on (`pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }`).',
    });
  }
  const dropped = [
    ['DeletionPolicy', b.deletionPolicy, a.deletionPolicy],
    ['UpdateReplacePolicy', b.updateReplacePolicy, a.updateReplacePolicy],
  ].filter(([, was, now]) => RETAINED.includes(was ?? 'Delete') && !RETAINED.includes(now ?? 'Delete'))
    .map(([name, was, now]) => `${name} ${was} -> ${now ?? 'Delete'}`);
  if (dropped.length > 0) {
    findings.push({
      kind: MigrationFindingKind.RETAIN_POLICY_REMOVED,
      severity: MigrationSeverity.ERROR,
      stack,
      table: a.logicalId,
      change: dropped.join(', '),
      why: 'Without Retain, removing the table from the stack, deleting the stack or replacing the table deletes the table and all its data.',
      fix: 'Keep `removalPolicy: RemovalPolicy.RETAIN` on tables that hold data.',
    });
  }
  return findings;
}

interface GlobalIndexChanges {
  readonly created: string[];
  readonly deleted: string[];
  readonly redefined: string[];
}

function compareGlobalIndexes(b: TableDefinition, a: TableDefinition): GlobalIndexChanges {
  const beforeByName = new Map(b.globalSecondaryIndexes.map((i) => [i.indexName, i]));
  const afterByName = new Map(a.globalSecondaryIndexes.map((i) => [i.indexName, i]));
  return {
    created: [...afterByName.keys()].filter((n) => !beforeByName.has(n)),
    deleted: [...beforeByName.keys()].filter((n) => !afterByName.has(n)),
    redefined: [...afterByName.keys()].filter((n) => {
      const old = beforeByName.get(n);
      return old !== undefined && describeIndex(old) !== describeIndex(afterByName.get(n)!);
    }),
  };
}

function describeKey(key?: KeyAttributeDefinition): string {
  return key ? `${key.name} (${key.type})` : '-';
}

/** Everything about an index that cannot change in place; capacity can. */
function describeIndex(index: IndexDefinition): string {
  const projection = index.projectionType === 'INCLUDE'
    ? `INCLUDE [${[...index.nonKeyAttributes].sort().join(', ')}]`
    : index.projectionType;
  return `partition ${describeKey(index.partitionKey)}, sort ${describeKey(index.sortKey)}, ${projection}`;
}

function describeLocalIndex(index: IndexDefinition): string {
  return `${index.indexName} (${describeIndex(index)})`;
}

function describeEncryption(d: TableDefinition): string {
  if (d.customerManagedKey) {
    const keys = [...new Set(d.replicas.map((r) => r.kmsKey ?? '?'))];
    return `customer-managed key ${keys.join(', ')}`;
  }
  return d.encryption === TableEncryption.AWS_MANAGED ? 'AWS managed key' : 'AWS owned key';
}

function describeKeys(d: TableDefinition): string {
  // Two multi-account replicas have the same keys when they replicate the same source.
  if (d.globalTableSourceArn !== undefined && d.partitionKey === undefined) {
    return `those of the source ${d.globalTableSourceArn}`;
  }
  return `partition ${describeKey(d.partitionKey)}, sort ${describeKey(d.sortKey)}`;
}

/**
 * A multi-account replica whose source changed, or a table that became one or stopped being one.
 *
 * The source is given to DynamoDB only when the table is created (CreateTable's `GlobalTableSourceArn`;
 * UpdateTable has no such field), and CloudFormation's resource schema does not mark the property
 * create-only (cfn-lint 1.51.0's copy, December 2026): CloudFormation updates in place what DynamoDB
 * cannot change.
 */
function sourceFindings(stack: string, before: TableSide, after: TableSide): MigrationFinding[] {
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

function describeImport(resource: any): string {
  const spec = resource?.Properties?.ImportSourceSpecification;
  if (spec === undefined) {
    return 'none';
  }
  const source = spec.S3BucketSource ?? {};
  return `${spec.InputFormat ?? '?'} from s3://${stringifyValue(source.S3Bucket)}/${stringifyValue(source.S3KeyPrefix ?? '')}`;
}

function stringifyValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Warm throughput values (table and each global index) that are lower after than before. */
function loweredWarmThroughput(before: any, after: any): string[] {
  const lowered: string[] = [];
  const compare = (where: string, x: any, y: any) => {
    for (const field of ['ReadUnitsPerSecond', 'WriteUnitsPerSecond']) {
      const was = x?.[field];
      const now = y?.[field];
      if (typeof was === 'number' && typeof now === 'number' && now < was) {
        lowered.push(`${where} ${field} ${was} -> ${now}`);
      }
    }
  };
  compare('table', before?.Properties?.WarmThroughput, after?.Properties?.WarmThroughput);
  for (const gsi of after?.Properties?.GlobalSecondaryIndexes ?? []) {
    const old = (before?.Properties?.GlobalSecondaryIndexes ?? []).find((g: any) => g?.IndexName === gsi?.IndexName);
    compare(`index ${gsi?.IndexName}`, old?.WarmThroughput, gsi?.WarmThroughput);
  }
  return lowered;
}

/** Multi-region strong consistency: the mode and the witness are fixed when the global table is created. */
function strongConsistencyFindings(stack: string, before: TableSide, after: TableSide): MigrationFinding[] {
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

/** A replica's region as findings name it: the region, or `(stack region)` when the template does not name it. */
function regionLabel(r: { readonly region?: string; readonly inStackRegion: boolean }): string {
  return r.region ?? (r.inStackRegion ? '(stack region)' : '(unresolved region)');
}
