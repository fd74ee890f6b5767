import { hostError } from '../private/host-language';
import { BYTES_PER_KB, MAX_ITEM_SIZE_BYTES } from '../private/limits';


/**
 * Item sizes as DynamoDB counts them for capacity units and the 400 KB limit.
 *
 * The size of an item is the sum of its attribute names (UTF-8 bytes) and values:
 * - String: UTF-8 bytes; Binary: raw bytes;
 * - Number: 1 byte per 2 significant digits (base-100 digits aligned on the decimal point), plus 1,
 *   plus 1 more when negative;
 * - Boolean and Null: 1 byte;
 * - List and Map: 3 bytes, plus 1 byte and the size of each element (and each key's name, for a Map);
 * - String, Number and Binary sets: the sum of their elements.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
export class ItemSize {
  /** Bytes in a kilobyte, as DynamoDB counts them: 1 KB = 1,024 bytes. */
  public static readonly BYTES_PER_KB: number = BYTES_PER_KB;

  /** The largest item DynamoDB stores: 400 KB (409,600 bytes), attribute names and values together. */
  public static readonly MAX_ITEM_SIZE_BYTES: number = MAX_ITEM_SIZE_BYTES;

  /**
   * The size in bytes of an item in DynamoDB's attribute-value form (`{ "title": { "S": "Buy milk" } }`),
   * as the low-level API and the AWS CLI write it.
   *
   * @param item the item, as a map of attribute names to attribute values
   */
  public static ofAttributeValues(item: any): number {
    assertObject('item', item);
    let total = 0;
    for (const [name, value] of Object.entries(item)) {
      total += utf8Length(name) + attributeValueSize(name, value);
    }
    return total;
  }

  /**
   * The size in bytes of a plain JavaScript item (`{ title: 'Buy milk', done: false }`), marshalled the way
   * the AWS SDK's document client does it: strings, numbers, booleans, null, arrays (List), objects (Map),
   * `Uint8Array`/`Buffer` (Binary) and `Set`s of strings or numbers.
   *
   * @param item the item
   */
  public static ofItem(item: any): number {
    assertObject('item', item);
    let total = 0;
    for (const [name, value] of Object.entries(item)) {
      if (value === undefined) {
        continue;
      }
      total += utf8Length(name) + plainValueSize(name, value);
    }
    return total;
  }

  /**
   * The size in bytes of a size written as a number of bytes or with a unit: `512`, `512B`, `10KB`,
   * `1.5 KB`, `2MB`, `1GB`. A kilobyte is 1,024 bytes.
   *
   * @param size the size text
   */
  public static parse(size: string): number {
    const text = String(size).trim();
    const match = /^(-?\d+(?:\.\d+)?)\s*(B|KB|KIB|MB|MIB|GB|GIB)?$/i.exec(text);
    if (!match) {
      throw hostError(`Size '${size}' is not a size: write a number of bytes or a number with B, KB, MB or GB (1 KB = 1,024 bytes), for example 1024, 10KB or 1.5KB.`);
    }
    const unit = (match[2] ?? 'B').toUpperCase().replace('I', '');
    const multiplier = unit === 'KB' ? BYTES_PER_KB : unit === 'MB' ? BYTES_PER_KB ** 2 : unit === 'GB' ? BYTES_PER_KB ** 3 : 1;
    return Math.ceil(Number(match[1]) * multiplier);
  }


  private constructor() {}
}

function assertObject(prop: string, item: unknown): void {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw hostError(`\`${prop}\` is ${JSON.stringify(item)}: pass an item as an object of attribute names to values.`);
  }
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * DynamoDB stores a number as base-100 digits aligned on the decimal point, plus 1 byte (and 1 more when
 * negative): 1299 is 12|99 (3 bytes), 12345.678 is 1|23|45.67|8 (6 bytes).
 */
