import { AccessPatternProps } from './access-pattern';
import { CapacityCalculator, ReadConsistency } from '../capacity/capacity-calculator';
import { formatKb, formatUnits } from '../capacity/format';
import { IndexDefinition, TableDefinition } from '../model/table-definition';
import { requirePartitionKey } from '../model/table-keys';

/**
 * How one access pattern is served by a table, as `AccessPatternReport.analyze()` finds it.
 */
export interface AccessPatternAnalysis {
  /** The pattern's name. */
  readonly name: string;
  /** The index read, or `(table)`. */
  readonly index: string;
  /** `TABLE`, `GLOBAL` or `LOCAL`. */
  readonly scope: string;
  /** `GetItem` or `Query`. */
  readonly operation: string;
  /** Calls per use of the pattern: the number of partition key shards. */
  readonly calls: number;
  /** The key condition, e.g. `PK = 'CUST#<id>' AND begins_with(SK, 'ORDER#')`. */
  readonly keyCondition: string;
  /** The attributes the table or index holds for each item: `ALL`, or the key and projected attributes. */
  readonly projectedAttributes: string[];
  /** The read units one use of the pattern consumes for a typical result. */
  readonly readCapacityUnits: number;
  /** How `readCapacityUnits` was computed. */
  readonly readCost: string;
  /** Why the pattern cannot be served as declared; empty when it can. */
  readonly errors: string[];
}

/**
 * Checks access patterns against a table definition and renders them as a Markdown report with a Mermaid
 * diagram: the report `BlueprintTable.addAccessPattern()` writes into the cloud assembly.
 */
export class AccessPatternReport {
  /**
   * How each pattern is served, and why any cannot be.
   *
   * @param table the table
   * @param patterns the patterns
   */
  public static analyze(table: TableDefinition, patterns: AccessPatternProps[]): AccessPatternAnalysis[] {
    return patterns.map((p) => analyzePattern(table, p));
  }


  /**
   * The report: a Markdown table of the patterns and a Mermaid diagram of the table, its indexes and
   * which pattern uses which.
   *
   * @param title the heading, e.g. `OrdersLab / LabOrders`
   * @param table the table
   * @param patterns the patterns
   */
  public static markdown(title: string, table: TableDefinition, patterns: AccessPatternProps[]): string {
    const analyses = AccessPatternReport.analyze(table, patterns);
    const key = (k?: { name: string }) => (k ? `\`${k.name}\`` : 'none');
    const cell = (text: string) => text.replace(/\|/g, '\\|');
    const lines = [
      `# Access patterns: ${title}`,
      '',
      `Table \`${table.tableName ?? table.logicalId}\` (${table.resourceType}): partition key ${key(table.partitionKey)}, sort key ${key(table.sortKey)}; `
        + `${table.globalSecondaryIndexes.length} global and ${table.localSecondaryIndexes.length} local secondary index(es).`,
      '',
      '| Pattern | Index | Operation | Key condition | Returns | Projected attributes | Read cost per call |',
      '|---|---|---|---|---|---|---|',
      ...analyses.map((a, i) => `| ${[
        a.name,
        a.index,
        a.calls > 1 ? `${a.operation} x ${a.calls} shards` : a.operation,
        `\`${a.keyCondition}\``,
        (patterns[i].returns ?? []).join(', ') || '(not declared)',
        a.projectedAttributes.join(', '),
        a.errors.length > 0 ? 'INVALID' : `${formatUnits(a.readCapacityUnits)} RCU (${a.readCost})`,
      ].map(cell).join(' | ')} |`),
      '',
      ...patterns.filter((p) => p.description !== undefined).map((p) => `- \`${p.name}\`: ${p.description}`),
    ];
    if (patterns.some((p) => p.description !== undefined)) {
      lines.push('');
    }
    const invalid = analyses.filter((a) => a.errors.length > 0);
    if (invalid.length > 0) {
      lines.push('## Errors', '', ...invalid.flatMap((a) => a.errors.map((e) => `- ${e}`)), '');
    }
    lines.push('## Diagram', '', '```mermaid', ...mermaid(table, patterns, analyses), '```', '');
    return lines.join('\n');
  }

  private constructor() {}
}

