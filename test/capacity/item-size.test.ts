import { ItemSize } from '../../src';
import { validateItemSize } from '../../src/capacity/item-size-validation';

describe('ItemSize.ofItem', () => {
  test('counts attribute names and string values in UTF-8 bytes', () => {
    // 'PK' 2 + 'CUST#42' 7; 'név' is 4 bytes, 'é' 2.
    expect(ItemSize.ofItem({ PK: 'CUST#42' })).toBe(9);
    expect(ItemSize.ofItem({ név: 'é' })).toBe(6);
  });

  test('numbers take 1 byte per base-100 digit aligned on the decimal point, plus 1, and 1 more when negative', () => {
    // 1|23|45.67|8: 5 base-100 digits where a plain count of 8 digits would give 4.
    expect(ItemSize.ofItem({ n: 12345.678 })).toBe(1 + 6);
    expect(ItemSize.ofItem({ n: 1.5 })).toBe(1 + 3);
    expect(ItemSize.ofItem({ n: 1.23e-7 })).toBe(1 + 3);
    expect(ItemSize.ofItem({ n: 0 })).toBe(1 + 1);
    expect(ItemSize.ofItem({ n: 1299 })).toBe(1 + 3);
    expect(ItemSize.ofItem({ n: 12345 })).toBe(1 + 4);
    expect(ItemSize.ofItem({ n: 1000 })).toBe(1 + 2);
    expect(ItemSize.ofItem({ n: 0.0012 })).toBe(1 + 2);
    expect(ItemSize.ofItem({ n: -7 })).toBe(1 + 3);
  });

  test('booleans and null take 1 byte; binary its length', () => {
    expect(ItemSize.ofItem({ b: true, z: null })).toBe(2 + 2);
    expect(ItemSize.ofItem({ bin: Buffer.alloc(10) })).toBe(13);
  });

  test('lists and maps take 3 bytes plus 1 per element, and the keys of a map', () => {
    expect(ItemSize.ofItem({ l: [] })).toBe(1 + 3);
    expect(ItemSize.ofItem({ l: ['ab', 'c'] })).toBe(1 + 3 + (1 + 2) + (1 + 1));
    expect(ItemSize.ofItem({ m: { k: 'v' } })).toBe(1 + 3 + 1 + 1 + 1);
  });

  test('sets are the sum of their elements', () => {
    expect(ItemSize.ofItem({ ss: new Set(['a', 'bc']) })).toBe(2 + 3);
  });

  test('the orders-lab order item', () => {
    const item = { PK: 'CUST#42', SK: 'ORDER#2026-06-15#1001', status: 'PLACED', total: 1299, city: 'Mumbai' };
    expect(ItemSize.ofItem(item)).toBe((2 + 7) + (2 + 21) + (6 + 6) + (5 + 3) + (4 + 6));
  });
});

describe('ItemSize.ofAttributeValues', () => {
  test('gives the same size as the plain item', () => {
    const plain = { PK: 'CUST#42', total: 1299, tags: ['a'], meta: { ok: true }, ss: new Set(['x']) };
    const av = { PK: { S: 'CUST#42' }, total: { N: '1299' }, tags: { L: [{ S: 'a' }] }, meta: { M: { ok: { BOOL: true } } }, ss: { SS: ['x'] } };
    expect(ItemSize.ofAttributeValues(av)).toBe(ItemSize.ofItem(plain));
  });

  test('fails on a value that is not an attribute value', () => {
    expect(() => ItemSize.ofAttributeValues({ PK: 'CUST#42' })).toThrow(/Attribute 'PK' is "CUST#42", not an attribute value/);
  });

  test('fails on an unknown type', () => {
    expect(() => ItemSize.ofAttributeValues({ PK: { X: '1' } })).toThrow(/Attribute 'PK' has the type 'X'/);
  });

  test('fails on a binary value that is neither bytes nor base64', () => {
    expect(() => ItemSize.ofAttributeValues({ b: { B: 42 } })).toThrow(/A binary value is 42: pass a Uint8Array\/Buffer or a base64 string/);
  });

  test('fails on a value DynamoDB cannot store', () => {
    expect(() => ItemSize.ofItem({ f: () => 1 })).toThrow(/Attribute 'f' is a function: DynamoDB stores strings, numbers, booleans, null, binary, lists, maps and sets/);
  });

  test('fails on something that is not an item', () => {
    expect(() => ItemSize.ofItem([1, 2])).toThrow(/`item` is \[1,2\]: pass an item as an object/);
  });
});

describe('ItemSize.parse', () => {
  test.each([
    ['1024', 1024], ['512B', 512], ['10KB', 10240], ['1.5 KB', 1536], ['2kb', 2048], ['1MB', 1048576], ['1GB', 1024 ** 3],
  ])('%s is %d bytes', (text, bytes) => {
    expect(ItemSize.parse(text)).toBe(bytes);
  });

  test('fails on text that is not a size', () => {
    expect(() => ItemSize.parse('ten')).toThrow(/Size 'ten' is not a size/);
  });
});

describe('validateItemSize', () => {
  test('accepts 0 and 400 KB', () => {
    expect(validateItemSize('x', 0)).toBe(0);
    expect(validateItemSize('x', ItemSize.MAX_ITEM_SIZE_BYTES)).toBe(409600);
  });

  test('fails on NaN', () => {
    expect(() => validateItemSize('size', NaN)).toThrow(/`size` is NaN/);
  });
});
