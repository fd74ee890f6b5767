import { formatKb, formatUnits } from './format';
import { validateItemSize } from './item-size-validation';
import { hostError } from '../private/host-language';
import { MAX_BATCH_GET_ITEMS, MAX_BATCH_WRITE_ITEMS, MAX_TRANSACTION_ITEMS, READ_UNIT_BYTES, WRITE_UNIT_BYTES } from '../private/limits';


/**
 * A DynamoDB data-plane operation whose capacity can be calculated.
 */
export enum CapacityOperation {
  /** `GetItem`: one item by its full primary key. */
  GET_ITEM = 'GetItem',
  /** `Query`: items of one partition key; the sizes of all items read are summed, then rounded up to 4 KB. */
  QUERY = 'Query',
  /** `Scan`: every item of a table or index; summed and rounded like a `Query`. */
  SCAN = 'Scan',
  /** `BatchGetItem`: each item is rounded up to 4 KB on its own. */
  BATCH_GET_ITEM = 'BatchGetItem',
  /** `PutItem`: 1 KB write units. */
  PUT_ITEM = 'PutItem',
  /** `UpdateItem`: 1 KB write units of the larger of the item before and after the update. */
  UPDATE_ITEM = 'UpdateItem',
  /** `DeleteItem`: 1 KB write units of the deleted item. */
  DELETE_ITEM = 'DeleteItem',
  /** `BatchWriteItem`: the sum of its puts and deletes, no discount. */
  BATCH_WRITE_ITEM = 'BatchWriteItem',
  /** `TransactGetItems`: twice the read units of a strongly consistent read, per item. */
  TRANSACT_GET_ITEMS = 'TransactGetItems',
  /** `TransactWriteItems`: twice the write units, per item. */
  TRANSACT_WRITE_ITEMS = 'TransactWriteItems',
}

/**
 * How a read is served, which sets its price in read units.
 */
export enum ReadConsistency {
  /** Eventually consistent (the default): half a read unit per 4 KB. */
  EVENTUAL = 'EVENTUAL',
  /** Strongly consistent: one read unit per 4 KB. Not available on global secondary indexes. */
  STRONG = 'STRONG',
  /** Transactional (`TransactGetItems`): two read units per 4 KB. */
  TRANSACTIONAL = 'TRANSACTIONAL',
}

/**
 * An operation to price in capacity units.
 */
export interface OperationCapacityProps {
  /**
   * The operation.
   */
  readonly operation: CapacityOperation;

  /**
   * The size in bytes of each item read or written (attribute names and values; see `ItemSize`).
   *
   * Note: for `UpdateItem`, the size of the item after the update.
   *
   * @default - required unless `itemSizesBytes` is set
   */
  readonly itemSizeBytes?: number;

  /**
   * The size in bytes of every item, one entry per item, when they differ.
   *
   * @default - `items` items of `itemSizeBytes` each
   */
  readonly itemSizesBytes?: number[];

  /**
   * How many items the operation reads or writes: the items a `Query` or `Scan` reads (before any
   * filter expression), or the items of a batch or transaction.
   *
   * @default 1
   */
  readonly items?: number;

  /**
   * The read consistency, for reads.
   *
   * Note: transactions are always `TRANSACTIONAL`; writes take no consistency.
   *
   * @default ReadConsistency.EVENTUAL for GetItem, Query, Scan and BatchGetItem
   */
  readonly consistency?: ReadConsistency;

  /**
   * For `UpdateItem`: the size in bytes of the item before the update. The update costs the larger of the two.
   *
   * @default - the same as `itemSizeBytes` (an update that does not change the item's size)
   */
  readonly previousItemSizeBytes?: number;

  /**
   * Whether a `Query` or `Scan` reads a global secondary index (which serves only eventually consistent reads).
   *
   * @default false
   */
  readonly readsGlobalSecondaryIndex?: boolean;
}

/**
 * The capacity units one call consumes.
 */
export interface ConsumedCapacity {
  /** The operation. */
  readonly operation: CapacityOperation;
  /** Read capacity units (read request units, on demand). 0 for writes. */
  readonly readCapacityUnits: number;
  /** Write capacity units (write request units, on demand). 0 for reads. */
  readonly writeCapacityUnits: number;
  /** The read consistency, for reads. @default - a write */
  readonly consistency?: ReadConsistency;
  /** The number of items read or written. */
  readonly items: number;
  /** The bytes the units were computed from, summed over the items. */
  readonly totalSizeBytes: number;
  /** How the units were computed, in one line. */
  readonly explanation: string;
}

/**
 * Read and write capacity unit arithmetic for every DynamoDB data-plane operation.
 *
 * 1 WCU is one write of up to 1 KB; 1 RCU is one strongly consistent read of up to 4 KB, two eventually
 * consistent ones, or half a transactional one. Sizes round up, and every call costs at least one unit.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 */
