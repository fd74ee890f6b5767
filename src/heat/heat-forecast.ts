import { KeyHeat, KeyValueLoad, ShardedReadCost, TableHeatForecast } from './key-heat';
import { HeatLevel, PartitionLimits } from './partition-limits';
import { AccessPatternProps } from '../access-patterns/access-pattern';
import { AccessPatternReport } from '../access-patterns/access-pattern-report';
import { KeyDistribution } from '../access-patterns/key-distribution';
import { validateKeyTraffic, writeTrafficErrors } from '../access-patterns/traffic-checks';
import { WriteTrafficProps } from '../access-patterns/write-traffic';
import { CapacityCalculator, ReadConsistency } from '../capacity/capacity-calculator';
import { formatUnits } from '../capacity/format';
import { IndexWriteAmplification, ItemWriteKind } from '../capacity/index-write-amplification';
import { validateItemSize } from '../capacity/item-size-validation';
import { IndexDefinition, TableDefinition } from '../model/table-definition';
import { requirePartitionKey } from '../model/table-keys';
import { hostError } from '../private/host-language';

/**
 * Options of a heat forecast.
 */
export interface HeatForecastOptions {
  /**
   * The share of a partition's limits (3,000 read and 1,000 write units per second) a partition-key value
   * may use: above it the forecast warns and counts the write shards that bring the value under it.
   *
   * @default PartitionLimits.DEFAULT_UTILIZATION (0.8)
   */
  readonly utilization?: number;
}

/**
 * One partition key's traffic, for a forecast without a table (the `heat` CLI command).
 */
export interface KeyHeatProps {
  /**
   * Average reads per second of the key's values (each a `GetItem`, or a `Query` of `itemsPerRead` items).
   *
   * @default 0
   */
  readonly readsPerSecond?: number;

  /**
   * Average item writes per second to the key's values.
   *
   * @default 0
   */
  readonly writesPerSecond?: number;

  /**
   * How many times the average the busiest second carries.
   *
   * @default 1
   */
  readonly peakFactor?: number;

  /**
   * The size in bytes of each item read or written.
   */
  readonly itemSizeBytes: number;

  /**
   * Items one read returns: 1 is a `GetItem`, more a `Query` (sizes summed, then rounded up to 4 KB).
   *
   * @default 1
   */
  readonly itemsPerRead?: number;

  /**
   * The read consistency: `EVENTUAL` or `STRONG`.
   *
   * @default ReadConsistency.EVENTUAL
   */
  readonly consistency?: ReadConsistency;

  /**
   * How the reads and writes spread over the key's values.
   */
  readonly distribution: KeyDistribution;

  /**
   * The share of a partition's limits a value may use.
   *
   * @default PartitionLimits.DEFAULT_UTILIZATION (0.8)
   */
  readonly utilization?: number;
}
/** How many ranked values the picture shows. */
const PICTURE_VALUES = 8;
const EPSILON = 1e-9;

/** One source of load, before it is summed into a key. */
interface Load {
  readonly source: string;
  readonly kind: 'READ' | 'WRITE';
  readonly via: string;
  readonly requestsPerSecond: number;
  readonly peakFactor: number;
  readonly distribution: KeyDistribution;
  readonly unitsPerRequest: number;
  readonly shards: number;
  /** Units of one request on one shard: a fanned-out Query reads every shard, a write or GetItem lands on one. */
  readonly unitsPerShardRequest: number;
  /** Whether each request reaches every shard (a Query over a sharded value) rather than one. */
  readonly fanOut: boolean;
}

/** A read pattern of a key, with or without declared traffic, for what sharding costs it. */
interface Reader {
  readonly pattern: string;
  readonly operation: string;
  readonly items: number;
  readonly sizeBytes: number;
  readonly consistency: ReadConsistency;
}

/**
 * Forecasts, before the first deploy, the load of each partition key's hottest value from declared rates and
 * key distributions, compares it with the per-partition limits, and counts the write shards that fix it.
 *
 * Model: a value's load is `peak rate x the value's share x units per request`; loads of different patterns
 * and writes on one key are summed as if their hottest values were the same value (an upper bound). A write
 * shard takes `1/N` of a value's writes; a `Query` of a sharded value reads every shard, so sharding spreads
 * writes, not reads.
 */
export class HeatForecast {
  /**
   * The context key that sets the utilization of the forecasts made at synth, e.g.
   * `cdk.json` `{ "context": { "@cdk-dynamodb-blueprints/heat:utilization": 0.7 } }`.
   */
  public static readonly UTILIZATION_CONTEXT_KEY = '@cdk-dynamodb-blueprints/heat:utilization';

