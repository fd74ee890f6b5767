import { Command, Option } from 'commander';
import { parseNumber, parseSizeFlag, print } from './options';
import { CapacityCalculator, CapacityOperation, ReadConsistency } from '../../capacity/capacity-calculator';
import { formatKb, formatUnits } from '../../capacity/format';
import { ItemSize } from '../../capacity/item-size';

/** CLI names of the operations. */
export const OPERATIONS: Record<string, CapacityOperation> = {
  'get': CapacityOperation.GET_ITEM,
  'query': CapacityOperation.QUERY,
  'scan': CapacityOperation.SCAN,
  'batch-get': CapacityOperation.BATCH_GET_ITEM,
  'put': CapacityOperation.PUT_ITEM,
  'update': CapacityOperation.UPDATE_ITEM,
  'delete': CapacityOperation.DELETE_ITEM,
  'batch-write': CapacityOperation.BATCH_WRITE_ITEM,
  'transact-get': CapacityOperation.TRANSACT_GET_ITEMS,
  'transact-write': CapacityOperation.TRANSACT_WRITE_ITEMS,
};

interface CapacityOptions {
  readonly operation: string;
  readonly itemSize: string;
  readonly previousItemSize?: string;
  readonly items?: string;
  readonly consistency?: string;
  readonly gsi?: boolean;
  readonly json?: boolean;
}

/** `cdk-dynamodb-blueprints capacity`: the read and write units of one call. */
export function registerCapacityCommand(program: Command): void {
  program.command('capacity')
    .description('Read and write capacity units one call consumes (1 KB = 1,024 bytes).')
    .addOption(new Option('--operation <operation>', 'the DynamoDB operation').choices(Object.keys(OPERATIONS)).makeOptionMandatory())
    .requiredOption('--item-size <size>', 'size of each item, with a unit (400B, 10KB, 1.5KB); for update, the size after it')
    .option('--previous-item-size <size>', 'update only: the item size before the update, with a unit (the larger one is billed)')
    .option('--items <n>', 'items read or written: returned by a query/scan (before filters), or in a batch/transaction', '1')
    .addOption(new Option('--consistency <consistency>', 'read consistency of get/query/scan/batch-get').choices(['eventual', 'strong']))
    .option('--gsi', 'the query or scan reads a global secondary index (eventually consistent only)')
    .option('--json', 'print JSON')
    .action((options: CapacityOptions, command: Command) => {
      const itemSizeBytes = ItemSize.validate('--item-size', parseSizeFlag('--item-size', options.itemSize)!);
      const previous = parseSizeFlag('--previous-item-size', options.previousItemSize);
      const result = CapacityCalculator.forOperation({
        operation: OPERATIONS[options.operation],
        itemSizeBytes,
        items: parseNumber('--items', options.items, { min: 1, integer: true }),
        consistency: options.consistency === undefined ? undefined : options.consistency === 'strong' ? ReadConsistency.STRONG : ReadConsistency.EVENTUAL,
        previousItemSizeBytes: previous === undefined ? undefined : ItemSize.validate('--previous-item-size', previous),
        readsGlobalSecondaryIndex: options.gsi ? true : undefined,
      });
      if (options.json) {
        print(command, JSON.stringify(result, null, 2));
        return;
      }
      const consistency = result.consistency ? `, ${result.consistency.toLowerCase()}` : '';
      print(command, [
        `${result.operation}: ${result.items} item(s) of ${formatKb(itemSizeBytes)}${consistency}`,
        `  read capacity units:  ${formatUnits(result.readCapacityUnits)}`,
        `  write capacity units: ${formatUnits(result.writeCapacityUnits)}`,
        `  ${result.explanation}`,
      ].join('\n'));
    });
}
