import { KeyAttributeDefinition, TableDefinition } from './table-definition';

/**
 * The table's partition key, for a reader that cannot work without it. A multi-account replica's
 * template has no key schema (it is the source table's): the error says to read the source table.
 */
export function requirePartitionKey(table: TableDefinition, reader: string): KeyAttributeDefinition {
  if (table.partitionKey === undefined) {
    throw new Error(`Table ${table.tableName ?? table.logicalId} is a multi-account replica (GlobalTableSourceArn ${table.globalTableSourceArn}): its key schema and indexes are its source table's and not in this template, so ${reader} cannot read them here. Pass the source table's definition instead.`);
  }
  return table.partitionKey;
}