  /**
   * The forecast for one partition key, without a table.
   *
   * @param props the key's reads, writes, item size and distribution
   */
  public static forKey(props: KeyHeatProps): KeyHeat {
    const utilization = validateUtilization('utilization', props.utilization);
    const itemSize = validateItemSize('itemSizeBytes', props.itemSizeBytes);
    const items = props.itemsPerRead ?? 1;
    if (!Number.isInteger(items) || items < 1) {
      throw hostError(`\`itemsPerRead\` is ${items}: it must be a whole number of at least 1 (1 is a GetItem, more a Query).`);
    }
    const consistency = props.consistency ?? ReadConsistency.EVENTUAL;
    if (consistency !== ReadConsistency.EVENTUAL && consistency !== ReadConsistency.STRONG) {
      throw hostError(`\`consistency\` is ${JSON.stringify(consistency)}: it must be EVENTUAL or STRONG.`);
    }
    const reads = props.readsPerSecond ?? 0;
    const writes = props.writesPerSecond ?? 0;
    validateKeyTraffic('`readsPerSecond`', { requestsPerSecond: reads, peakFactor: props.peakFactor, distribution: props.distribution });
    validateKeyTraffic('`writesPerSecond`', { requestsPerSecond: writes, distribution: props.distribution });
    if (reads === 0 && writes === 0) {
      throw hostError('`readsPerSecond` and `writesPerSecond` are both 0: give the reads or the writes the key receives, or both.');
    }
    const peakFactor = props.peakFactor ?? 1;
    const operation = items === 1 ? 'GetItem' : 'Query';
    const reader: Reader = { pattern: 'reads', operation, items, sizeBytes: itemSize, consistency };
    const loads: Load[] = [];
    if (reads > 0) {
      loads.push(readLoad('reads', '(key)', { requestsPerSecond: reads, peakFactor, distribution: props.distribution }, reader, 1));
    }
    if (writes > 0) {
      loads.push({
        source: 'writes',
        kind: 'WRITE',
        via: '(key)',
        requestsPerSecond: writes,
        peakFactor,
        distribution: props.distribution,
        unitsPerRequest: CapacityCalculator.writeUnits(itemSize, false),
        unitsPerShardRequest: CapacityCalculator.writeUnits(itemSize, false),
        shards: 1,
        fanOut: false,
      });
    }
    return keyHeat({ target: '(key)', scope: 'KEY', partitionKey: '(key)', subject: 'the key', itemCollectionOnOnePartition: false }, loads, reads > 0 ? [reader] : [], utilization);
  }


