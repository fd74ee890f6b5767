/**
 * Read and write units per second.
 */
export interface UnitsPerSecond {
  /** Read units per second. */
  readonly readUnitsPerSecond: number;
  /** Write units per second. */
  readonly writeUnitsPerSecond: number;
}

/**
 * What one access pattern or write puts on a key's hottest value.
 */
export interface HeatLoad {
  /** The access pattern or write traffic name. */
  readonly source: string;
  /** `READ` or `WRITE`. */
  readonly kind: string;
  /** What is read or written: `(table)`, or an index (a local index's load lands on the table's key). */
  readonly via: string;
  /** Average requests per second. */
  readonly requestsPerSecond: number;
  /** Requests per second at the peak. */
  readonly peakRequestsPerSecond: number;
  /** The distribution over the key's values, in words. */
  readonly distribution: string;
  /** The hottest value's share of the requests. */
  readonly hottestShare: number;
  /** Units of one request on an unsharded key: the read units of one call, or the write units of one item write. */
  readonly unitsPerRequest: number;
  /** Units per second on the hottest value at the peak, before write sharding. */
  readonly hottestValueUnitsPerSecond: number;
  /** The write shards declared for the key. */
  readonly partitionKeyShards: number;
  /** Units per second on the busiest stored key (one shard of the hottest value, when sharded). */
  readonly hottestKeyUnitsPerSecond: number;
}

/**
 * What write sharding costs one read pattern.
 */
export interface ShardedReadCost {
  /** The access pattern. */
  readonly pattern: string;
  /** `GetItem` or `Query`. */
  readonly operation: string;
  /** The shard count this cost is for. */
  readonly shards: number;
  /** Calls per use of the pattern: one `Query` per shard; a `GetItem` computes its shard and stays one call. */
  readonly queriesPerCall: number;
  /** Read units per use of the pattern with `shards` shards. */
  readonly readUnitsPerCall: number;
  /** Read units per use of the pattern on an unsharded key. */
  readonly unshardedReadUnitsPerCall: number;
}

/**
 * The load of one partition-key value, for the picture of load per value.
 */
export interface KeyValueLoad {
  /** `hottest`, `#2`, `#3`, ... */
  readonly label: string;
  /** Read units per second on one stored key of the value (a shard, when sharded), at the peak. */
  readonly readUnitsPerSecond: number;
  /** Write units per second on one stored key of the value (a shard, when sharded), at the peak. */
  readonly writeUnitsPerSecond: number;
}

/**
 * The forecast for one partition key: of the table, of a global secondary index, or of a key alone.
 */
export interface KeyHeat {
  /** `(table)`, the index name, or `(key)`. */
  readonly target: string;
  /** `TABLE`, `GLOBAL` or `KEY`. */
  readonly scope: string;
  /** The partition key attribute. */
  readonly partitionKey: string;
  /** Whether an item collection is bound to one partition: the table, when it has a local secondary index. */
  readonly itemCollectionOnOnePartition: boolean;
  /** The share of the limits a value may use. */
  readonly utilization: number;
  /** `utilization` x 3,000. */
  readonly readUnitsLimit: number;
  /** `utilization` x 1,000. */
  readonly writeUnitsLimit: number;
  /** The hottest partition-key value at the peak, before any write sharding. */
  readonly hottest: UnitsPerSecond;
  /** The write shards declared for the key (the most any write or read of it declares). */
  readonly partitionKeyShards: number;
  /** The busiest stored key at the peak: a shard of the hottest value when the key is sharded. */
  readonly hottestKey: UnitsPerSecond;
  /** The fewest write shards that keep the hottest value's write units at or under `writeUnitsLimit`. */
  readonly shardsNeeded: number;
  /** Whether the busiest stored key's write units exceed `writeUnitsLimit`. */
  readonly writesOverLimit: boolean;
  /** Whether the busiest stored key's read units exceed `readUnitsLimit`. Write sharding does not fix it. */
  readonly readsOverLimit: boolean;
  /** `OK`, `WARNING` or `ERROR` (see `HeatLevel`). */
  readonly level: string;
  /** What each access pattern and write puts on the hottest value. */
  readonly loads: HeatLoad[];
  /** What sharding to `max(shardsNeeded, partitionKeyShards)` costs each pattern that reads the key; empty when unsharded. */
  readonly readCosts: ShardedReadCost[];
  /** The load of the hottest values, for the picture against the limits. */
  readonly valueLoads: KeyValueLoad[];
  /** What is wrong and how to fix it, one sentence each; empty when `OK`. */
  readonly findings: string[];
}

/**
 * The heat forecast of a table: its partition key and the partition key of every global secondary index.
 */
export interface TableHeatForecast {
  /** The table name, or its logical id. */
  readonly table: string;
  /** The share of the limits a value may use. */
  readonly utilization: number;
  /** The table's key first, then each global secondary index in template order. */
  readonly keys: KeyHeat[];
}