function numberSize(text: string): number {
  let t = String(text).trim();
  const negative = t.startsWith('-');
  t = t.replace(/^[-+]/, '');
  let exponent = 0;
  const e = /[eE]([-+]?\d+)$/.exec(t);
  if (e) {
    exponent = Number(e[1]);
    t = t.slice(0, e.index);
  }
  const [integer, fraction = ''] = t.split('.');
  const digits = integer + fraction;
  const first = digits.search(/[1-9]/);
  const sign = negative ? 1 : 0;
  if (first < 0) {
    return 1 + sign;
  }
  let last = digits.length - 1;
  while (digits[last] === '0') {
    last--;
  }
  // The power of ten of digit i is (integer.length - 1 - i + exponent); a byte holds the two digits of one power of 100.
  const highest = integer.length - 1 - first + exponent;
  const lowest = integer.length - 1 - last + exponent;
  return Math.floor(highest / 2) - Math.floor(lowest / 2) + 1 + 1 + sign;
}

function binarySize(value: unknown): number {
  if (typeof value === 'string') {
    // The low-level JSON form carries binary as base64.
    return Buffer.from(value, 'base64').length;
  }
  if (value instanceof Uint8Array) {
    return value.byteLength;
  }
  throw hostError(`A binary value is ${JSON.stringify(value)}: pass a Uint8Array/Buffer or a base64 string.`);
}

function attributeValueSize(name: string, value: any): number {
  if (value === null || typeof value !== 'object') {
    throw hostError(`Attribute '${name}' is ${JSON.stringify(value)}, not an attribute value: write it as { "S": "..." }, { "N": "1" }, { "BOOL": true } and so on, or use \`ItemSize.ofItem()\` for plain values.`);
  }
  const [type] = Object.keys(value);
  const v = value[type];
  switch (type) {
    case 'S': return utf8Length(v);
    case 'N': return numberSize(v);
    case 'B': return binarySize(v);
    case 'BOOL':
    case 'NULL': return 1;
    case 'SS': return (v as string[]).reduce((sum, s) => sum + utf8Length(s), 0);
    case 'NS': return (v as string[]).reduce((sum, n) => sum + numberSize(n), 0);
    case 'BS': return (v as unknown[]).reduce((sum: number, b) => sum + binarySize(b), 0);
    case 'L': return 3 + (v as any[]).reduce((sum: number, e) => sum + 1 + attributeValueSize(name, e), 0);
    case 'M': return 3 + Object.entries(v as Record<string, any>)
      .reduce((sum, [k, e]) => sum + 1 + utf8Length(k) + attributeValueSize(name, e), 0);
    default:
      throw hostError(`Attribute '${name}' has the type '${type}': DynamoDB types are S, N, B, BOOL, NULL, SS, NS, BS, L and M.`);
  }
}

function plainValueSize(name: string, value: any): number {
  if (value === null) {
    return 1;
  }
  switch (typeof value) {
    case 'string': return utf8Length(value);
    case 'number':
    case 'bigint': return numberSize(String(value));
    case 'boolean': return 1;
    default: break;
  }
  if (value instanceof Uint8Array) {
    return value.byteLength;
  }
  if (value instanceof Set) {
    return [...value].reduce((sum: number, e) => sum + (typeof e === 'string' ? utf8Length(e) : typeof e === 'number' ? numberSize(String(e)) : binarySize(e)), 0);
  }
  if (Array.isArray(value)) {
    return 3 + value.reduce((sum: number, e) => sum + 1 + (e === undefined ? 0 : plainValueSize(name, e)), 0);
  }
  if (typeof value === 'object') {
    return 3 + Object.entries(value)
      .filter(([, e]) => e !== undefined)
      .reduce((sum, [k, e]) => sum + 1 + utf8Length(k) + plainValueSize(name, e), 0);
  }
  throw hostError(`Attribute '${name}' is a ${typeof value}: DynamoDB stores strings, numbers, booleans, null, binary, lists, maps and sets.`);
}
