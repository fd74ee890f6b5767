/*
 * The DynamoDB writes a stream record's logic states, and how several records' writes become one
 * TransactWriteItems request. Lambda-side code: not part of the construct library's jsii API.
 */
// The handler's app installs and bundles these; the construct library must not depend on them.
/* eslint-disable import/no-extraneous-dependencies */
import type { NativeAttributeValue, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
/* eslint-enable import/no-extraneous-dependencies */

/** One item of a `TransactWriteItems` request, in the document client's shape (plain JavaScript values). */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** A put, as `TransactWriteCommand` takes it. */
export type PutEffect = NonNullable<TransactItem['Put']>;
/** An update, as `TransactWriteCommand` takes it. */
export type UpdateEffect = NonNullable<TransactItem['Update']>;
/** A delete, as `TransactWriteCommand` takes it. */
export type DeleteEffect = NonNullable<TransactItem['Delete']>;
/** A condition check, as `TransactWriteCommand` takes it. */
export type ConditionCheckEffect = NonNullable<TransactItem['ConditionCheck']>;
/** An item key, in plain JavaScript values. */
export type ItemKey = Record<string, NativeAttributeValue>;

/** Numbers added to attributes of one item (DynamoDB's `ADD` action), which commute and so can be summed. */
export interface AddEffect {
  readonly TableName: string;
  readonly Key: ItemKey;
  /** Attribute name to the number added to it (negative to subtract). */
  readonly values: Record<string, number>;
}

/** DynamoDB's limit of items in one `TransactWriteItems` request. */
export const MAX_TRANSACTION_ITEMS = 100;
/** DynamoDB's limit on the aggregate size of a transaction's items is 4 MB; the estimate below keeps under it with room. */
export const MAX_TRANSACTION_BYTES = 3_500_000;

const unitBytes = new WeakMap<object, number>();

/** An upper estimate of a unit's size in a request: strings and binaries by their bytes, the rest small. */
export function estimatedBytes(unit: { readonly operations: Operation[]; readonly marker: TransactItem }): number {
  let bytes = unitBytes.get(unit);
  if (bytes === undefined) {
    bytes = sizeOf(unit.operations) + sizeOf(unit.marker);
    unitBytes.set(unit, bytes);
  }
  return bytes;
}

function sizeOf(value: unknown): number {
  if (typeof value === 'string') {
    return Buffer.byteLength(value);
  }
  if (value instanceof Uint8Array) {
    return value.byteLength;
  }
  if (Array.isArray(value)) {
    return value.reduce((sum: number, v) => sum + sizeOf(v) + 1, 2);
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + sizeOf(v) + 2, 2);
  }
  return 16;
}

/** One stated write. */
export type Operation =
  | { readonly kind: 'Put'; readonly input: PutEffect }
  | { readonly kind: 'Update'; readonly input: UpdateEffect }
  | { readonly kind: 'Delete'; readonly input: DeleteEffect }
  | { readonly kind: 'ConditionCheck'; readonly input: ConditionCheckEffect }
  | { readonly kind: 'Add'; readonly input: AddEffect };

/**
 * The DynamoDB writes one stream record causes. The record's logic states them here instead of sending
 * them; the library commits them with the record's idempotency marker in one transaction, so a crash at
 * any point leaves either all of them and the marker, or none.
 *
 * Note: writes that depend on the order of records of one target item (puts, updates with `SET`) are
 * committed in stream order; `add` effects commute, so the ones of several records on one item are summed
 * into one update.
 */
export class Effects {
  /** The writes stated so far, in order. */
  public readonly operations: Operation[] = [];

  /** Puts an item (with an optional `ConditionExpression`). */
  public put(input: PutEffect): this {
    return this.push({ kind: 'Put', input });
  }

  /** Updates an item (with an optional `ConditionExpression`). */
  public update(input: UpdateEffect): this {
    return this.push({ kind: 'Update', input });
  }

  /** Deletes an item (with an optional `ConditionExpression`). */
  public delete(input: DeleteEffect): this {
    return this.push({ kind: 'Delete', input });
  }

  /** Commits the record's writes only if this condition holds on another item. */
  public conditionCheck(input: ConditionCheckEffect): this {
    return this.push({ kind: 'ConditionCheck', input });
  }

  /**
   * Adds numbers to attributes of an item (`ADD attr :n`), creating the item or the attribute at 0.
   * A zero is not written.
   */
  public add(input: AddEffect): this {
    for (const [attribute, value] of Object.entries(input.values)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new Error(`add(): the value of \`${attribute}\` is ${String(value)}; it must be a finite number.`);
      }
    }
    return this.push({ kind: 'Add', input });
  }

  private push(operation: Operation): this {
    this.operations.push(operation);
    return this;
  }
}

/**
 * Key attribute names by table. A table not in the map has not been learnt yet: its puts are taken to write
 * different items unless their items are equal, and DynamoDB refuses a transaction where they do not (the
 * names are then learnt). A table mapped to no names could not be learnt: its puts go one per transaction.
 */