export class CapacityCalculator {
  /**
   * The capacity one call of an operation consumes.
   *
   * @param props the operation, its item sizes and consistency
   */
  public static forOperation(props: OperationCapacityProps): ConsumedCapacity {
    const operation = props.operation;
    if (!Object.values(CapacityOperation).includes(operation)) {
      throw hostError(`\`operation\` is ${JSON.stringify(operation)}: it must be one of ${Object.values(CapacityOperation).join(', ')}.`);
    }
    const sizes = CapacityCalculator.itemSizes(props);
    const items = sizes.length;
    const totalSizeBytes = sizes.reduce((a, b) => a + b, 0);
    const isRead = READS.includes(operation);
    const consistency = CapacityCalculator.resolveConsistency(props, isRead);
    CapacityCalculator.validateItemCount(operation, items);

    if (props.previousItemSizeBytes !== undefined && operation !== CapacityOperation.UPDATE_ITEM) {
      throw hostError(`\`previousItemSizeBytes\` is set for ${operation}: only UpdateItem reads the item before it changes. Drop it.`);
    }

    switch (operation) {
      case CapacityOperation.GET_ITEM:
      case CapacityOperation.BATCH_GET_ITEM:
      case CapacityOperation.TRANSACT_GET_ITEMS: {
        const units = sizes.reduce((sum, s) => sum + CapacityCalculator.readUnits(s, consistency!), 0);
        const blocks = sizes.reduce((sum, s) => sum + blocksOf(s, READ_UNIT_BYTES), 0);
        return {
          operation,
          consistency,
          items,
          totalSizeBytes,
          readCapacityUnits: units,
          writeCapacityUnits: 0,
          explanation: `${items} item(s), each rounded up to 4 KB on its own: ${blocks} x 4 KB x ${READ_FACTOR[consistency!]} (${consistency!.toLowerCase()}) = ${formatUnits(units)} RCU`,
        };
      }
      case CapacityOperation.QUERY:
      case CapacityOperation.SCAN: {
        const units = CapacityCalculator.readUnits(totalSizeBytes, consistency!);
        const blocks = blocksOf(totalSizeBytes, READ_UNIT_BYTES);
        return {
          operation,
          consistency,
          items,
          totalSizeBytes,
          readCapacityUnits: units,
          writeCapacityUnits: 0,
          explanation: `${items} item(s) summed to ${formatKb(totalSizeBytes)}, rounded up to ${blocks * 4} KB: ${blocks} x 4 KB x ${READ_FACTOR[consistency!]} (${consistency!.toLowerCase()}) = ${formatUnits(units)} RCU`,
        };
      }
      case CapacityOperation.UPDATE_ITEM: {
        const before = props.previousItemSizeBytes === undefined
          ? sizes[0]
          : validateItemSize('previousItemSizeBytes', props.previousItemSizeBytes);
        const larger = Math.max(before, sizes[0]);
        const units = CapacityCalculator.writeUnits(larger, false);
        return {
          operation,
          items,
          totalSizeBytes: larger,
          readCapacityUnits: 0,
          writeCapacityUnits: units,
          explanation: `the larger of the item before (${formatKb(before)}) and after (${formatKb(sizes[0])}) the update, rounded up to 1 KB: ${units} WCU`,
        };
      }
      default: {
        const transactional = operation === CapacityOperation.TRANSACT_WRITE_ITEMS;
        const units = sizes.reduce((sum, s) => sum + CapacityCalculator.writeUnits(s, transactional), 0);
        const blocks = sizes.reduce((sum, s) => sum + blocksOf(s, WRITE_UNIT_BYTES), 0);
        return {
          operation,
          items,
          totalSizeBytes,
          readCapacityUnits: 0,
          writeCapacityUnits: units,
          explanation: `${items} item(s), each rounded up to 1 KB on its own: ${blocks} x 1 KB${transactional ? ' x 2 (transactional)' : ''} = ${units} WCU`,
        };
      }
    }
  }

  /**
   * Read units for reading `sizeBytes` in one unit of work (one item, or the summed items of a `Query`).
   *
   * @param sizeBytes the bytes read
   * @param consistency the read consistency
   */
  public static readUnits(sizeBytes: number, consistency: ReadConsistency): number {
    const blocks = blocksOf(sizeBytes, READ_UNIT_BYTES);
    return blocks * READ_FACTOR[consistency];
  }

  /**
   * Write units for writing one item of `sizeBytes`.
   *
   * @param sizeBytes the item size
   * @param transactional whether the write is part of `TransactWriteItems` (twice the units)
   */
  public static writeUnits(sizeBytes: number, transactional: boolean): number {
    const blocks = blocksOf(sizeBytes, WRITE_UNIT_BYTES);
    return blocks * (transactional ? 2 : 1);
  }