function analyzePattern(table: TableDefinition, p: AccessPatternProps): AccessPatternAnalysis {
  const where = `Access pattern '${p.name}'`;
  const errors: string[] = [];
  const indexes = [...table.globalSecondaryIndexes, ...table.localSecondaryIndexes];
  const tableName = table.tableName ?? table.logicalId;
  let index: IndexDefinition | undefined;
  if (p.index !== undefined) {
    index = indexes.find((i) => i.indexName === p.index);
    if (index === undefined) {
      errors.push(`${where}: \`index\` is '${p.index}', which is not an index of table ${tableName} (its indexes: ${indexes.map((i) => i.indexName).join(', ') || 'none'}). `
        + 'Add the index to the table, fix the name, or leave `index` unset to read the table.');
    }
  }
  const scope = index?.scope ?? (p.index === undefined ? 'TABLE' : 'UNKNOWN');
  const target = index === undefined ? 'the table' : `${index.scope === 'GLOBAL' ? 'global' : 'local'} secondary index ${index.indexName}`;
  const partitionKey = index?.partitionKey.name ?? requirePartitionKey(table, 'an access pattern').name;
  const sortKey = index === undefined ? (p.index === undefined ? table.sortKey?.name : undefined) : index.sortKey?.name;
  const known = p.index === undefined || index !== undefined;

  if (known && p.partitionKey !== partitionKey) {
    errors.push(`${where}: \`partitionKey\` is '${p.partitionKey}', but ${target} is keyed by partition key '${partitionKey}': `
      + `a read that gives no value for '${partitionKey}' is a Scan. Query by '${partitionKey}', or add an index whose partition key is '${p.partitionKey}'.`);
  }
  if (known && p.sortKeyCondition !== undefined && sortKey === undefined) {
    errors.push(`${where}: \`sortKeyCondition\` is ${p.sortKeyCondition.render(p.sortKey ?? '<sort key>')}, but ${target} has no sort key: `
      + 'drop the condition (a read by partition key alone), or read a table or index with a sort key.');
  } else if (known && p.sortKey !== undefined && sortKey !== undefined && p.sortKey !== sortKey) {
    errors.push(`${where}: \`sortKey\` is '${p.sortKey}', but the sort key of ${target} is '${sortKey}': a condition on another attribute is a filter, not a key condition. `
      + `Put the condition on '${sortKey}', or add an index sorted by '${p.sortKey}'.`);
  }
  if (index?.scope === 'GLOBAL' && p.consistentRead) {
    errors.push(`${where}: \`consistentRead\` is true on global secondary index ${index.indexName}, which DynamoDB rejects (ValidationException: consistent reads are not supported on global secondary indexes). `
      + 'Set consistentRead to false, or read the table or a local secondary index.');
  }

  const tableKeys = [requirePartitionKey(table, 'an access pattern').name, table.sortKey?.name].filter((n): n is string => n !== undefined);
  let projected: string[];
  if (index === undefined || index.projectionType === 'ALL') {
    projected = ['ALL'];
  } else {
    const keys = [...new Set([...tableKeys, index.partitionKey.name, ...(index.sortKey ? [index.sortKey.name] : [])])];
    projected = [...keys, ...index.nonKeyAttributes];
    const missing = (p.returns ?? []).filter((a) => !projected.includes(a));
    if (missing.length > 0 && index.scope === 'GLOBAL') {
      errors.push(`${where}: \`returns\` lists ${missing.map((m) => `'${m}'`).join(', ')}, which global secondary index ${index.indexName} does not project (${index.projectionType}: ${projected.join(', ')}): `
        + `a Query on it returns items without ${missing.length > 1 ? 'them' : 'it'}, silently. Add ${missing.length > 1 ? 'them' : 'it'} to the index's \`IndexProjection.include([...])\` (a projection change recreates the index), or drop ${missing.length > 1 ? 'them' : 'it'} from \`returns\`.`);
    }
  }

  const isGet = scope === 'TABLE'
    && ((table.sortKey === undefined && p.sortKeyCondition === undefined) || (table.sortKey !== undefined && p.sortKeyCondition?.operator === '='));
  const operation = isGet ? 'GetItem' : 'Query';
  const calls = p.partitionKeyShards ?? 1;
  const items = p.typicalResultItems ?? (isGet ? 1 : 10);
  const size = p.typicalItemSizeBytes ?? 1024;
  const consistency = p.consistentRead ? ReadConsistency.STRONG : ReadConsistency.EVENTUAL;
  const perCall = Math.ceil(items / calls);
  const units = calls * CapacityCalculator.readUnits(perCall * size, consistency);
  const readCost = `${items} x ${formatKb(size)}${calls > 1 ? ` over ${calls} queries` : ''}, ${consistency.toLowerCase()}`;

  const pkValue = p.partitionKeyValue ?? `:${p.partitionKey}`;
  const keyCondition = [
    `${p.partitionKey} = ${pkValue.startsWith(':') ? pkValue : `'${pkValue}'`}${calls > 1 ? ` (#0..#${calls - 1})` : ''}`,
    ...(p.sortKeyCondition ? [p.sortKeyCondition.render(p.sortKey ?? sortKey ?? '<sort key>')] : []),
  ].join(' AND ');

  return {
    name: p.name,
    index: p.index ?? '(table)',
    scope,
    operation,
    calls,
    keyCondition,
    projectedAttributes: projected,
    readCapacityUnits: units,
    readCost,
    errors,
  };
}

function mermaid(table: TableDefinition, patterns: AccessPatternProps[], analyses: AccessPatternAnalysis[]): string[] {
  const id = (prefix: string, name: string) => `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const label = (text: string) => text.replace(/"/g, '#quot;');
  const keys = (pk: string, sk?: string) => (sk ? `${pk} / ${sk}` : pk);
  const lines = ['flowchart LR'];
  lines.push(`  table[("${label(`${table.tableName ?? table.logicalId}<br/>${keys(requirePartitionKey(table, 'the access-pattern report').name, table.sortKey?.name)}`)}")]`);
  for (const index of [...table.globalSecondaryIndexes, ...table.localSecondaryIndexes]) {
    const projection = index.projectionType === 'INCLUDE' ? `INCLUDE ${index.nonKeyAttributes.join(', ')}` : index.projectionType;
    const kind = index.scope === 'GLOBAL' ? 'GSI' : 'LSI';
    lines.push(`  ${id('index', index.indexName)}[["${label(`${kind} ${index.indexName}<br/>${keys(index.partitionKey.name, index.sortKey?.name)}<br/>${projection}`)}"]]`);
    lines.push(`  table -->|projects| ${id('index', index.indexName)}`);
  }
  analyses.forEach((a, i) => {
    const target = patterns[i].index === undefined ? 'table' : id('index', patterns[i].index!);
    const edge = a.errors.length > 0 ? '-.->|INVALID|' : `-->|${a.calls > 1 ? `${a.operation} x${a.calls}` : a.operation}|`;
    lines.push(`  ${id('pattern', a.name)}(["${label(a.name)}"]) ${edge} ${target}`);
  });
  return lines;
}