export type KeySchemas = Map<string, string[]>;

/** The table and key of the item an operation writes; `undefined` key: a put on a table whose key attributes could not be learnt. */
export function targetOf(operation: Operation, keySchemas: KeySchemas): { table: string; key?: string } {
  const table = operation.input.TableName!;
  if (operation.kind === 'Put') {
    const names = keySchemas.get(table);
    const item = operation.input.Item ?? {};
    if (names === undefined) {
      return { table, key: `item ${stableKey(item)}` };
    }
    if (names.length === 0) {
      return { table };
    }
    return { table, key: stableKey(Object.fromEntries(names.map((n) => [n, item[n]]))) };
  }
  return { table, key: stableKey(operation.input.Key ?? {}) };
}

/** The key attribute names of each table, as the operations' `Key`s show them. */
export function learnKeySchemas(operations: Iterable<Operation>, known: KeySchemas): void {
  for (const op of operations) {
    if (op.kind !== 'Put' && op.input.Key && !known.has(op.input.TableName!)) {
      known.set(op.input.TableName!, Object.keys(op.input.Key).sort());
    }
  }
}

/** A key as a string that does not depend on the attributes' order. */
export function stableKey(key: ItemKey): string {
  return JSON.stringify(Object.keys(key).sort().map((name) => [name, encode(key[name])]));
}

function encode(value: NativeAttributeValue): unknown {
  return value instanceof Uint8Array ? `b64:${Buffer.from(value).toString('base64')}` : value;
}

/** One record's share of a transaction. */
export interface Unit {
  /** The stream item key, for per-key order. */
  readonly itemKey: string;
  readonly operations: Operation[];
  /** The idempotency marker: its condition failing means the record was applied before. */
  readonly marker: TransactItem;
  /** Committed in a transaction of its own (a request failed without saying which record made it fail). */
  alone?: boolean;
}

/** A transaction built from units: which item belongs to which unit. */
export interface Transaction<U extends Unit> {
  readonly units: U[];
  readonly items: TransactItem[];
  /** Per item: the unit it belongs to, `undefined` for summed `add` items shared by several units. */
  readonly owners: (U | undefined)[];
  /** Per item: whether it is its unit's marker. */
  readonly isMarker: boolean[];
}

/**
 * Packs pending units into one transaction of at most 100 items, visiting them key by key (keys in the order
 * of their first pending unit, each key's units in stream order), so a key's records share its summed items.
 * A unit waits for a later transaction, with every later unit of its stream item key (per-key order), when
 * it touches an item another unit of the transaction writes (other than by `add`), when it does not fit, or
 * when an earlier pending unit of another key touches an item it writes (or writes one it adds to): items
 * that records of several keys write change in stream order. `add`s on one item are summed into one update.
 */
