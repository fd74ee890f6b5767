import { formatKb } from './format';
import { hostError } from '../private/host-language';
import { MAX_ITEM_SIZE_BYTES } from '../private/limits';

/**
 * A size in bytes that DynamoDB can store (0 to 400 KB), rounded up to whole bytes, or an error naming `prop`.
 * Internal: the calculators and the CLI check their inputs with it.
 */
export function validateItemSize(prop: string, sizeBytes: number): number {
  if (typeof sizeBytes !== 'number' || !Number.isFinite(sizeBytes) || sizeBytes < 0) {
    throw hostError(`\`${prop}\` is ${sizeBytes}: an item size is a number of bytes of at least 0. Pass the size in bytes, for example 1024 for 1 KB.`);
  }
  if (sizeBytes > MAX_ITEM_SIZE_BYTES) {
    throw hostError(`\`${prop}\` is ${sizeBytes} bytes (${formatKb(sizeBytes)}): DynamoDB items are at most 400 KB (${MAX_ITEM_SIZE_BYTES} bytes), attribute names included. Store the large part in S3 and keep a pointer in the item, or split the item.`);
  }
  return Math.ceil(sizeBytes);
}
