import { KeyTrafficProps } from './key-traffic';
import { SortKeyCondition } from './sort-key-condition';

/**
 * One way the application reads a table, declared next to the table so synthesis can check that the
 * table serves it with a `GetItem` or a `Query`, never a `Scan`.
 */
export interface AccessPatternProps {
  /**
   * The pattern's name, unique on the table (e.g. `tasksByAssignee`).
   */
  readonly name: string;

  /**
   * What the pattern is for, in a few words, for the report.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * The secondary index the pattern reads.
   *
   * @default - the table itself
   */
  readonly index?: string;

  /**
   * The partition key attribute the pattern gives a value for: the partition key of `index`, or of the table.
   */
  readonly partitionKey: string;

  /**
   * The partition key value, as documentation (e.g. `TENANT#<tenantId>#USER#<userId>`).
   *
   * @default - `:<partitionKey>`
   */
  readonly partitionKeyValue?: string;

  /**
   * The sort key attribute the condition applies to, when you want synthesis to check it.
   *
   * @default - the sort key of `index`, or of the table
   */
  readonly sortKey?: string;

  /**
   * The condition on the sort key. Needs a table or index with a sort key.
   *
   * @default - none: every item of the partition key (a `Query`), or the item (a `GetItem` on a table without sort key)
   */
  readonly sortKeyCondition?: SortKeyCondition;

  /**
   * The attributes the application reads from each item. On a global secondary index, each must be
   * projected into it, or the `Query` silently returns items without it.
   *
   * @default - not checked
   */
  readonly returns?: string[];

  /**
   * Whether the read is strongly consistent. Not available on a global secondary index.
   *
   * @default false
   */
  readonly consistentRead?: boolean;

  /**
   * How many write shards the partition key is split into (`<key>#0` to `<key>#N-1`): one call of the
   * pattern is then one `Query` per shard.
   *
   * @default 1
   */
  readonly partitionKeyShards?: number;

  /**
   * The items a typical call returns, for the read cost in the report.
   *
   * @default - 1 for a `GetItem`, 10 for a `Query`
   */
  readonly typicalResultItems?: number;

  /**
   * The size in bytes of each item (or index entry) a typical call reads, for the read cost in the report.
   *
   * @default 1024
   */
  readonly typicalItemSizeBytes?: number;

  /**
   * The calls per second the pattern makes and how they spread over the partition key's values, for the
   * heat forecast in the report and at synth.
   *
   * @default - no traffic declared: the pattern is not in the heat forecast (its read cost of sharding still is)
   */
  readonly traffic?: KeyTrafficProps;
}