  private static itemSizes(props: OperationCapacityProps): number[] {
    if (props.itemSizesBytes !== undefined) {
      if (props.itemSizeBytes !== undefined || props.items !== undefined) {
        throw hostError('`itemSizesBytes` is set together with `itemSizeBytes` or `items`: give either one size per item in `itemSizesBytes`, or `itemSizeBytes` and `items`.');
      }
      if (!Array.isArray(props.itemSizesBytes) || props.itemSizesBytes.length === 0) {
        throw hostError('`itemSizesBytes` is empty: list the size of each item read or written.');
      }
      return props.itemSizesBytes.map((s, i) => validateItemSize(`itemSizesBytes[${i}]`, s));
    }
    if (props.itemSizeBytes === undefined) {
      throw hostError('`itemSizeBytes` is required: give the size in bytes of each item (`ItemSize.ofItem()` computes it from an item).');
    }
    const size = validateItemSize('itemSizeBytes', props.itemSizeBytes);
    const items = props.items ?? 1;
    if (!Number.isInteger(items) || items < 1) {
      throw hostError(`\`items\` is ${items}: it must be a whole number of at least 1.`);
    }
    return new Array<number>(items).fill(size);
  }

  private static resolveConsistency(props: OperationCapacityProps, isRead: boolean): ReadConsistency | undefined {
    const { operation, consistency } = props;
    if (consistency !== undefined && !Object.values(ReadConsistency).includes(consistency)) {
      throw hostError(`\`consistency\` is ${JSON.stringify(consistency)}: it must be EVENTUAL or STRONG (TRANSACTIONAL for TransactGetItems).`);
    }
    if (props.readsGlobalSecondaryIndex && operation !== CapacityOperation.QUERY && operation !== CapacityOperation.SCAN) {
      throw hostError(`\`readsGlobalSecondaryIndex\` is set for ${operation}: only Query and Scan read an index. Drop it, or use Query.`);
    }
    if (!isRead) {
      if (consistency !== undefined) {
        throw hostError(`\`consistency\` is ${consistency} for ${operation}, a write: consistency applies to reads only. Drop it.`);
      }
      return undefined;
    }
    if (operation === CapacityOperation.TRANSACT_GET_ITEMS) {
      if (consistency !== undefined && consistency !== ReadConsistency.TRANSACTIONAL) {
        throw hostError(`\`consistency\` is ${consistency} for TransactGetItems: transactional reads always cost twice a strongly consistent read. Drop it, or use GetItem/BatchGetItem for ${consistency.toLowerCase()} reads.`);
      }
      return ReadConsistency.TRANSACTIONAL;
    }
    if (consistency === ReadConsistency.TRANSACTIONAL) {
      throw hostError(`\`consistency\` is TRANSACTIONAL for ${operation}: only TransactGetItems reads transactionally. Use operation TransactGetItems, or EVENTUAL/STRONG.`);
    }
    if (consistency === ReadConsistency.STRONG && props.readsGlobalSecondaryIndex) {
      throw hostError('`consistency` is STRONG on a global secondary index: DynamoDB rejects strongly consistent reads on a GSI (ValidationException). Read the GSI with EVENTUAL consistency, or query the base table or a local secondary index.');
    }
    return consistency ?? ReadConsistency.EVENTUAL;
  }

  private static validateItemCount(operation: CapacityOperation, items: number): void {
    const single = [CapacityOperation.GET_ITEM, CapacityOperation.PUT_ITEM, CapacityOperation.UPDATE_ITEM, CapacityOperation.DELETE_ITEM];
    if (single.includes(operation) && items !== 1) {
      const batch = operation === CapacityOperation.GET_ITEM ? 'BatchGetItem or TransactGetItems' : 'BatchWriteItem or TransactWriteItems';
      throw hostError(`\`items\` is ${items} for ${operation}, which reads or writes one item: use ${batch} for several items.`);
    }
    const limits: Array<[CapacityOperation, number]> = [
      [CapacityOperation.BATCH_GET_ITEM, MAX_BATCH_GET_ITEMS],
      [CapacityOperation.BATCH_WRITE_ITEM, MAX_BATCH_WRITE_ITEMS],
      [CapacityOperation.TRANSACT_GET_ITEMS, MAX_TRANSACTION_ITEMS],
      [CapacityOperation.TRANSACT_WRITE_ITEMS, MAX_TRANSACTION_ITEMS],
    ];
    for (const [op, max] of limits) {
      if (operation === op && items > max) {
        throw hostError(`\`items\` is ${items} for ${operation}: one call takes at most ${max} items. Split the work into ${Math.ceil(items / max)} calls and add up their capacity.`);
      }
    }
  }

  private constructor() {}
}

const READS = [
  CapacityOperation.GET_ITEM,
  CapacityOperation.QUERY,
  CapacityOperation.SCAN,
  CapacityOperation.BATCH_GET_ITEM,
  CapacityOperation.TRANSACT_GET_ITEMS,
];

const READ_FACTOR: Record<ReadConsistency, number> = {
  [ReadConsistency.EVENTUAL]: 0.5,
  [ReadConsistency.STRONG]: 1,
  [ReadConsistency.TRANSACTIONAL]: 2,
};

/** How many capacity-unit blocks an item (or a summed result) of `sizeBytes` takes: every request costs at least one. */
function blocksOf(sizeBytes: number, unitBytes: number): number {
  return Math.max(1, Math.ceil(sizeBytes / unitBytes));
}
