import { KeyDistribution } from './key-distribution';
import { KeyTrafficProps } from './key-traffic';

/**
 * The writes one kind of item puts into one secondary index whose keys it carries.
 */
export interface IndexWriteTrafficProps {
  /**
   * The index name: a global or local secondary index of the table.
   */
  readonly indexName: string;

  /**
   * How the writes spread over the values of the index's partition key.
   *
   * Note: required for a global secondary index; a local secondary index shares the table's partition key,
   * so its writes follow the write's own `traffic.distribution` and must not set one.
   *
   * @default - required for a global secondary index; the table's for a local one
   */
  readonly distribution?: KeyDistribution;

  /**
   * The size in bytes of one index entry: the table and index keys plus the projected attributes.
   *
   * @default - as `IndexWriteAmplification` estimates it: the item size for `ALL` and `INCLUDE` (an upper
   * bound), at most 1 KB for `KEYS_ONLY`
   */
  readonly entrySizeBytes?: number;

  /**
   * How many write shards the index partition key is split into (`<value>#0` to `<value>#N-1`, the suffix
   * from a hash of the item's id): each shard takes `1/N` of a value's writes.
   *
   * Note: a local secondary index follows the table's `partitionKeyShards`.
   *
   * @default 1
   */
  readonly partitionKeyShards?: number;
}

/**
 * The writes of one kind of item (orders placed, tasks updated), for the heat forecast: every write is a
 * write to the table and to each secondary index whose keys the item carries.
 *
 * Note: declare each kind of write on its own (a status change that moves an index entry writes two index
 * values, the old and the new one: declare it with the distribution of either).
 */
export interface WriteTrafficProps {
  /**
   * The name of the write, unique among the table's write traffic (e.g. `placeOrder`).
   */
  readonly name: string;

  /**
   * What the write is, in a few words, for the report.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * The item writes per second and how they spread over the table's partition-key values.
   */
  readonly traffic: KeyTrafficProps;

  /**
   * The size in bytes of the item written (see `ItemSize`): 1 write unit per 1 KB, rounded up.
   *
   * @default 1024
   */
  readonly itemSizeBytes?: number;

  /**
   * How many write shards the table's partition key is split into for this item.
   *
   * @default 1
   */
  readonly partitionKeyShards?: number;

  /**
   * The secondary indexes whose keys the item carries, each written with every item write. An index not
   * listed is not written (a sparse index).
   *
   * @default - no index is written
   */
  readonly indexes?: IndexWriteTrafficProps[];
}
