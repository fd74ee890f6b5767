import { CapacityOperation, OperationCapacityProps, ReadConsistency } from '../../src';

/** A worked case, its answer derived by hand from DynamoDB's rounding rules (4 KB per read unit, 1 KB per write unit). */
export interface ReferenceCase {
  readonly source: string;
  readonly props: OperationCapacityProps;
  /** The same call through the CLI. */
  readonly argv: string[];
  readonly readCapacityUnits: number;
  readonly writeCapacityUnits: number;
}

const KB = 1024;

export const REFERENCE_CASES: ReferenceCase[] = [
  {
    source: 'A 3 KB item write costs 3 WCUs',
    props: { operation: CapacityOperation.PUT_ITEM, itemSizeBytes: 3 * KB },
    argv: ['--operation', 'put', '--item-size', '3KB'],
    readCapacityUnits: 0,
    writeCapacityUnits: 3,
  },
  {
    source: 'A transactional write costs 2x WCUs (3 KB: 6)',
    props: { operation: CapacityOperation.TRANSACT_WRITE_ITEMS, itemSizeBytes: 3 * KB },
    argv: ['--operation', 'transact-write', '--item-size', '3KB'],
    readCapacityUnits: 0,
    writeCapacityUnits: 6,
  },
  {
    source: 'BatchWriteItem costs the sum of its individual writes (3 x 3 KB: 9)',
    props: { operation: CapacityOperation.BATCH_WRITE_ITEM, itemSizeBytes: 3 * KB, items: 3 },
    argv: ['--operation', 'batch-write', '--item-size', '3KB', '--items', '3'],
    readCapacityUnits: 0,
    writeCapacityUnits: 9,
  },
  {
    source: 'A 4 KB item read strongly = 1 RCU',
    props: { operation: CapacityOperation.GET_ITEM, itemSizeBytes: 4 * KB, consistency: ReadConsistency.STRONG },
    argv: ['--operation', 'get', '--item-size', '4KB', '--consistency', 'strong'],
    readCapacityUnits: 1,
    writeCapacityUnits: 0,
  },
  {
    source: 'A 4 KB item read eventually = 0.5 RCU',
    props: { operation: CapacityOperation.GET_ITEM, itemSizeBytes: 4 * KB, consistency: ReadConsistency.EVENTUAL },
    argv: ['--operation', 'get', '--item-size', '4KB', '--consistency', 'eventual'],
    readCapacityUnits: 0.5,
    writeCapacityUnits: 0,
  },
  {
    source: 'A 4 KB item read transactionally = 2 RCUs',
    props: { operation: CapacityOperation.TRANSACT_GET_ITEMS, itemSizeBytes: 4 * KB },
    argv: ['--operation', 'transact-get', '--item-size', '4KB'],
    readCapacityUnits: 2,
    writeCapacityUnits: 0,
  },
  {
    source: 'An 8 KB item read strongly = 2 RCUs',
    props: { operation: CapacityOperation.GET_ITEM, itemSizeBytes: 8 * KB, consistency: ReadConsistency.STRONG },
    argv: ['--operation', 'get', '--item-size', '8KB', '--consistency', 'strong'],
    readCapacityUnits: 2,
    writeCapacityUnits: 0,
  },
  {
    source: 'An 8 KB item read eventually = 1 RCU',
    props: { operation: CapacityOperation.GET_ITEM, itemSizeBytes: 8 * KB },
    argv: ['--operation', 'get', '--item-size', '8KB'],
    readCapacityUnits: 1,
    writeCapacityUnits: 0,
  },
  {
    source: 'A Query returning ten 4 KB items eventually consistent costs 5 RCUs',
    props: { operation: CapacityOperation.QUERY, itemSizeBytes: 4 * KB, items: 10 },
    argv: ['--operation', 'query', '--item-size', '4KB', '--items', '10'],
    readCapacityUnits: 5,
    writeCapacityUnits: 0,
  },
  {
    source: 'The same Query strongly consistent costs 10 RCUs',
    props: { operation: CapacityOperation.QUERY, itemSizeBytes: 4 * KB, items: 10, consistency: ReadConsistency.STRONG },
    argv: ['--operation', 'query', '--item-size', '4KB', '--items', '10', '--consistency', 'strong'],
    readCapacityUnits: 10,
    writeCapacityUnits: 0,
  },
  {
    source: 'The same ten items in a transaction cost 20 RCUs',
    props: { operation: CapacityOperation.TRANSACT_GET_ITEMS, itemSizeBytes: 4 * KB, items: 10 },
    argv: ['--operation', 'transact-get', '--item-size', '4KB', '--items', '10'],
    readCapacityUnits: 20,
    writeCapacityUnits: 0,
  },
  {
    source: 'A strongly consistent read of a 10 KB item costs 3 RCUs (10 KB rounds up to 12 KB: 3 blocks of 4 KB)',
    props: { operation: CapacityOperation.GET_ITEM, itemSizeBytes: 10 * KB, consistency: ReadConsistency.STRONG },
    argv: ['--operation', 'get', '--item-size', '10KB', '--consistency', 'strong'],
    readCapacityUnits: 3,
    writeCapacityUnits: 0,
  },
  {
    source: 'The same read eventually consistent costs 1.5 RCUs (3 blocks x 0.5)',
    props: { operation: CapacityOperation.GET_ITEM, itemSizeBytes: 10 * KB, consistency: ReadConsistency.EVENTUAL },
    argv: ['--operation', 'get', '--item-size', '10KB', '--consistency', 'eventual'],
    readCapacityUnits: 1.5,
    writeCapacityUnits: 0,
  },
];
