import { MigrationFinding, MigrationFindingKind, MigrationSeverity } from './finding';
import { protectionFindings } from './protection-changes';
import { replacementFindings, sourceFindings, strongConsistencyFindings } from './replacement-changes';
import { describeEncryption, describeIndex, describeKeys, regionLabel } from './table-descriptions';
import { RETAINED, TableSide } from './table-side';
import { TableDefinition, TableResourceType } from '../model/table-definition';

/** What the comparison of one table yields: its findings, and the one-change-per-deployment steps it needs. */
export interface TableChanges {
  readonly findings: MigrationFinding[];
  /** Ordered; each entry must go out in its own deployment. */
  readonly steps: string[];
}

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
