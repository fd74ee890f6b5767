import { CapacityCalculator } from './capacity-calculator';
import { ItemSize } from './item-size';
import { validateItemSize } from './item-size-validation';
import { IndexDefinition, TableDefinition } from '../model/table-definition';
import { requirePartitionKey } from '../model/table-keys';
import { hostError } from '../private/host-language';

/**
 * What a write does to the item, which decides what it does to each index.
 */
export enum ItemWriteKind {
  /** A put of a new item: one put into every index whose keys the item has. */
  INSERT = 'INSERT',
  /**
   * An update of an existing item: no index write unless a projected attribute changes (one write),
   * or an index key changes (a delete of the old index entry plus a put of the new one: two writes).
   */
  UPDATE = 'UPDATE',
  /** A delete: one delete from every index the item was in. */
  DELETE = 'DELETE',
}

/**
 * The size of one index's entries, when it is known better than the calculator can guess.
 */
export interface IndexEntrySize {
  /** The index name. */
  readonly indexName: string;
  /** The size in bytes of one index entry: the table and index keys plus the projected attributes. */
  readonly sizeBytes: number;
}

/**
 * One item write to price across a table and its indexes.
 */
export interface ItemWriteProps {
  /** What the write does to the item. */
  readonly kind: ItemWriteKind;

  /**
   * The item, as plain values (`{ PK: 'TASK#1', title: 'Buy milk' }`): gives exact index entry sizes,
   * and an index whose keys the item lacks (a sparse index) is not written.
   *
   * Note: for `UPDATE`, the item after the update; for `DELETE`, the deleted item.
   *
   * @default - `itemSizeBytes` is used, and every index is assumed to hold the item
   */
  readonly item?: any;

  /**
   * The item size in bytes, when no `item` is given.
   *
   * @default - the size of `item`; one of the two is required
   */
  readonly itemSizeBytes?: number;

  /**
   * For `UPDATE`: the attributes the update sets or removes.
   *
   * @default - every non-key attribute changes and no index key does
   */
  readonly changedAttributes?: string[];

  /**
   * Known index entry sizes, which replace the calculator's estimate for those indexes.
   *
   * @default - computed from `item`; without it `ALL` uses the item size, `KEYS_ONLY` assumes keys under
   * 1 KB, and `INCLUDE` uses the item size as an upper bound
   */
  readonly indexEntrySizes?: IndexEntrySize[];
}

/**
 * The write units one item write costs in one place: the table or one of its indexes.
 */
export interface IndexWriteCost {
  /** The index name, or `(table)`. */
  readonly indexName: string;
  /** `TABLE`, `GLOBAL` or `LOCAL`. */
  readonly scope: string;
  /** The index projection type (`KEYS_ONLY`, `INCLUDE`, `ALL`); `ALL` for the table. */
  readonly projectionType: string;
  /** How many writes land there: 0, 1, or 2 (a delete plus a put when an index key changes). */
  readonly writes: number;
  /** The size in bytes of one entry written. */
  readonly entrySizeBytes: number;
  /** Write capacity units consumed there. Local index writes are paid from the table's capacity. */
  readonly writeCapacityUnits: number;
  /** Why, in one sentence. */
  readonly reason: string;
}

/**
 * The write units one item write costs in a table and in each of its indexes.
 */
export interface WriteAmplification {
  /** The logical id of the table resource. */
  readonly table: string;
  /** What the write does to the item. */
  readonly kind: ItemWriteKind;
  /** The table and then each index, in the order the template declares them. */
  readonly costs: IndexWriteCost[];
  /** Write capacity units in the table alone. */
  readonly tableWriteCapacityUnits: number;
  /** Write capacity units in the table and every index. */
  readonly totalWriteCapacityUnits: number;
  /** `totalWriteCapacityUnits / tableWriteCapacityUnits`: 1 means the indexes cost nothing extra. */
  readonly factor: number;
}

/**
 * Index write amplification: what one item write costs once every secondary index has been kept in sync.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes
 */
export class IndexWriteAmplification {
  /**
   * The write units one item write costs in a table and each of its indexes.
   *
   * @param table the table, from `TableDefinitions.fromTemplate()` or `SynthesizedTableDefinition.of()`
   * @param props the write
   */
  public static forTable(table: TableDefinition, props: ItemWriteProps): WriteAmplification {
    if (!Object.values(ItemWriteKind).includes(props.kind)) {
      throw hostError(`\`kind\` is ${JSON.stringify(props.kind)}: it must be INSERT, UPDATE or DELETE.`);
    }
    if (props.item === undefined && props.itemSizeBytes === undefined) {
      throw hostError('`item` or `itemSizeBytes` is required: give the item (exact index entry sizes) or its size in bytes.');
    }
    if (props.item !== undefined && props.itemSizeBytes !== undefined) {
      throw hostError('`item` and `itemSizeBytes` are both set: give one, the item when you have one.');
    }
    if (props.changedAttributes !== undefined && props.kind !== ItemWriteKind.UPDATE) {
      throw hostError(`\`changedAttributes\` is set for a ${props.kind}: only an UPDATE changes some attributes and not others. Drop it.`);
    }
    const itemSize = props.item !== undefined
      ? validateItemSize('item (its size)', ItemSize.ofItem(props.item))
      : validateItemSize('itemSizeBytes', props.itemSizeBytes!);
    const indexes = [...table.globalSecondaryIndexes, ...table.localSecondaryIndexes];
    for (const known of props.indexEntrySizes ?? []) {
      if (!indexes.some((i) => i.indexName === known.indexName)) {
        throw hostError(`\`indexEntrySizes\` names '${known.indexName}', which is not an index of ${table.logicalId} (${indexes.map((i) => i.indexName).join(', ') || 'no indexes'}).`);
      }
      validateItemSize(`indexEntrySizes[${known.indexName}].sizeBytes`, known.sizeBytes);
    }

    const tableUnits = CapacityCalculator.writeUnits(itemSize, false);
    const costs: IndexWriteCost[] = [{
      indexName: '(table)',
      scope: 'TABLE',
      projectionType: 'ALL',
      writes: 1,
      entrySizeBytes: itemSize,
      writeCapacityUnits: tableUnits,
      reason: `${props.kind.toLowerCase()} of a ${itemSize}-byte item`,
    }];
    for (const index of indexes) {
      costs.push(IndexWriteAmplification.indexCost(table, index, props, itemSize));
    }
    const total = costs.reduce((sum, c) => sum + c.writeCapacityUnits, 0);
    return {
      table: table.logicalId,
      kind: props.kind,
      costs,
      tableWriteCapacityUnits: tableUnits,
      totalWriteCapacityUnits: total,
      factor: total / tableUnits,
    };
  }