  /**
   * The forecast for a table's partition key and each global secondary index's, from the access patterns'
   * and writes' declared traffic. Reads and writes through a local secondary index land on the table's key.
   *
   * @param table the table, from `TableDefinitions.fromTemplate()` or `SynthesizedTableDefinition.of()`
   * @param patterns the access patterns; those with `traffic` load the key they read
   * @param writes the write traffic
   * @param options the utilization
   */
  public static forTable(
    table: TableDefinition,
    patterns: AccessPatternProps[],
    writes: WriteTrafficProps[],
    options: HeatForecastOptions = {},
  ): TableHeatForecast {
    const utilization = validateUtilization('utilization', options.utilization);
    const errors = writeTrafficErrors(table, writes);
    if (errors.length > 0) {
      throw hostError(errors.join('\n'));
    }
    const hasLocalIndex = table.localSecondaryIndexes.length > 0;
    const byTarget = new Map<string, { loads: Load[]; readers: Reader[] }>();
    const at = (target: string) => {
      let entry = byTarget.get(target);
      if (entry === undefined) {
        entry = { loads: [], readers: [] };
        byTarget.set(target, entry);
      }
      return entry;
    };
    const targetOf = (indexName: string | undefined) => {
      const index = indexName === undefined ? undefined : findIndex(table, indexName);
      return index === undefined || index.scope === 'LOCAL' ? '(table)' : index.indexName;
    };

    const analyses = AccessPatternReport.analyze(table, patterns);
    patterns.forEach((p, i) => {
      if (analyses[i].errors.length > 0) {
        return;
      }
      const reader: Reader = {
        pattern: p.name,
        operation: analyses[i].operation,
        items: p.typicalResultItems ?? (analyses[i].operation === 'GetItem' ? 1 : 10),
        sizeBytes: p.typicalItemSizeBytes ?? 1024,
        consistency: p.consistentRead ? ReadConsistency.STRONG : ReadConsistency.EVENTUAL,
      };
      const target = at(targetOf(p.index));
      target.readers.push(reader);
      if (p.traffic !== undefined) {
        target.loads.push(readLoad(p.name, p.index ?? '(table)', p.traffic, reader, p.partitionKeyShards ?? 1));
      }
    });

    for (const w of writes) {
      const itemSize = w.itemSizeBytes ?? 1024;
      const tableShards = w.partitionKeyShards ?? 1;
      const tableUnits = CapacityCalculator.writeUnits(itemSize, false);
      at('(table)').loads.push(writeLoad(w.name, '(table)', w.traffic, tableUnits, tableShards));
      const entries = w.indexes ?? [];
      if (entries.length === 0) {
        continue;
      }
      const amplification = IndexWriteAmplification.forTable(table, {
        kind: ItemWriteKind.INSERT,
        itemSizeBytes: itemSize,
        indexEntrySizes: entries.filter((e) => e.entrySizeBytes !== undefined).map((e) => ({ indexName: e.indexName, sizeBytes: e.entrySizeBytes! })),
      });
      for (const entry of entries) {
        const index = findIndex(table, entry.indexName)!;
        const units = amplification.costs.find((c) => c.indexName === entry.indexName)!.writeCapacityUnits;
        if (index.scope === 'LOCAL') {
          at('(table)').loads.push(writeLoad(w.name, index.indexName, w.traffic, units, tableShards));
        } else {
          const traffic = { requestsPerSecond: w.traffic.requestsPerSecond, peakFactor: w.traffic.peakFactor, distribution: entry.distribution! };
          at(index.indexName).loads.push(writeLoad(w.name, index.indexName, traffic, units, entry.partitionKeyShards ?? 1));
        }
      }
    }

    const keys: KeyHeat[] = [];
    const tableLoad = at('(table)');
    keys.push(keyHeat({
      target: '(table)',
      scope: 'TABLE',
      partitionKey: requirePartitionKey(table, 'the heat forecast').name,
      subject: `${requirePartitionKey(table, 'the heat forecast').name} on ${hasLocalIndex ? 'the table (with its local secondary indexes)' : 'the table'}`,
      itemCollectionOnOnePartition: hasLocalIndex,
    }, tableLoad.loads, tableLoad.readers, utilization));
    for (const index of table.globalSecondaryIndexes) {
      const load = at(index.indexName);
      keys.push(keyHeat({
        target: index.indexName,
        scope: 'GLOBAL',
        partitionKey: index.partitionKey.name,
        subject: `${index.partitionKey.name} on global secondary index ${index.indexName}`,
        itemCollectionOnOnePartition: false,
      }, load.loads, load.readers, utilization));
    }
    return { table: table.tableName ?? table.logicalId, utilization, keys };
  }

  private constructor() {}
}

function findIndex(table: TableDefinition, name: string): IndexDefinition | undefined {
  return [...table.globalSecondaryIndexes, ...table.localSecondaryIndexes].find((i) => i.indexName === name);
}

function validateUtilization(prop: string, utilization: number | undefined): number {
  const u = utilization ?? PartitionLimits.DEFAULT_UTILIZATION;
  if (typeof u !== 'number' || !Number.isFinite(u) || u <= 0 || u > 1) {
    throw hostError(`\`${prop}\` is ${utilization}: it is the share of a partition's limits a key value may use, above 0 and at most 1 (0.8 for 80%).`);
  }
  return u;
}

/** Read units of one use of a pattern over `shards` shards: one Query per shard, a GetItem stays one call. */
function readUnitsPerCall(reader: Reader, shards: number): { queries: number; units: number; perShard: number } {
  if (reader.operation === 'GetItem' || shards === 1) {
    const units = CapacityCalculator.readUnits(reader.items * reader.sizeBytes, reader.consistency);
    return { queries: 1, units, perShard: units };
  }
  const perShard = CapacityCalculator.readUnits(Math.ceil(reader.items / shards) * reader.sizeBytes, reader.consistency);
  return { queries: shards, units: shards * perShard, perShard };
}

/** A rate, peak factor and distribution: `KeyTrafficProps`, or a write's traffic with an index's distribution. */
interface Traffic {
  readonly requestsPerSecond: number;
  readonly peakFactor?: number;
  readonly distribution: KeyDistribution;
}

