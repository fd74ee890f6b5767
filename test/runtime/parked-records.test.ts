import { randomBytes } from 'crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import { buildTransaction, Effects, Unit } from '../../src/runtime/effects';
import {
  groupParkedItems, PARKED_CHUNK_BYTES, parkedBodyOf, parkedChunkSk, parkedItemCount, ParkedRecordsLayout, parkedRecordSk, recordOfParked,
} from '../../src/runtime/parked-records';

/** A MODIFY record whose two images each carry `padBytes` of base64 (random bytes barely compress). */
function record(sequenceNumber: string, padBytes = 10): DynamoDBRecord {
  const pad = () => ({ S: randomBytes(Math.ceil(padBytes * 3 / 4)).toString('base64').slice(0, padBytes) });
  return {
    eventID: `e${sequenceNumber}`,
    eventName: 'MODIFY',
    dynamodb: { Keys: { PK: { S: 'big' } }, SequenceNumber: sequenceNumber, OldImage: { PK: { S: 'big' }, pad: pad() }, NewImage: { PK: { S: 'big' }, pad: pad() } },
  };
}

/** The items parking writes for a record, as a Query of its key returns them (head, then chunks in order). */
function parkedItems(r: DynamoDBRecord): Record<string, unknown>[] {
  const body = parkedBodyOf(r);
  const seq = r.dynamodb!.SequenceNumber!;
  return [
    { sk: parkedRecordSk(seq), sequenceNumber: seq, ...body.head },
    ...body.chunks.map((chunk, i) => ({ sk: parkedChunkSk(seq, i + 1), chunkOf: seq, body: chunk })),
  ];
}

describe('parked record bodies', () => {
  test('a record up to 300,000 bytes of JSON is kept as its JSON, in one item', () => {
    const small = record('1');
    expect(parkedBodyOf(small)).toEqual({ head: { record: JSON.stringify(small) }, chunks: [] });
    expect(parkedItemCount(small)).toBe(1);
  });

  test('two 399 KB images (about 800 KB of JSON): gzip in 300,000-byte chunks, read back whole', () => {
    const big = record('2', 408_000);
    const items = parkedItems(big);
    // Base64 of random bytes compresses to about 6 bits in 8: about 610 KB, so 3 items.
    expect(items).toHaveLength(3);
    expect(parkedItemCount(big)).toBe(3);
    expect(items.map((i) => (i.body as Uint8Array).byteLength).every((n) => n <= PARKED_CHUNK_BYTES)).toBe(true);
    expect(items[0]).toMatchObject({ encoding: 'gzip', chunks: 3 });
    expect(recordOfParked(groupParkedItems(items)[0])).toEqual(big);
  });

  test('a key\'s items group into records in stream order, chunks with their head', () => {
    const [a, b, c] = [record('1'), record('2', 408_000), record('3')];
    const entries = groupParkedItems([...parkedItems(a), ...parkedItems(b), ...parkedItems(c)]);
    expect(entries.map((e) => [e.head.sequenceNumber, e.chunks.length])).toEqual([['1', 0], ['2', 2], ['3', 0]]);
    expect(entries.map(recordOfParked)).toEqual([a, b, c]);
  });

  test('a missing chunk fails loudly instead of replaying a truncated record', () => {
    const items = parkedItems(record('2', 408_000));
    expect(() => recordOfParked(groupParkedItems(items.slice(0, 2))[0])).toThrow(/has 2 of its 3 chunks/);
  });

  test('chunk sort keys sort after their head and before the next record', () => {
    const keys = [parkedRecordSk('10'), parkedChunkSk('9', 2), parkedRecordSk('9'), parkedChunkSk('9', 1)].sort();
    expect(keys).toEqual([parkedRecordSk('9'), parkedChunkSk('9', 1), parkedChunkSk('9', 2), parkedRecordSk('10')]);
  });
});

describe('parked-records layout', () => {
  test('every partition key of a consumer starts with its identity; none without one', () => {
    const r = record('7');
    const a = new ParkedRecordsLayout('TaskTracker/OpenTaskCount');
    expect([a.parkedKeysPk, a.keyPk('[k]'), a.attemptsKey(r).pk, a.invocationsKey(r).pk]).toEqual([
      'TaskTracker/OpenTaskCount#parked-keys', 'TaskTracker/OpenTaskCount#key#[k]', 'TaskTracker/OpenTaskCount#attempts#e7', 'TaskTracker/OpenTaskCount#invocations#e7',
    ]);
    const legacy = new ParkedRecordsLayout('');
    expect([legacy.parkedKeysPk, legacy.keyPk('[k]'), legacy.attemptsKey(r).pk]).toEqual(['parked-keys', 'key#[k]', 'attempts#e7']);
  });
});

describe('transaction size', () => {
  const unit = (itemKey: string, n: number, bytes: number): Unit => {
    const effects = new Effects().put({ TableName: 'T', Item: { PK: `${itemKey}${n}`, blob: new Uint8Array(bytes) } });
    return { itemKey, operations: effects.operations, marker: { Put: { TableName: 'M', Item: { id: `m${n}` } } } };
  };

  test('units of 1 MB: three per transaction (4 MB is the aggregate limit), the fourth waits with its key', () => {
    const units = [unit('a', 1, 1_000_000), unit('b', 2, 1_000_000), unit('c', 3, 1_000_000), unit('d', 4, 1_000_000), unit('e', 5, 10)];
    const tx = buildTransaction(units, new Map([['T', ['PK']], ['M', ['id']]]));
    expect(tx.units.map((u) => u.itemKey)).toEqual(['a', 'b', 'c', 'e']);
  });

  test('a unit larger than the budget still goes, alone', () => {
    const tx = buildTransaction([unit('a', 1, 5_000_000), unit('b', 2, 10)], new Map([['T', ['PK']], ['M', ['id']]]));
    expect(tx.units.map((u) => u.itemKey)).toEqual(['a']);
  });
});