export function buildTransaction<U extends Unit>(pending: readonly U[], keySchemas: KeySchemas): Transaction<U> {
  const units: U[] = [];
  const writtenOnce = new Set<string>();
  const tablesWithUnknownPut = new Set<string>();
  const tablesWritten = new Set<string>();
  const sums = new Map<string, { table: string; key: ItemKey; values: Map<string, number> }>();
  const blockedKeys = new Set<string>();
  let count = 0;
  let bytes = 0;

  // The stream positions of the pending units touching each item, by any write and by writes other than adds.
  const idOf = (op: Operation) => {
    const { table, key } = targetOf(op, keySchemas);
    return { table, key, id: `${table}\u0000${key ?? '*'}` };
  };
  const touching = new Map<string, number[]>();
  const writing = new Map<string, number[]>();
  const listed = (map: Map<string, number[]>, id: string, position: number) => {
    const list = map.get(id) ?? map.set(id, []).get(id)!;
    if (list[list.length - 1] !== position) {
      list.push(position);
    }
  };
  pending.forEach((unit, position) => {
    for (const op of unit.operations) {
      const { id } = idOf(op);
      listed(touching, id, position);
      if (op.kind !== 'Add') {
        listed(writing, id, position);
      }
    }
  });
  const taken = new Set<number>();
  /** Whether `list` (ascending) holds a position before `position` whose unit is not in this transaction. */
  const earlierWaiting = (list: number[] | undefined, position: number) => {
    for (const p of list ?? []) {
      if (p >= position) {
        return false;
      }
      if (!taken.has(p)) {
        return true;
      }
    }
    return false;
  };
  const positions = new Map(pending.map((unit, position) => [unit, position]));
  const byKey = new Map<string, U[]>();
  for (const unit of pending) {
    const list = byKey.get(unit.itemKey) ?? byKey.set(unit.itemKey, []).get(unit.itemKey)!;
    list.push(unit);
  }

  visit: for (const keyUnits of byKey.values()) {
    for (const unit of keyUnits) {
      if (blockedKeys.has(unit.itemKey)) {
        break;
      }
      if (unit.alone && units.length > 0) {
        blockedKeys.add(unit.itemKey);
        break;
      }
      const position = positions.get(unit)!;
      const singles: string[] = [];
      const adds: string[] = [];
      let conflict = false;
      for (const op of unit.operations) {
        const { table, key, id } = idOf(op);
        if (tablesWithUnknownPut.has(table) || (key === undefined && tablesWritten.has(table))) {
          conflict = true;
        } else if (op.kind === 'Add') {
          conflict ||= writtenOnce.has(id) || earlierWaiting(writing.get(id), position);
          adds.push(id);
        } else {
          conflict ||= writtenOnce.has(id) || sums.has(id) || earlierWaiting(touching.get(id), position);
          singles.push(id);
        }
      }
      const newItems = singles.length + 1 + new Set(adds.filter((id) => !sums.has(id))).size;
      // A unit too large for any transaction still goes alone, and fails at DynamoDB with its own error.
      const newBytes = estimatedBytes(unit);
      if (conflict || count + newItems > MAX_TRANSACTION_ITEMS || (units.length > 0 && bytes + newBytes > MAX_TRANSACTION_BYTES)) {
        blockedKeys.add(unit.itemKey);
        break;
      }
      count += newItems;
      bytes += newBytes;
      units.push(unit);
      taken.add(position);
      for (const op of unit.operations) {
        const { table, key, id } = idOf(op);
        tablesWritten.add(table);
        if (key === undefined) {
          tablesWithUnknownPut.add(table);
        }
        if (op.kind === 'Add') {
          const sum = sums.get(id) ?? { table, key: op.input.Key, values: new Map<string, number>() };
          for (const [attribute, value] of Object.entries(op.input.values)) {
            sum.values.set(attribute, (sum.values.get(attribute) ?? 0) + value);
          }
          sums.set(id, sum);
        } else {
          writtenOnce.add(id);
        }
      }
      if (unit.alone) {
        break visit;
      }
    }
  }

  const items: TransactItem[] = [];
  const owners: (U | undefined)[] = [];
  const isMarker: boolean[] = [];
  for (const unit of units) {
    for (const op of unit.operations) {
      if (op.kind !== 'Add') {
        items.push({ [op.kind]: op.input } as TransactItem);
        owners.push(unit);
        isMarker.push(false);
      }
    }
    items.push(unit.marker);
    owners.push(unit);
    isMarker.push(true);
  }
  for (const sum of sums.values()) {
    const entries = [...sum.values.entries()].filter(([, v]) => v !== 0);
    if (entries.length === 0) {
      continue;
    }
    items.push({
      Update: {
        TableName: sum.table,
        Key: sum.key,
        UpdateExpression: `ADD ${entries.map((_, i) => `#a${i} :a${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#a${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:a${i}`, value])),
      },
    });
    owners.push(undefined);
    isMarker.push(false);
  }
  return { units, items, owners, isMarker };
}

/**
 * A reason a single record's writes cannot go in one transaction: two writes to one item (other than
 * `add`s), or more items than a transaction holds beside the `reserved` items the library adds.
 */
export function invalidUnitReason(
  operations: Operation[], keySchemas: KeySchemas, reserved: { items: number; what: string } = { items: 1, what: 'the record\'s marker' },
): string | undefined {
  const items = itemsWritten(operations, keySchemas);
  if (typeof items === 'string') {
    return items;
  }
  if (items + reserved.items > MAX_TRANSACTION_ITEMS) {
    return `${items} items written, more than the ${MAX_TRANSACTION_ITEMS - reserved.items} a transaction holds beside ${reserved.what} (${reserved.items} items); `
      + `DynamoDB takes at most ${MAX_TRANSACTION_ITEMS} items in one TransactWriteItems: write fewer items per record`;
  }
  return undefined;
}

/** Why a single record's writes cannot share a transaction: two of them write one item (other than by `add`s). */
export function sameItemReason(operations: Operation[], keySchemas: KeySchemas): string | undefined {
  const items = itemsWritten(operations, keySchemas);
  return typeof items === 'string' ? items : undefined;
}

/** How many items a record's writes touch (adds on one item count once), or why they cannot share a transaction. */
function itemsWritten(operations: Operation[], keySchemas: KeySchemas): number | string {
  const seen = new Set<string>();
  const addItems = new Set<string>();
  let unkeyed = 0;
  for (const op of operations) {
    if (!op.input.TableName) {
      return `a ${op.kind} effect has no TableName`;
    }
    const { table, key } = targetOf(op, keySchemas);
    if (key === undefined) {
      unkeyed += 1;
      continue;
    }
    const id = `${table}\u0000${key}`;
    // A put on a table whose keys are not learnt yet is named by its whole item, which can be long.
    const shown = key.length > 200 ? `${key.slice(0, 200)}...` : key;
    if (op.kind === 'Add') {
      if (seen.has(id)) {
        return `an add() and another write target the same item of ${table} (${shown})`;
      }
      addItems.add(id);
    } else if (seen.has(id) || addItems.has(id)) {
      return `two writes target the same item of ${table} (${shown}); a transaction writes each item once`;
    } else {
      seen.add(id);
    }
  }
  return seen.size + addItems.size + unkeyed;
}