function readLoad(source: string, via: string, traffic: Traffic, reader: Reader, shards: number): Load {
  const sharded = readUnitsPerCall(reader, shards);
  return {
    source,
    kind: 'READ',
    via,
    requestsPerSecond: traffic.requestsPerSecond,
    peakFactor: traffic.peakFactor ?? 1,
    distribution: traffic.distribution,
    unitsPerRequest: readUnitsPerCall(reader, 1).units,
    shards,
    unitsPerShardRequest: sharded.perShard,
    // A GetItem of a hot item reaches the one shard that holds it: sharding does not spread it either.
    fanOut: true,
  };
}

function writeLoad(source: string, via: string, traffic: Traffic, units: number, shards: number): Load {
  return {
    source,
    kind: 'WRITE',
    via,
    requestsPerSecond: traffic.requestsPerSecond,
    peakFactor: traffic.peakFactor ?? 1,
    distribution: traffic.distribution,
    unitsPerRequest: units,
    shards,
    unitsPerShardRequest: units,
    fanOut: false,
  };
}

/** Units per second a load puts on one stored key of the value of `share`. */
function perKey(load: Load, share: number): number {
  const peak = load.requestsPerSecond * load.peakFactor;
  return load.fanOut ? peak * share * load.unitsPerShardRequest : (peak * share * load.unitsPerShardRequest) / load.shards;
}

interface KeyIdentity {
  readonly target: string;
  readonly scope: string;
  readonly partitionKey: string;
  /** What the finding speaks of: `GSI1PK on global secondary index byStatus`. */
  readonly subject: string;
  readonly itemCollectionOnOnePartition: boolean;
}

function keyHeat(id: KeyIdentity, loads: Load[], readers: Reader[], utilization: number): KeyHeat {
  const readUnitsLimit = utilization * PartitionLimits.READ_UNITS_PER_SECOND;
  const writeUnitsLimit = utilization * PartitionLimits.WRITE_UNITS_PER_SECOND;
  const sum = (kind: 'READ' | 'WRITE', f: (l: Load) => number) => loads.filter((l) => l.kind === kind).reduce((total, l) => total + f(l), 0);
  const hottestValue = (l: Load) => l.requestsPerSecond * l.peakFactor * l.distribution.hottestValueShare * l.unitsPerRequest;
  const hottest = { readUnitsPerSecond: sum('READ', hottestValue), writeUnitsPerSecond: sum('WRITE', hottestValue) };
  const hottestKey = {
    readUnitsPerSecond: sum('READ', (l) => perKey(l, l.distribution.hottestValueShare)),
    writeUnitsPerSecond: sum('WRITE', (l) => perKey(l, l.distribution.hottestValueShare)),
  };
  const partitionKeyShards = Math.max(1, ...loads.map((l) => l.shards));
  // The smallest N with hottest / N <= limit; the epsilon keeps an exact boundary (2,400 / 800 = 3) at 3.
  const shardsNeeded = Math.max(1, Math.ceil(hottest.writeUnitsPerSecond / writeUnitsLimit - EPSILON));
  const writesOverLimit = hottestKey.writeUnitsPerSecond > writeUnitsLimit + EPSILON;
  const readsOverLimit = hottestKey.readUnitsPerSecond > readUnitsLimit + EPSILON;
  const writesOverHard = hottestKey.writeUnitsPerSecond > PartitionLimits.WRITE_UNITS_PER_SECOND + EPSILON;
  const readsOverHard = hottestKey.readUnitsPerSecond > PartitionLimits.READ_UNITS_PER_SECOND + EPSILON;
  const level = writesOverHard || readsOverHard ? HeatLevel.ERROR : writesOverLimit || readsOverLimit ? HeatLevel.WARNING : HeatLevel.OK;

  const costShards = Math.max(shardsNeeded, partitionKeyShards);
  const readCosts: ShardedReadCost[] = costShards === 1 ? [] : readers.map((r) => {
    const sharded = readUnitsPerCall(r, costShards);
    return {
      pattern: r.pattern,
      operation: r.operation,
      shards: costShards,
      queriesPerCall: sharded.queries,
      readUnitsPerCall: sharded.units,
      unshardedReadUnitsPerCall: readUnitsPerCall(r, 1).units,
    };
  });

  const ranks = Math.max(1, ...loads.map((l) => (l.distribution.values === undefined ? 2 : Math.min(l.distribution.values, PICTURE_VALUES))));
  const valueLoads: KeyValueLoad[] = [];
  for (let rank = 1; rank <= ranks; rank++) {
    valueLoads.push({
      label: rank === 1 ? 'hottest' : `#${rank}`,
      readUnitsPerSecond: sum('READ', (l) => perKey(l, l.distribution.shareOfRank(rank))),
      writeUnitsPerSecond: sum('WRITE', (l) => perKey(l, l.distribution.shareOfRank(rank))),
    });
  }

  const heat: KeyHeat = {
    target: id.target,
    scope: id.scope,
    partitionKey: id.partitionKey,
    itemCollectionOnOnePartition: id.itemCollectionOnOnePartition,
    utilization,
    readUnitsLimit,
    writeUnitsLimit,
    hottest,
    partitionKeyShards,
    hottestKey,
    shardsNeeded,
    writesOverLimit,
    readsOverLimit,
    level,
    loads: loads.map((l) => ({
      source: l.source,
      kind: l.kind,
      via: l.via,
      requestsPerSecond: l.requestsPerSecond,
      peakRequestsPerSecond: l.requestsPerSecond * l.peakFactor,
      distribution: l.distribution.description,
      hottestShare: l.distribution.hottestValueShare,
      unitsPerRequest: l.unitsPerRequest,
      hottestValueUnitsPerSecond: hottestValue(l),
      partitionKeyShards: l.shards,
      hottestKeyUnitsPerSecond: perKey(l, l.distribution.hottestValueShare),
    })),
    readCosts,
    valueLoads,
    findings: [],
  };
  return { ...heat, findings: findings(id, heat) };
}