  private static indexCost(table: TableDefinition, index: IndexDefinition, props: ItemWriteProps, itemSize: number): IndexWriteCost {
    const indexKeys = [index.partitionKey.name, index.sortKey?.name].filter((n): n is string => n !== undefined);
    const tableKeys = [requirePartitionKey(table, 'the index write amplification').name, table.sortKey?.name].filter((n): n is string => n !== undefined);
    const entry = IndexWriteAmplification.entrySize(index, props, itemSize, [...new Set([...tableKeys, ...indexKeys])]);
    const base = { indexName: index.indexName, scope: index.scope, projectionType: index.projectionType, entrySizeBytes: entry.size };
    const none = (reason: string): IndexWriteCost => ({ ...base, writes: 0, writeCapacityUnits: 0, reason });
    const units = CapacityCalculator.writeUnits(entry.size, false);

    if (props.item !== undefined && indexKeys.some((k) => props.item[k] === undefined || props.item[k] === null)) {
      return none(`the item has no ${indexKeys.filter((k) => props.item[k] === undefined || props.item[k] === null).join('/')}, so it is not in this sparse index`);
    }
    switch (props.kind) {
      case ItemWriteKind.INSERT:
        return { ...base, writes: 1, writeCapacityUnits: units, reason: `a put of the ${entry.size}-byte index entry (${entry.how})` };
      case ItemWriteKind.DELETE:
        return { ...base, writes: 1, writeCapacityUnits: units, reason: `a delete of the ${entry.size}-byte index entry (${entry.how})` };
      default: {
        const changed = props.changedAttributes;
        const changedKeys = (changed ?? []).filter((a) => indexKeys.includes(a) && !tableKeys.includes(a));
        if (changedKeys.length > 0) {
          return {
            ...base,
            writes: 2,
            writeCapacityUnits: 2 * units,
            reason: `the update changes the index key ${changedKeys.join('/')}: a delete of the old entry plus a put of the new one (${entry.size} bytes each, ${entry.how})`,
          };
        }
        const projected = changed === undefined
          ? (index.projectionType === 'KEYS_ONLY' ? [] : ['(non-key attributes)'])
          : changed.filter((a) => index.projectionType === 'ALL' || index.nonKeyAttributes.includes(a));
        if (projected.length === 0) {
          return none(changed === undefined
            ? 'a KEYS_ONLY index is not written when no key changes'
            : `the update changes no attribute this index holds (${[...indexKeys, ...index.nonKeyAttributes].join(', ')})`);
        }
        return {
          ...base,
          writes: 1,
          writeCapacityUnits: units,
          reason: `the update changes the projected ${projected.join(', ')}: one write of the ${entry.size}-byte entry (${entry.how})`,
        };
      }
    }
  }

  private static entrySize(index: IndexDefinition, props: ItemWriteProps, itemSize: number, keys: string[]): { size: number; how: string } {
    const known = props.indexEntrySizes?.find((k) => k.indexName === index.indexName);
    if (known !== undefined) {
      return { size: Math.ceil(known.sizeBytes), how: 'size given' };
    }
    if (index.projectionType === 'ALL') {
      return { size: itemSize, how: 'ALL projects the whole item' };
    }
    if (props.item !== undefined) {
      const projected: Record<string, unknown> = {};
      for (const name of [...keys, ...(index.projectionType === 'INCLUDE' ? index.nonKeyAttributes : [])]) {
        if (props.item[name] !== undefined) {
          projected[name] = props.item[name];
        }
      }
      return { size: ItemSize.ofItem(projected), how: `${index.projectionType} of the item's ${Object.keys(projected).join(', ')}` };
    }
    if (index.projectionType === 'KEYS_ONLY') {
      return { size: Math.min(itemSize, 1024), how: 'KEYS_ONLY, keys assumed under 1 KB' };
    }
    return { size: itemSize, how: 'INCLUDE, the item size as an upper bound; pass `item` or `indexEntrySizes` for the exact size' };
  }

  private constructor() {}
}
