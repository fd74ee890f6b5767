/*
 * DynamoDB's numbers that several modules check against, in one place. Internal: the public API gives
 * the ones users need as static members (`ItemSize.MAX_ITEM_SIZE_BYTES`, `CostEstimator.HOURS_PER_MONTH`).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
 */

/** Bytes in a kilobyte, as DynamoDB counts them: 1 KB = 1,024 bytes. */
export const BYTES_PER_KB = 1024;
/** The largest item DynamoDB stores: 400 KB, attribute names and values together. */
export const MAX_ITEM_SIZE_BYTES = 400 * BYTES_PER_KB;
/** The size one read capacity unit covers: 4 KB. */
export const READ_UNIT_BYTES = 4 * BYTES_PER_KB;
/** The size one write capacity unit covers: 1 KB. */
export const WRITE_UNIT_BYTES = BYTES_PER_KB;
/** The most items one `BatchGetItem` call reads. */
export const MAX_BATCH_GET_ITEMS = 100;
/** The most items one `BatchWriteItem` call writes. */
export const MAX_BATCH_WRITE_ITEMS = 25;
/** The most items one transaction reads or writes. */
export const MAX_TRANSACTION_ITEMS = 100;
/** The most non-key attributes projected into all secondary indexes of a table together. */
export const MAX_PROJECTED_ATTRIBUTES = 100;
/** The longest point-in-time recovery window DynamoDB offers, in days. */
export const MAX_RECOVERY_PERIOD_DAYS = 35;
/** Hours in the average month (8,760 / 12), the unit of provisioned capacity prices. */
export const HOURS_PER_MONTH = 730;
/** Bytes of overhead DynamoDB stores with every item and index entry, billed as storage. */
export const STORAGE_OVERHEAD_BYTES_PER_ITEM = 100;
