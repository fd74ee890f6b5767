import { KeyTrafficProps } from './key-traffic';
import { WriteTrafficProps } from './write-traffic';
import { validateItemSize } from '../capacity/item-size-validation';
import { TableDefinition } from '../model/table-definition';
import { requirePartitionKey } from '../model/table-keys';
import { hostError } from '../private/host-language';

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** The most write shards a key is split into: beyond it every read fans out to too many queries. */
const MAX_PARTITION_KEY_SHARDS = 1000;
/** The highest peak factor accepted: a peak a thousand times the average is a different workload. */
const MAX_PEAK_FACTOR = 1000;

/** Checks a rate, peak factor and distribution; `where` names the owner, e.g. "`traffic` of access pattern 'getTask'". */
export function validateKeyTraffic(where: string, traffic: KeyTrafficProps | undefined): void {
  if (traffic === undefined || traffic === null || typeof traffic !== 'object') {
    throw hostError(`${where} is ${JSON.stringify(traffic)}: give \`{ requestsPerSecond, distribution }\`, for example \`{ requestsPerSecond: 50, distribution: KeyDistribution.uniform(1000) }\`.`);
  }
  const rate = traffic.requestsPerSecond;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
    throw hostError(`${where}: \`requestsPerSecond\` is ${rate}: it must be a number of requests per second of at least 0 (the average; set \`peakFactor\` for the peak).`);
  }
  const peak = traffic.peakFactor;
  if (peak !== undefined && (typeof peak !== 'number' || !Number.isFinite(peak) || peak < 1 || peak > MAX_PEAK_FACTOR)) {
    throw hostError(`${where}: \`peakFactor\` is ${peak}: it is the busiest second over the average, a number from 1 to ${MAX_PEAK_FACTOR} (3 for a peak three times the average).`);
  }
  const d = traffic.distribution as unknown as { shareOfRank?: unknown; hottestValueShare?: unknown };
  if (d === undefined || d === null || typeof d.shareOfRank !== 'function' || typeof d.hottestValueShare !== 'number') {
    throw hostError(`${where}: \`distribution\` is ${JSON.stringify(traffic.distribution)}: use a KeyDistribution factory, for example \`KeyDistribution.uniform(1000)\`, \`.hottestShare(0.3, 5)\`, \`.zipf(1000, 1)\` or \`.timeBucket(TimeBucket.DAY)\`.`);
  }
}

/** A whole number of shards from 1 to the maximum, or an error naming the prop. */
export function validateShards(where: string, prop: string, shards: number | undefined): void {
  if (shards !== undefined && (!Number.isInteger(shards) || shards < 1 || shards > MAX_PARTITION_KEY_SHARDS)) {
    throw hostError(`${where}: \`${prop}\` is ${shards}: it must be a whole number of write shards from 1 to ${MAX_PARTITION_KEY_SHARDS}.`);
  }
}

/** Checks what can be checked without the table's final definition; throws on the first problem. */
export function validateWriteTrafficProps(props: WriteTrafficProps, existing: WriteTrafficProps[]): void {
  if (props === undefined || props === null || typeof props !== 'object') {
    throw hostError('`addWriteTraffic()` received no props: pass at least `{ name, traffic }`.');
  }
  if (typeof props.name !== 'string' || !NAME.test(props.name)) {
    throw hostError(`\`name\` is ${JSON.stringify(props.name)}: a write traffic name is 1 to 64 letters, digits, '-' or '_', starting with a letter, for example 'placeOrder'.`);
  }
  if (existing.some((w) => w.name === props.name)) {
    throw hostError(`\`name\` is '${props.name}', which this table already declares: give each write traffic its own name.`);
  }
  const where = `write traffic '${props.name}'`;
  validateKeyTraffic(`\`traffic\` of ${where}`, props.traffic);
  if (props.itemSizeBytes !== undefined) {
    validateSize(where, 'itemSizeBytes', props.itemSizeBytes);
  }
  validateShards(where, 'partitionKeyShards', props.partitionKeyShards);
  const seen = new Set<string>();
  (props.indexes ?? []).forEach((index, i) => {
    const at = `${where}, \`indexes[${i}]\``;
    if (index === undefined || index === null || typeof index.indexName !== 'string' || index.indexName.length === 0) {
      throw hostError(`${at}: \`indexName\` is ${JSON.stringify(index?.indexName)}: name the secondary index the item's keys put it in.`);
    }
    if (seen.has(index.indexName)) {
      throw hostError(`${at}: \`indexName\` '${index.indexName}' is listed twice: list each index once.`);
    }
    seen.add(index.indexName);
    if (index.distribution !== undefined) {
      validateKeyTraffic(`${at} (${index.indexName})`, { requestsPerSecond: 0, distribution: index.distribution });
    }
    if (index.entrySizeBytes !== undefined) {
      validateSize(`${at} (${index.indexName})`, 'entrySizeBytes', index.entrySizeBytes);
    }
    validateShards(`${at} (${index.indexName})`, 'partitionKeyShards', index.partitionKeyShards);
  });
}

function validateSize(where: string, prop: string, sizeBytes: number): void {
  try {
    validateItemSize(prop, sizeBytes);
  } catch (err) {
    throw hostError(`${where}: ${(err as Error).message}`);
  }
}

/**
 * What is wrong with the write traffic for this table: indexes it does not have, a global index without a
 * distribution, a local index with its own distribution or shards.
 */
export function writeTrafficErrors(table: TableDefinition, writes: WriteTrafficProps[]): string[] {
  const errors: string[] = [];
  const indexes = [...table.globalSecondaryIndexes, ...table.localSecondaryIndexes];
  const tableName = table.tableName ?? table.logicalId;
  for (const w of writes) {
    (w.indexes ?? []).forEach((entry, i) => {
      const where = `Write traffic '${w.name}', \`indexes[${i}]\``;
      const index = indexes.find((x) => x.indexName === entry.indexName);
      if (index === undefined) {
        errors.push(`${where}: \`indexName\` is '${entry.indexName}', which is not an index of table ${tableName} (its indexes: ${indexes.map((x) => x.indexName).join(', ') || 'none'}). `
          + 'Fix the name, add the index, or drop the entry.');
      } else if (index.scope === 'GLOBAL' && entry.distribution === undefined) {
        errors.push(`${where}: global secondary index ${index.indexName} has no \`distribution\`: say how the writes spread over its partition key ${index.partitionKey.name}, `
          + 'for example `KeyDistribution.hottestShare(0.6, 5)` for a status of which one value takes 60% of the writes.');
      } else if (index.scope === 'LOCAL' && (entry.distribution !== undefined || entry.partitionKeyShards !== undefined)) {
        errors.push(`${where}: local secondary index ${index.indexName} sets \`distribution\` or \`partitionKeyShards\`, but a local index shares the table's partition key ${requirePartitionKey(table, 'the heat forecast').name}: `
          + "its writes follow the write's own `traffic.distribution` and `partitionKeyShards`. Drop them from the entry.");
      }
    });
  }
  return errors;
}