function findings(id: KeyIdentity, h: KeyHeat): string[] {
  const out: string[] = [];
  const n = (x: number) => Number(x.toFixed(1)).toLocaleString('en-US');
  const pct = `${Number((h.utilization * 100).toFixed(1))}%`;
  const stored = h.partitionKeyShards > 1 ? `, ${n(h.hottestKey.writeUnitsPerSecond)} on each of its ${h.partitionKeyShards} write shards` : '';
  if (h.writesOverLimit) {
    const over = h.hottestKey.writeUnitsPerSecond > PartitionLimits.WRITE_UNITS_PER_SECOND + EPSILON
      ? `above the ${n(PartitionLimits.WRITE_UNITS_PER_SECOND)} one partition serves: its writes throttle whatever the table's capacity`
      : `above ${pct} of the ${n(PartitionLimits.WRITE_UNITS_PER_SECOND)} one partition serves (${n(h.writeUnitsLimit)})`;
    const fix = h.partitionKeyShards >= h.shardsNeeded
      ? `write-shard every write of ${id.partitionKey} into ${h.partitionKeyShards} values: some of its writes declare fewer \`partitionKeyShards\``
      : h.partitionKeyShards > 1
        ? `raise \`partitionKeyShards\` of ${id.partitionKey} from ${h.partitionKeyShards} to ${h.shardsNeeded}`
        : `write-shard ${id.scope === 'KEY' ? 'the key' : id.partitionKey} into ${h.shardsNeeded} values (<value>#0 to <value>#${h.shardsNeeded - 1}, the suffix from a hash of the item's id) and set \`partitionKeyShards: ${h.shardsNeeded}\` on its writes and on the access patterns that read it`;
    const readers = h.readCosts.filter((c) => c.shards === h.shardsNeeded)
      .map((c) => `${c.pattern}: ${c.queriesPerCall} ${c.queriesPerCall === 1 ? 'call' : 'queries'}, ${formatUnits(c.unshardedReadUnitsPerCall)} -> ${formatUnits(c.readUnitsPerCall)} RCU per use`);
    const lsi = id.itemCollectionOnOnePartition
      ? ' The table has a local secondary index, so each item collection stays on one partition: neither adaptive capacity nor split for heat can spread it.'
      : '';
    out.push(`Heat forecast: the hottest value of ${id.subject} takes ${n(h.hottest.writeUnitsPerSecond)} write units per second at peak${stored}, ${over}. `
      + `Fix: ${fix}${readers.length > 0 ? `; readers then pay ${readers.join('; ')}` : ''}.${lsi}`);
  }
  if (h.readsOverLimit) {
    const over = h.hottestKey.readUnitsPerSecond > PartitionLimits.READ_UNITS_PER_SECOND + EPSILON
      ? `above the ${n(PartitionLimits.READ_UNITS_PER_SECOND)} one partition serves: its reads throttle`
      : `above ${pct} of the ${n(PartitionLimits.READ_UNITS_PER_SECOND)} one partition serves (${n(h.readUnitsLimit)})`;
    out.push(`Heat forecast: the hottest value of ${id.subject} takes ${n(h.hottestKey.readUnitsPerSecond)} read units per second at peak, ${over}. `
      + 'Write sharding does not spread reads of one item (a sharded Query still reads every shard): serve the hot reads from a cache (DAX, or an application cache), '
      + 'or keep copies of the hot item under several keys and read one at random.');
  }
  return out;
}
